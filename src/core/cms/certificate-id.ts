// Reads the exact issuer, serial and key identifier bytes of an X.509 certificate, to name it in CMS.
import { VanthuError } from '../../shared/errors.js';
import { TAG, bytesEqual, contextTag, expectTag, readChildren, readElement, readOid, readWhole, sequence, type DerElement } from './der.js';

const SUBJECT_KEY_IDENTIFIER = '2.5.29.14';

export interface CertificateId {
  /** The issuer Name TLV, byte for byte as in the certificate. */
  issuer: Uint8Array;
  /** The serialNumber INTEGER TLV. */
  serial: Uint8Array;
  subjectKeyIdentifier: Uint8Array | undefined;
}

function subjectKeyIdentifierOf(extensions: DerElement | undefined): Uint8Array | undefined {
  if (!extensions) return undefined;
  for (const extension of readChildren(readElement(extensions.content))) {
    const fields = readChildren(extension);
    if (readOid(fields[0]) !== SUBJECT_KEY_IDENTIFIER) continue;
    const value = expectTag(fields[fields.length - 1], TAG.OCTET_STRING, 'extnValue');
    return expectTag(readElement(value.content), TAG.OCTET_STRING, 'keyIdentifier').content;
  }
  return undefined;
}

export function certificateId(certificateDer: Uint8Array): CertificateId {
  try {
    const [tbs] = readChildren(expectTag(readWhole(certificateDer), TAG.SEQUENCE, 'Certificate'));
    const fields = readChildren(expectTag(tbs, TAG.SEQUENCE, 'tbsCertificate'));
    // The version field [0] is optional (absent for v1 certificates).
    const rest = fields[0]?.tag === contextTag(0) ? fields.slice(1) : fields;
    const [serial, , issuer] = rest;
    return {
      issuer: expectTag(issuer, TAG.SEQUENCE, 'issuer').bytes,
      serial: expectTag(serial, TAG.INTEGER, 'serialNumber').bytes,
      subjectKeyIdentifier: subjectKeyIdentifierOf(rest.find((field) => field.tag === contextTag(3))),
    };
  } catch (error) {
    if (error instanceof VanthuError) throw error;
    throw new VanthuError('CERT_PARSE_FAILED', { detail: error instanceof Error ? error.message : String(error) }, { cause: error });
  }
}

/** IssuerAndSerialNumber (RFC 5652 10.2.4). */
export const issuerAndSerialNumber = (id: CertificateId): Uint8Array => sequence(id.issuer, id.serial);

/** Whether a SignerIdentifier (issuerAndSerialNumber or [0] subjectKeyIdentifier) names this certificate. */
export function signerIdentifierMatches(sid: DerElement, id: CertificateId): boolean {
  if (sid.tag === TAG.SEQUENCE) return bytesEqual(sid.bytes, issuerAndSerialNumber(id));
  if (sid.tag === contextTag(0, false)) return id.subjectKeyIdentifier !== undefined && bytesEqual(sid.content, id.subjectKeyIdentifier);
  return false;
}
