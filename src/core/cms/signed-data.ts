// Builds the detached CMS SignedData of a PAdES baseline B-B signature, signed through a Signer (the token).
import { VanthuError } from '../../shared/errors.js';
import type { HashAlgorithm, SignatureAlgorithm } from '../../shared/token.js';
import type { Signer } from '../token/signer.js';
import { digestAlgorithmIdentifier, signatureAlgorithmIdentifier } from './algorithms.js';
import { certificateId, issuerAndSerialNumber } from './certificate-id.js';
import { bytesEqual, contextTag, encode, octetString, oid, readWhole, sequence, setOf, smallInteger, sortSetMembers, toHex } from './der.js';
import { OID } from './oids.js';
import { buildSignedAttributes } from './signed-attributes.js';
import { signatureVerifies } from './signature-check.js';

export interface CmsSignRequest {
  signer: Signer;
  /** The signer's certificate (DER); its key must be the one `signer` uses. */
  certificate: Uint8Array;
  /** Issuer certificates (DER) to embed so verifiers can build the chain. */
  chain?: Uint8Array[];
  /** Digest of the signed content under `digestAlgorithm` (PAdES: of the ByteRange bytes). */
  contentDigest: Uint8Array;
  digestAlgorithm: HashAlgorithm;
  /** Its hash must equal `digestAlgorithm`: one hash for content, attributes and signature. */
  signatureAlgorithm: SignatureAlgorithm;
  /** More signed Attribute TLVs (e.g. signature-policy-identifier for PAdES-EPES-like profiles). */
  extraSignedAttributes?: Uint8Array[];
}

function assertParsableCertificate(der: Uint8Array, what: string): void {
  try {
    readWhole(der);
  } catch (error) {
    throw new VanthuError('CERT_PARSE_FAILED', { detail: `${what}: ${error instanceof Error ? error.message : String(error)}` }, { cause: error });
  }
}

/** The certificates field: the signer's certificate and its chain, once each, as a DER SET. */
function certificatesField(certificate: Uint8Array, chain: Uint8Array[]): Uint8Array {
  const unique: Uint8Array[] = [];
  for (const der of [certificate, ...chain]) if (!unique.some((seen) => bytesEqual(seen, der))) unique.push(der);
  return encode(contextTag(0), ...sortSetMembers(unique));
}

/**
 * Signs `contentDigest` and returns the DER ContentInfo of a detached SignedData for PAdES
 * (ETSI EN 319 142-1 B-B): signed attributes contentType, messageDigest, signing-certificate-v2.
 * The signature is checked against the certificate before returning, so a token whose key does
 * not match the chosen certificate fails here rather than in every verifier later.
 */
export async function buildCmsSignedData(request: CmsSignRequest): Promise<Uint8Array> {
  const { certificate, digestAlgorithm, signatureAlgorithm } = request;
  const chain = request.chain ?? [];
  if (signatureAlgorithm.hash !== digestAlgorithm) {
    throw new VanthuError('BAD_INPUT', { detail: `signature hash ${signatureAlgorithm.hash} differs from digest algorithm ${digestAlgorithm}` });
  }
  assertParsableCertificate(certificate, 'signer certificate');
  chain.forEach((der, i) => assertParsableCertificate(der, `chain certificate ${i + 1}`));

  const signedAttributes = buildSignedAttributes({
    contentDigest: request.contentDigest,
    digestAlgorithm,
    certificate,
    extraAttributes: request.extraSignedAttributes,
  });
  const signature = await request.signer.sign(signedAttributes, signatureAlgorithm);

  const digestAlgorithmId = digestAlgorithmIdentifier(digestAlgorithm);
  const signatureAlgorithmId = signatureAlgorithmIdentifier(signatureAlgorithm);
  const verifies = signatureVerifies({
    certificate,
    signatureAlgorithm: readWhole(signatureAlgorithmId),
    digestAlgorithm: readWhole(digestAlgorithmId),
    data: signedAttributes,
    signature,
  });
  if (!verifies) throw new VanthuError('CMS_SIGNATURE_MISMATCH', { cert: `serial ${toHex(readWhole(certificateId(certificate).serial).content)}` });

  // In SignerInfo the same SET bytes are stored under [0] IMPLICIT.
  const storedAttributes = Uint8Array.from(signedAttributes);
  storedAttributes[0] = contextTag(0);
  const signerInfo = sequence(
    smallInteger(1),
    issuerAndSerialNumber(certificateId(certificate)),
    digestAlgorithmId,
    storedAttributes,
    signatureAlgorithmId,
    octetString(signature),
  );
  const signedData = sequence(
    smallInteger(1),
    setOf(digestAlgorithmId),
    sequence(oid(OID.data)),
    certificatesField(certificate, chain),
    setOf(signerInfo),
  );
  return sequence(oid(OID.signedData), encode(contextTag(0), signedData));
}
