// ESS signing-certificate-v2 (RFC 5035): binds the signature to the signer's certificate by hash and issuer/serial.
import type { HashAlgorithm } from '../../shared/token.js';
import { HASHES, digestAlgorithmIdentifier, hashBytes } from './algorithms.js';
import { certificateId } from './certificate-id.js';
import { TAG, contextTag, encode, expectTag, octetString, readChildren, readWhole, sequence, type DerElement } from './der.js';
import { digestNameOf } from './signature-check.js';

export interface EssCertIdV2 {
  /** Node digest name of certHash ('sha256' when the field is absent, its DEFAULT). */
  hash: string | undefined;
  certHash: Uint8Array;
  /** The IssuerSerial TLV, when present. */
  issuerSerial: Uint8Array | undefined;
}

/** The SigningCertificateV2 value for one certificate; the attribute wraps it in a SET. */
export function buildSigningCertificateV2(certificateDer: Uint8Array, hash: HashAlgorithm = 'SHA-256'): Uint8Array {
  const id = certificateId(certificateDer);
  // IssuerSerial: GeneralNames with the issuer as directoryName ([4], explicit because Name is a CHOICE).
  const issuerSerial = sequence(sequence(encode(contextTag(4), id.issuer)), id.serial);
  const certHash = octetString(hashBytes(hash, certificateDer));
  // hashAlgorithm DEFAULT id-sha256: DER leaves a default value out.
  const essCertId = hash === 'SHA-256' ? sequence(certHash, issuerSerial) : sequence(digestAlgorithmIdentifier(hash), certHash, issuerSerial);
  return sequence(sequence(essCertId));
}

/** Reads the ESSCertIDv2 entries of a SigningCertificateV2 value (the first names the signer's certificate). */
export function parseSigningCertificateV2(value: Uint8Array | DerElement): EssCertIdV2[] {
  const element = value instanceof Uint8Array ? readWhole(value) : value;
  const [certs] = readChildren(expectTag(element, TAG.SEQUENCE, 'SigningCertificateV2'));
  return readChildren(expectTag(certs, TAG.SEQUENCE, 'certs')).map((essCertId) => {
    const fields = readChildren(expectTag(essCertId, TAG.SEQUENCE, 'ESSCertIDv2'));
    const hasAlgorithm = fields[0]?.tag === TAG.SEQUENCE;
    const hashField = hasAlgorithm ? fields[1] : fields[0];
    const issuerSerial = hasAlgorithm ? fields[2] : fields[1];
    return {
      hash: hasAlgorithm && fields[0] ? digestNameOf(fields[0]) : HASHES['SHA-256'].node,
      certHash: expectTag(hashField, TAG.OCTET_STRING, 'certHash').content,
      issuerSerial: issuerSerial?.bytes,
    };
  });
}
