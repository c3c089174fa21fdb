// The signed attributes of a PAdES baseline signature, encoded as the DER SET that the token signs.
import { VanthuError } from '../../shared/errors.js';
import type { HashAlgorithm } from '../../shared/token.js';
import { HASHES } from './algorithms.js';
import { oid, octetString, sequence, setOf } from './der.js';
import { OID } from './oids.js';
import { buildSigningCertificateV2 } from './signing-certificate-v2.js';

/** Attribute ::= SEQUENCE { attrType OID, attrValues SET OF value }. */
export const attribute = (type: string, ...values: Uint8Array[]): Uint8Array => sequence(oid(type), setOf(...values));

export interface SignedAttributesInput {
  /** Digest of the signed content (for PAdES: the PDF bytes the ByteRange covers). */
  contentDigest: Uint8Array;
  digestAlgorithm: HashAlgorithm;
  /** The signer's certificate (DER), bound by signing-certificate-v2. */
  certificate: Uint8Array;
  /** More Attribute TLVs to sign (e.g. a signature policy identifier); they must not repeat the ones built here. */
  extraAttributes?: Uint8Array[];
}

/**
 * contentType id-data, messageDigest and signing-certificate-v2, as a DER SET OF Attribute:
 * these exact bytes are what gets signed (RFC 5652 5.4). No signingTime: PAdES puts the
 * claimed time in the signature dictionary's /M instead (ETSI EN 319 142-1, 5.2.1).
 */
export function buildSignedAttributes(input: SignedAttributesInput): Uint8Array {
  const expected = HASHES[input.digestAlgorithm].length;
  if (input.contentDigest.length !== expected) {
    throw new VanthuError('BAD_INPUT', { detail: `a ${input.digestAlgorithm} digest has ${expected} bytes, got ${input.contentDigest.length}` });
  }
  return setOf(
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octetString(input.contentDigest)),
    attribute(OID.signingCertificateV2, buildSigningCertificateV2(input.certificate)),
    ...(input.extraAttributes ?? []),
  );
}
