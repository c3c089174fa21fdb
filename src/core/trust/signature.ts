// Verifies a signature over DER bytes (OCSP response, CRL) with node:crypto, from its AlgorithmIdentifier.
import { constants, verify, type KeyObject } from 'node:crypto';
import * as pkijs from 'pkijs';

const HASH_OF: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.14': 'sha224',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.1': 'sha224',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};
const DIGEST_OID: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
const RSA_PSS = '1.2.840.113549.1.1.10';
const ED25519 = '1.3.101.112';
const ED448 = '1.3.101.113';

/** True only when the signature verifies; an unknown algorithm or malformed parameters count as not verified. */
export function verifySignature(
  /** A pkijs AlgorithmIdentifier, or the same two fields read otherwise (parameters as an asn1js block). */
  algorithm: { algorithmId: string; algorithmParams?: unknown },
  data: Uint8Array,
  signature: Uint8Array,
  key: KeyObject,
): boolean {
  try {
    const oid = algorithm.algorithmId;
    if (oid === ED25519 || oid === ED448) return verify(null, data, key, signature);
    if (oid === RSA_PSS) {
      // Absent parameters mean the RFC 4055 defaults: SHA-1, MGF1-SHA-1, salt 20.
      const params = algorithm.algorithmParams ? new pkijs.RSASSAPSSParams({ schema: algorithm.algorithmParams }) : new pkijs.RSASSAPSSParams();
      const hash = DIGEST_OID[params.hashAlgorithm.algorithmId];
      if (!hash) return false;
      return verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: params.saltLength }, signature);
    }
    const hash = HASH_OF[oid];
    if (!hash) return false;
    return verify(hash, data, key, signature);
  } catch {
    return false;
  }
}

export const digestName = (oid: string): string | undefined => DIGEST_OID[oid];
