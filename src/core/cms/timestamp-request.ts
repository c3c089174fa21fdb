// Builds an RFC 3161 TimeStampReq for a digest, with a fresh random nonce and certReq set.
import { randomBytes } from 'node:crypto';
import { VanthuError } from '../../shared/errors.js';
import type { HashAlgorithm } from '../../shared/token.js';
import { HASHES } from './algorithms.js';
import { derNull, octetString, oid, sequence, smallInteger, unsignedInteger } from './der.js';

export interface TimestampRequest {
  der: Uint8Array;
  /** The nonce's INTEGER magnitude, to compare with the answer. */
  nonce: Uint8Array;
  hash: HashAlgorithm;
  digest: Uint8Array;
}

const BOOLEAN_TRUE = Uint8Array.of(0x01, 0x01, 0xff);

/** A positive 63-bit nonce whose top byte is never zero, so its INTEGER encoding is always 8 bytes. */
function freshNonce(): Uint8Array {
  const nonce = new Uint8Array(randomBytes(8));
  nonce[0] = ((nonce[0] ?? 0) & 0x7f) | 0x40;
  return nonce;
}

export function buildTimestampRequest(digest: Uint8Array, hash: HashAlgorithm, policyOid?: string): TimestampRequest {
  if (digest.length !== HASHES[hash].length) {
    throw new VanthuError('BAD_INPUT', { detail: `a ${hash} digest has ${HASHES[hash].length} bytes, got ${digest.length}` });
  }
  const nonce = freshNonce();
  // The hash AlgorithmIdentifier carries NULL parameters as `openssl ts -query` sends: the form every TSA accepts.
  const messageImprint = sequence(sequence(oid(HASHES[hash].oid), derNull()), octetString(digest));
  const der = sequence(
    smallInteger(1),
    messageImprint,
    ...(policyOid ? [oid(policyOid)] : []),
    unsignedInteger(nonce),
    // certReq TRUE: the answer must carry the TSA certificate, which validators need later.
    BOOLEAN_TRUE,
  );
  return { der, nonce, hash, digest };
}
