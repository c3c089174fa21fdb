// AlgorithmIdentifiers for the digests and signatures vanthu makes, and hashing by HashAlgorithm.
import { createHash } from 'node:crypto';
import type { HashAlgorithm, SignatureAlgorithm } from '../../shared/token.js';
import { contextTag, encode, oid, sequence, smallInteger, derNull } from './der.js';
import { OID } from './oids.js';

interface HashFacts {
  oid: string;
  node: string;
  length: number;
  rsa: string;
  ecdsa: string;
}

export const HASHES: Record<HashAlgorithm, HashFacts> = {
  'SHA-256': { oid: OID.sha256, node: 'sha256', length: 32, rsa: OID.sha256WithRsa, ecdsa: OID.ecdsaWithSha256 },
  'SHA-384': { oid: OID.sha384, node: 'sha384', length: 48, rsa: OID.sha384WithRsa, ecdsa: OID.ecdsaWithSha384 },
  'SHA-512': { oid: OID.sha512, node: 'sha512', length: 64, rsa: OID.sha512WithRsa, ecdsa: OID.ecdsaWithSha512 },
};

export const hashBytes = (hash: HashAlgorithm, data: Uint8Array): Uint8Array =>
  new Uint8Array(createHash(HASHES[hash].node).update(data).digest());

/** SHA-2 digest AlgorithmIdentifier with parameters absent, as RFC 5754 asks of writers. */
export const digestAlgorithmIdentifier = (hash: HashAlgorithm): Uint8Array => sequence(oid(HASHES[hash].oid));

/** RSASSA-PSS-params of RFC 4055: hash, MGF1 with the same hash, salt length; trailer field left at its default. */
function pssParameters(hash: HashAlgorithm, saltLength: number): Uint8Array {
  const hashId = digestAlgorithmIdentifier(hash);
  return sequence(
    encode(contextTag(0), hashId),
    encode(contextTag(1), sequence(oid(OID.mgf1), hashId)),
    encode(contextTag(2), smallInteger(saltLength)),
  );
}

export function signatureAlgorithmIdentifier(algorithm: SignatureAlgorithm): Uint8Array {
  const facts = HASHES[algorithm.hash];
  switch (algorithm.name) {
    case 'RSASSA-PKCS1-v1_5':
      // RFC 4055: the PKCS#1 v1.5 signature OIDs carry an explicit NULL.
      return sequence(oid(facts.rsa), derNull());
    case 'RSA-PSS':
      return sequence(oid(OID.rsassaPss), pssParameters(algorithm.hash, algorithm.saltLength ?? facts.length));
    case 'ECDSA':
      // RFC 5758: ecdsa-with-SHA2 identifiers have no parameters.
      return sequence(oid(facts.ecdsa));
  }
}
