// Reads a DER CRL (RFC 5280 CertificateList) in one walk: issuer, times, signature, extensions, and its entries indexed by serial.
import { DerError, TAG, contextTag, expectTag, readChildren, readElement, readOid, type DerElement } from '../cms/der.js';
import { integerHex } from './bytes.js';
import { readTime } from './der-time.js';
import { readAlgorithmIdentifier, type SignatureAlgorithmId } from './signature.js';

const EXT = {
  AUTHORITY_KEY_ID: '2.5.29.35',
  DELTA_CRL_INDICATOR: '2.5.29.27',
  REASON_CODE: '2.5.29.21',
} as const;
const ENUMERATED = 0x0a;
const UTC_TIME = 0x17;

export interface RevokedEntry {
  revokedAt: Date;
  /** CRLReason code, when the entry gives one. */
  reason: number | undefined;
}

export interface CertificateList {
  /** The TBSCertList TLV: the signed bytes. */
  tbs: Uint8Array;
  signatureAlgorithm: SignatureAlgorithmId;
  signature: Uint8Array;
  /** The issuer Name TLV as written. */
  issuerDer: Uint8Array;
  thisUpdate: Date;
  nextUpdate: Date | undefined;
  authorityKeyId: Uint8Array | undefined;
  /** A delta CRL lists only changes since a base CRL. */
  delta: boolean;
  /** The entry for a serial (INTEGER contents, compared by value); read when asked, so a long list costs one pass. */
  entry(serial: Uint8Array): RevokedEntry | undefined;
}

/** Extensions by OID, each its extnValue contents. */
function extensionsOf(list: DerElement | undefined): Map<string, Uint8Array> {
  const found = new Map<string, Uint8Array>();
  for (const extension of list ? readChildren(expectTag(list, TAG.SEQUENCE, 'Extensions')) : []) {
    const fields = readChildren(expectTag(extension, TAG.SEQUENCE, 'Extension'));
    const id = readOid(fields[0], 'extnID');
    if (!found.has(id)) found.set(id, expectTag(fields[fields.length - 1], TAG.OCTET_STRING, 'extnValue').content);
  }
  return found;
}

function revokedEntry(element: DerElement): RevokedEntry {
  const [, revocationDate, extensions] = readChildren(element);
  const reasonValue = extensionsOf(extensions).get(EXT.REASON_CODE);
  const reason = reasonValue ? readElement(reasonValue) : undefined;
  return {
    revokedAt: readTime(revocationDate, 'revocationDate'),
    reason: reason?.tag === ENUMERATED ? reason.content.reduce((value, byte) => value * 256 + byte, 0) : undefined,
  };
}

/** Parses a DER CRL; throws DerError when it is not one. */
export function readCertificateList(der: Uint8Array): CertificateList {
  const [tbs, signatureAlgorithm, signature] = readChildren(expectTag(readElement(der), TAG.SEQUENCE, 'CertificateList'));
  const fields = readChildren(expectTag(tbs, TAG.SEQUENCE, 'TBSCertList'));
  // version is optional (v1 CRLs leave it out); then signature, issuer, thisUpdate, [nextUpdate], [revokedCertificates], [0] crlExtensions.
  const rest = fields[0]?.tag === TAG.INTEGER ? fields.slice(1) : fields;
  const [, issuer, thisUpdate, ...optional] = rest;
  const next = optional[0]?.tag === UTC_TIME || optional[0]?.tag === TAG.GENERALIZED_TIME ? optional.shift() : undefined;
  const revoked = optional[0]?.tag === TAG.SEQUENCE ? optional.shift() : undefined;
  const extensionsField = optional.find((field) => field.tag === contextTag(0));
  const extensions = extensionsOf(extensionsField ? readElement(extensionsField.content) : undefined);
  const aki = extensions.get(EXT.AUTHORITY_KEY_ID);
  const keyIdentifier = aki ? readChildren(expectTag(readElement(aki), TAG.SEQUENCE, 'AuthorityKeyIdentifier')).find((f) => f.tag === contextTag(0, false)) : undefined;
  const entries = revoked ? readChildren(revoked) : [];
  let bySerial: Map<string, DerElement> | undefined;
  const bits = expectTag(signature, TAG.BIT_STRING, 'signatureValue').content;
  if (bits.length === 0) throw new DerError('signatureValue is empty');
  return {
    tbs: tbs!.bytes,
    signatureAlgorithm: readAlgorithmIdentifier(signatureAlgorithm),
    signature: bits.subarray(1),
    issuerDer: expectTag(issuer, TAG.SEQUENCE, 'issuer').bytes,
    thisUpdate: readTime(thisUpdate, 'thisUpdate'),
    nextUpdate: next ? readTime(next, 'nextUpdate') : undefined,
    authorityKeyId: keyIdentifier?.content,
    delta: extensions.has(EXT.DELTA_CRL_INDICATOR),
    entry(serial) {
      if (!bySerial) {
        bySerial = new Map();
        for (const element of entries) {
          const id = integerHex(expectTag(readChildren(element)[0], TAG.INTEGER, 'userCertificate').content);
          // The first listing of a serial counts.
          if (!bySerial.has(id)) bySerial.set(id, element);
        }
      }
      const found = bySerial.get(integerHex(serial));
      return found ? revokedEntry(found) : undefined;
    },
  };
}
