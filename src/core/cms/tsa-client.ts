// RFC 3161 client: asks a TSA to timestamp a digest and returns the checked TimeStampToken.
import type { HashAlgorithm } from '../../shared/token.js';
import { buildTimestampRequest } from './timestamp-request.js';
import { acceptTimestampResponse, type Timestamp } from './timestamp-response.js';
import { displayUrl, postTimestampQuery } from './tsa-http.js';

/** The government TSA has been seen to take from 2 s to over 2 minutes. */
export const DEFAULT_TSA_TIMEOUT_MS = 180_000;

export interface TsaOptions {
  url: string;
  /** Overall limit for one request; default DEFAULT_TSA_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Cancels the request (TSA_CANCELLED). */
  signal?: AbortSignal;
  /** TSA policy to ask for; the TSA's default when absent. */
  policyOid?: string;
  headers?: Record<string, string>;
}

/**
 * Timestamps `digest` (made with `hash`). The answer must be granted, carry our nonce and
 * imprint, and be signed by the certificate inside the token; whether that certificate is
 * trusted is decided by validation, not here.
 */
export async function requestTimestamp(digest: Uint8Array, hash: HashAlgorithm, options: TsaOptions): Promise<Timestamp> {
  const request = buildTimestampRequest(digest, hash, options.policyOid);
  const response = await postTimestampQuery(options.url, request.der, {
    timeoutMs: options.timeoutMs ?? DEFAULT_TSA_TIMEOUT_MS,
    signal: options.signal,
    headers: options.headers,
  });
  return acceptTimestampResponse(response, request, displayUrl(new URL(options.url)));
}
