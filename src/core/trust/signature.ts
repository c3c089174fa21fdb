// Verifies a signature over DER bytes (OCSP response, CRL) with node:crypto, from its AlgorithmIdentifier read as DER.
import { constants, verify, type KeyObject } from 'node:crypto';
import { TAG, contextTag, expectTag, readChildren, readElement, readOid, readSmallInteger, type DerElement } from '../cms/der.js';

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

/** An AlgorithmIdentifier as read from DER: its OID and, when present, its parameters' TLV. */
export interface SignatureAlgorithmId {
  algorithmId: string;
  parameters?: DerElement;
}

/** Reads an AlgorithmIdentifier SEQUENCE; throws DerError when it is not one. */
export function readAlgorithmIdentifier(element: DerElement | undefined): SignatureAlgorithmId {
  const [id, parameters] = readChildren(expectTag(element, TAG.SEQUENCE, 'AlgorithmIdentifier'));
  return { algorithmId: readOid(id, 'algorithm'), ...(parameters ? { parameters } : {}) };
}

/** RSASSA-PSS-params (RFC 4055): the hash and salt length; absent fields take the defaults, SHA-1 and 20. */
function pssParameters(parameters: DerElement | undefined): { hash: string | undefined; saltLength: number } {
  let hash: string | undefined = 'sha1';
  let saltLength = 20;
  if (!parameters || parameters.tag === TAG.NULL) return { hash, saltLength };
  for (const field of readChildren(expectTag(parameters, TAG.SEQUENCE, 'RSASSA-PSS-params'))) {
    const inner = readElement(field.content);
    if (field.tag === contextTag(0)) hash = DIGEST_OID[readAlgorithmIdentifier(inner).algorithmId];
    else if (field.tag === contextTag(2)) saltLength = readSmallInteger(inner);
  }
  return { hash, saltLength };
}

/** True only when the signature verifies; an unknown algorithm or malformed parameters count as not verified. */
export function verifySignature(algorithm: SignatureAlgorithmId, data: Uint8Array, signature: Uint8Array, key: KeyObject): boolean {
  try {
    const oid = algorithm.algorithmId;
    if (oid === ED25519 || oid === ED448) return verify(null, data, key, signature);
    if (oid === RSA_PSS) {
      const { hash, saltLength } = pssParameters(algorithm.parameters);
      if (!hash) return false;
      return verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, signature);
    }
    const hash = HASH_OF[oid];
    if (!hash) return false;
    return verify(hash, data, key, signature);
  } catch {
    return false;
  }
}

export const digestName = (oid: string): string | undefined => DIGEST_OID[oid];
