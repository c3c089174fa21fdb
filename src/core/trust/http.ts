// Fetches OCSP responses and CRLs over HTTP with a deadline; every failure becomes a problem, never a throw.
import { copyBytes } from './bytes.js';
import { problem } from './problems.js';
import type { TrustProblem } from './types.js';

/** Big CAs publish CRLs of tens of megabytes; beyond this the answer is not a CRL worth parsing. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export type FetchOutcome = { bytes: Uint8Array } | { problem: TrustProblem };

export const isHttpUrl = (url: string): boolean => /^https?:\/\//i.test(url);

const causeText = (error: unknown): string => {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = (cause as { code?: unknown }).code;
  const message = cause instanceof Error ? cause.message : String(cause);
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
};

export async function fetchBytes(
  service: 'OCSP' | 'CRL' | 'CA issuer',
  url: string,
  request: { body?: Uint8Array; contentType?: string; accept: string },
  timeoutMs: number,
  fetchImpl: typeof fetch,
): Promise<FetchOutcome> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetchImpl(url, {
      method: request.body ? 'POST' : 'GET',
      body: request.body ? copyBytes(request.body) : undefined,
      // Close after the answer: responders such as `openssl ocsp` serve one connection at a time.
      headers: { accept: request.accept, connection: 'close', ...(request.contentType ? { 'content-type': request.contentType } : {}) },
      signal,
      redirect: 'follow',
    });
    if (!response.ok) {
      await response.body?.cancel();
      return { problem: problem('TRUST_REVOCATION_HTTP_ERROR', { service, url, status: response.status }) };
    }
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > MAX_BODY_BYTES) {
      await response.body?.cancel();
      return { problem: problem('TRUST_REVOCATION_UNREACHABLE', { service, url, detail: `answer too large (${length} bytes)` }) };
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > MAX_BODY_BYTES) return { problem: problem('TRUST_REVOCATION_UNREACHABLE', { service, url, detail: 'answer too large' }) };
    return { bytes };
  } catch (error) {
    if (signal.aborted) return { problem: problem('TRUST_REVOCATION_TIMEOUT', { service, url, seconds: Math.round(timeoutMs / 100) / 10 }) };
    return { problem: problem('TRUST_REVOCATION_UNREACHABLE', { service, url, detail: causeText(error) }) };
  }
}
