// Posts an RFC 3161 query over HTTP(S) with one overall deadline, turning network failures into TSA_* errors.
import http from 'node:http';
import https from 'node:https';
import { VanthuError } from '../../shared/errors.js';

export interface TsaHttpOptions {
  /** Overall limit for connect, send and the whole answer. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Extra request headers, e.g. Authorization for a commercial TSA. */
  headers?: Record<string, string>;
  /** Larger answers are refused: a token with its chain is a few kilobytes. */
  maxResponseBytes?: number;
}

const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** The URL without credentials or query, for error messages (they can end up in logs). */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

export function postTimestampQuery(urlText: string, query: Uint8Array, options: TsaHttpOptions): Promise<Uint8Array> {
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    return Promise.reject(new VanthuError('BAD_INPUT', { detail: `TSA URL "${urlText}" is not a URL` }));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new VanthuError('BAD_INPUT', { detail: `TSA URL must be http or https: ${displayUrl(url)}` }));
  }
  const shownUrl = displayUrl(url);
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  return new Promise<Uint8Array>((resolve, reject) => {
    let settled = false;
    const finish = (error: VanthuError | undefined, body?: Uint8Array) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) {
        request.destroy();
        reject(error);
      } else resolve(body ?? new Uint8Array());
    };
    const onAbort = () => finish(new VanthuError('TSA_CANCELLED', { url: shownUrl }));
    const timer = setTimeout(
      () => finish(new VanthuError('TSA_TIMEOUT', { url: shownUrl, seconds: Math.round(options.timeoutMs / 100) / 10 })),
      options.timeoutMs,
    );

    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(url, {
      method: 'POST',
      headers: {
        ...options.headers,
        'Content-Type': 'application/timestamp-query',
        Accept: 'application/timestamp-reply',
        'Content-Length': String(query.length),
      },
    });
    request.on('error', (error: NodeJS.ErrnoException) => {
      finish(new VanthuError('TSA_UNREACHABLE', { url: shownUrl, detail: error.code ?? error.message }, { cause: error }));
    });
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status !== 200) {
        response.resume();
        finish(new VanthuError('TSA_HTTP_ERROR', { url: shownUrl, status: `${status} ${response.statusMessage ?? ''}`.trim() }));
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) finish(new VanthuError('TSA_BAD_RESPONSE', { url: shownUrl, detail: `answer larger than ${maxBytes} bytes` }));
        else chunks.push(chunk);
      });
      response.on('end', () => finish(undefined, new Uint8Array(Buffer.concat(chunks))));
      response.on('error', (error) => finish(new VanthuError('TSA_UNREACHABLE', { url: shownUrl, detail: error.message }, { cause: error })));
    });

    if (options.signal?.aborted) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    request.end(query);
  });
}
