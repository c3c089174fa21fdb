// Checks a CMS signature value against a certificate's public key, reading the algorithm from its AlgorithmIdentifier.
import { X509Certificate, constants, verify, type KeyObject, type VerifyKeyObjectInput } from 'node:crypto';
import { derKey, remember } from '../x509/parse-cache.js';
import { DerError, TAG, contextTag, expectTag, readChildren, readElement, readOid, readSmallInteger, type DerElement } from './der.js';
import { OID } from './oids.js';

const DIGEST_NAMES: Record<string, string> = {
  [OID.sha1]: 'sha1',
  [OID.sha224]: 'sha224',
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};

/** Signature OIDs that name their own hash. */
const SIGNATURE_HASHES: Record<string, { hash: string; family: 'rsa' | 'ecdsa' | 'ecdsa-plain' }> = {
  [OID.sha1WithRsa]: { hash: 'sha1', family: 'rsa' },
  [OID.sha224WithRsa]: { hash: 'sha224', family: 'rsa' },
  [OID.sha256WithRsa]: { hash: 'sha256', family: 'rsa' },
  [OID.sha384WithRsa]: { hash: 'sha384', family: 'rsa' },
  [OID.sha512WithRsa]: { hash: 'sha512', family: 'rsa' },
  [OID.ecdsaWithSha1]: { hash: 'sha1', family: 'ecdsa' },
  [OID.ecdsaWithSha224]: { hash: 'sha224', family: 'ecdsa' },
  [OID.ecdsaWithSha256]: { hash: 'sha256', family: 'ecdsa' },
  [OID.ecdsaWithSha384]: { hash: 'sha384', family: 'ecdsa' },
  [OID.ecdsaWithSha512]: { hash: 'sha512', family: 'ecdsa' },
  [OID.ecdsaPlainSha1]: { hash: 'sha1', family: 'ecdsa-plain' },
  [OID.ecdsaPlainSha224]: { hash: 'sha224', family: 'ecdsa-plain' },
  [OID.ecdsaPlainSha256]: { hash: 'sha256', family: 'ecdsa-plain' },
  [OID.ecdsaPlainSha384]: { hash: 'sha384', family: 'ecdsa-plain' },
  [OID.ecdsaPlainSha512]: { hash: 'sha512', family: 'ecdsa-plain' },
};

/** An algorithm (or key) this verifier does not implement: "cannot tell", never "does not verify". */
export class UnsupportedAlgorithmError extends Error {
  override name = 'UnsupportedAlgorithmError';
}

const KEY_OPTIONS = {
  rsa: { padding: constants.RSA_PKCS1_PADDING },
  ecdsa: { dsaEncoding: 'der' },
  'ecdsa-plain': { dsaEncoding: 'ieee-p1363' },
} as const satisfies Record<string, Omit<VerifyKeyObjectInput, 'key'>>;

/** Node's digest name for a digest AlgorithmIdentifier; undefined when unsupported. */
export function digestNameOf(algorithmIdentifier: DerElement): string | undefined {
  return DIGEST_NAMES[readOid(readChildren(expectTag(algorithmIdentifier, TAG.SEQUENCE, 'AlgorithmIdentifier'))[0])];
}

interface VerifyPlan {
  hash: string;
  key: Omit<VerifyKeyObjectInput, 'key'>;
}

function pssPlan(parameters: DerElement | undefined): VerifyPlan {
  // RFC 4055 defaults: SHA-1, MGF1 with SHA-1, salt 20.
  let hash = 'sha1';
  let mgfHash = 'sha1';
  let saltLength = 20;
  for (const field of parameters ? readChildren(expectTag(parameters, TAG.SEQUENCE, 'RSASSA-PSS-params')) : []) {
    const inner = readElement(field.content);
    if (field.tag === contextTag(0)) hash = digestNameOf(inner) ?? 'unsupported';
    else if (field.tag === contextTag(1)) {
      const [mgfOid, mgfParameters] = readChildren(inner);
      if (readOid(mgfOid) !== OID.mgf1 || !mgfParameters) throw new DerError('RSASSA-PSS mask generation is not MGF1');
      mgfHash = digestNameOf(mgfParameters) ?? 'unsupported';
    } else if (field.tag === contextTag(2)) saltLength = readSmallInteger(inner);
    else if (field.tag === contextTag(3) && readSmallInteger(inner) !== 1) throw new DerError('RSASSA-PSS trailer field is not 1');
  }
  if (hash !== mgfHash || hash === 'unsupported') throw new UnsupportedAlgorithmError(`RSASSA-PSS with hash ${hash} and MGF1 hash ${mgfHash} is not supported`);
  return { hash, key: { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength } };
}

function planFor(signatureAlgorithm: DerElement, digestAlgorithm: DerElement): VerifyPlan {
  const [algorithmOid, parameters] = readChildren(expectTag(signatureAlgorithm, TAG.SEQUENCE, 'signatureAlgorithm'));
  const algorithm = readOid(algorithmOid);
  if (algorithm === OID.rsassaPss) return pssPlan(parameters?.tag === TAG.NULL ? undefined : parameters);
  const named = SIGNATURE_HASHES[algorithm];
  if (named) return { hash: named.hash, key: KEY_OPTIONS[named.family] };
  // Older writers name only the key type and leave the hash to digestAlgorithm.
  const digest = digestNameOf(digestAlgorithm);
  if (digest && algorithm === OID.rsaEncryption) return { hash: digest, key: KEY_OPTIONS.rsa };
  if (digest && algorithm === OID.ecPublicKey) return { hash: digest, key: KEY_OPTIONS.ecdsa };
  throw new UnsupportedAlgorithmError(`signature algorithm ${algorithm}${digest ? '' : ' with an unknown digest'} is not supported`);
}

/**
 * The certificate's public key, read once per certificate across verifications (the seal and TSA certificates of
 * every document of a sender are the same bytes). Throws as signatureVerifies says; a throw is not kept.
 */
function publicKeyOf(der: Uint8Array): KeyObject {
  return remember(
    derKey('x509-public-key', der),
    () => {
      let certificate: X509Certificate;
      try {
        certificate = new X509Certificate(der);
      } catch (error) {
        throw new DerError(`the signer's certificate cannot be read: ${error instanceof Error ? error.message : String(error)}`);
      }
      try {
        return certificate.publicKey;
      } catch (error) {
        // OpenSSL refuses keys on curves it does not know (e.g. GOST, SM2 in some builds).
        throw new UnsupportedAlgorithmError(`the certificate's public key cannot be used: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    () => true,
  );
}

/**
 * Whether `signature` over `data` verifies with the certificate's key. Throws DerError when the
 * algorithm cannot be read, UnsupportedAlgorithmError when it is not implemented (both a different
 * answer from "does not verify").
 */
export function signatureVerifies(options: {
  certificate: Uint8Array;
  signatureAlgorithm: DerElement;
  digestAlgorithm: DerElement;
  data: Uint8Array;
  signature: Uint8Array;
}): boolean {
  const plan = planFor(options.signatureAlgorithm, options.digestAlgorithm);
  const publicKey = publicKeyOf(options.certificate);
  try {
    // Node's defaults (PKCS#1 v1.5, DER-encoded ECDSA) take the key as it is: wrapped in options, each call costs twice the time.
    // Only for a key of the plan's own type: an RSA-PSS key's own default is PSS, so the options must stay explicit there.
    const asItIs = (plan.key === KEY_OPTIONS.rsa && publicKey.asymmetricKeyType === 'rsa') || (plan.key === KEY_OPTIONS.ecdsa && publicKey.asymmetricKeyType === 'ec');
    return verify(plan.hash, options.data, asItIs ? publicKey : { key: publicKey, ...plan.key }, options.signature);
  } catch {
    // Node throws on some malformed signatures (e.g. bad DER for ECDSA) instead of returning false.
    return false;
  }
}
