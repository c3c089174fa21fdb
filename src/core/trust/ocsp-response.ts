// Reads a DER OCSPResponse (RFC 6960) in one walk over its bytes: status, the signed ResponseData, its single responses, the certificates it carries.
import { DerError, TAG, contextTag, expectTag, readChildren, readElement, readOid, type DerElement } from '../cms/der.js';
import { readTime } from './der-time.js';
import { readAlgorithmIdentifier, type SignatureAlgorithmId } from './signature.js';

const BASIC = '1.3.6.1.5.5.7.48.1.1';
const NONCE = '1.3.6.1.5.5.7.48.1.2';
const ENUMERATED = 0x0a;

export type OcspCertStatus = { status: 'good' } | { status: 'revoked'; revokedAt: Date; reason: number | undefined } | { status: 'unknown' };

export interface OcspSingleResponse {
  hashOid: string;
  issuerNameHash: Uint8Array;
  issuerKeyHash: Uint8Array;
  /** serialNumber INTEGER contents. */
  serial: Uint8Array;
  /** Undefined when the certStatus cannot be read. */
  certStatus: OcspCertStatus | undefined;
  thisUpdate: Date;
  nextUpdate: Date | undefined;
}

export interface BasicOcspResponse {
  /** The ResponseData TLV: the signed bytes. */
  tbs: Uint8Array;
  producedAt: Date;
  responses: OcspSingleResponse[];
  /** The nonce extension's extnValue contents, when the responder echoed one. */
  nonce: Uint8Array | undefined;
  signatureAlgorithm: SignatureAlgorithmId;
  signature: Uint8Array;
  /** The certificates it carries, each its original DER. */
  certificates: Uint8Array[];
}

export type OcspResponse = { basic: BasicOcspResponse } | { status: number };

const isContext = (element: DerElement, n: number): boolean => (element.tag & 0xc0) === 0x80 && (element.tag & 0x1f) === n;

const enumerated = (element: DerElement | undefined, what: string): number =>
  expectTag(element, ENUMERATED, what).content.reduce((value, byte) => value * 256 + byte, 0);

/** GeneralizedTime as RFC 5280 writes it (UTC, "Z"), fractions allowed. */
function generalizedTime(element: DerElement | undefined, what: string): Date {
  return readTime(expectTag(element, TAG.GENERALIZED_TIME, what), what);
}

function certStatusOf(element: DerElement | undefined): OcspCertStatus | undefined {
  if (!element || (element.tag & 0xc0) !== 0x80) return undefined;
  if (isContext(element, 0)) return { status: 'good' };
  if (isContext(element, 2)) return { status: 'unknown' };
  if (element.tag !== contextTag(1)) return undefined;
  const [time, reasonTag] = readChildren(element);
  if (time?.tag !== TAG.GENERALIZED_TIME) return undefined;
  const reasonValue = reasonTag?.tag === contextTag(0) ? readElement(reasonTag.content) : undefined;
  return { status: 'revoked', revokedAt: generalizedTime(time, 'revocationTime'), reason: reasonValue?.tag === ENUMERATED ? enumerated(reasonValue, 'CRLReason') : undefined };
}

function singleResponse(element: DerElement): OcspSingleResponse {
  const [certId, certStatus, thisUpdate, ...rest] = readChildren(expectTag(element, TAG.SEQUENCE, 'SingleResponse'));
  const [hashAlgorithm, issuerNameHash, issuerKeyHash, serial] = readChildren(expectTag(certId, TAG.SEQUENCE, 'CertID'));
  const next = rest.find((field) => field.tag === contextTag(0));
  return {
    hashOid: readOid(readChildren(expectTag(hashAlgorithm, TAG.SEQUENCE, 'hashAlgorithm'))[0], 'hashAlgorithm'),
    issuerNameHash: expectTag(issuerNameHash, TAG.OCTET_STRING, 'issuerNameHash').content,
    issuerKeyHash: expectTag(issuerKeyHash, TAG.OCTET_STRING, 'issuerKeyHash').content,
    serial: expectTag(serial, TAG.INTEGER, 'serialNumber').content,
    certStatus: certStatusOf(certStatus),
    thisUpdate: generalizedTime(thisUpdate, 'thisUpdate'),
    nextUpdate: next ? generalizedTime(readElement(next.content), 'nextUpdate') : undefined,
  };
}

function nonceOf(extensionsField: DerElement | undefined): Uint8Array | undefined {
  if (!extensionsField) return undefined;
  for (const extension of readChildren(expectTag(readElement(extensionsField.content), TAG.SEQUENCE, 'responseExtensions'))) {
    const fields = readChildren(expectTag(extension, TAG.SEQUENCE, 'Extension'));
    if (readOid(fields[0], 'extnID') === NONCE) return expectTag(fields[fields.length - 1], TAG.OCTET_STRING, 'extnValue').content;
  }
  return undefined;
}

function basicResponse(der: Uint8Array): BasicOcspResponse {
  const [tbs, signatureAlgorithm, signature, certs] = readChildren(expectTag(readElement(der), TAG.SEQUENCE, 'BasicOCSPResponse'));
  const fields = readChildren(expectTag(tbs, TAG.SEQUENCE, 'ResponseData'));
  // version [0] is optional; then responderID ([1] byName or [2] byKey), producedAt, responses, [1] responseExtensions.
  const rest = fields[0]?.tag === contextTag(0) ? fields.slice(1) : fields;
  const [, producedAt, responses, extensions] = rest;
  const bits = expectTag(signature, TAG.BIT_STRING, 'signature').content;
  return {
    tbs: tbs!.bytes,
    producedAt: generalizedTime(producedAt, 'producedAt'),
    responses: readChildren(expectTag(responses, TAG.SEQUENCE, 'responses')).map(singleResponse),
    nonce: nonceOf(extensions?.tag === contextTag(1) ? extensions : undefined),
    signatureAlgorithm: readAlgorithmIdentifier(signatureAlgorithm),
    signature: bits.subarray(1),
    certificates:
      certs?.tag === contextTag(0)
        ? readChildren(expectTag(readElement(certs.content), TAG.SEQUENCE, 'certs'))
            .filter((cert) => cert.tag === TAG.SEQUENCE)
            .map((cert) => cert.bytes)
        : [],
  };
}

/** The response's status when it is not successful, else its BasicOCSPResponse; throws DerError (or a message) when unreadable. */
export function readOcspResponse(der: Uint8Array): OcspResponse {
  const [status, responseBytes] = readChildren(expectTag(readElement(der), TAG.SEQUENCE, 'OCSPResponse'));
  const code = enumerated(status, 'responseStatus');
  if (code !== 0) return { status: code };
  if (responseBytes?.tag !== contextTag(0)) throw new DerError('not a basic OCSP response');
  const [type, response] = readChildren(expectTag(readElement(responseBytes.content), TAG.SEQUENCE, 'ResponseBytes'));
  if (readOid(type, 'responseType') !== BASIC) throw new DerError('not a basic OCSP response');
  return { basic: basicResponse(expectTag(response, TAG.OCTET_STRING, 'response').content) };
}
