// HTTP to the exchange server: a cut network becomes EXCHANGE_UNREACHABLE (retryable), an error body EXCHANGE_REFUSED.
import { errorBody } from '../../shared/exchange-protocol.js';
import { isVanthuError, VanthuError } from '../../shared/errors.js';

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  body: Uint8Array;
}

const describe = (error: unknown): string => {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error instanceof Error ? `${error.message}${cause}` : String(error);
};

/** The bytes as fetch's types take them (a view of an ArrayBuffer): as they are, or copied out of a shared buffer. fetch copies them again itself. */
const arrayBufferView = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => (bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes));

/** Sends one request and reads the whole answer; the body is read inside the try because a cut can come mid-answer. */
export async function httpCall(baseUrl: string, request: HttpRequest, init: { signal?: AbortSignal } = {}): Promise<HttpResult> {
  try {
    const response = await fetch(new URL(request.path, baseUrl), {
      method: request.method,
      ...(init.signal ? { signal: init.signal } : {}),
      headers: request.headers ?? {},
      ...(request.body === undefined ? {} : { body: typeof request.body === 'string' ? request.body : arrayBufferView(request.body) }),
    });
    const body = new Uint8Array(await response.arrayBuffer());
    return { status: response.status, headers: response.headers, body };
  } catch (error) {
    throw new VanthuError('EXCHANGE_UNREACHABLE', { url: baseUrl, detail: describe(error) }, { cause: error });
  }
}

/** The server's refusal as our error, keeping the HTTP status and the server's code in params. */
export function refusal(result: HttpResult): VanthuError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(result.body).toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const body = errorBody.safeParse(parsed);
  const error = body.success ? body.data.error : { code: 'HTTP_ERROR', messageVi: `HTTP ${result.status}`, messageEn: `HTTP ${result.status}` };
  const reasons = body.success && body.data.reasons ? ` — ${body.data.reasons.map((r) => r.messageEn).join('; ')}` : '';
  // Kept apart for the attention words (shared/attention): which recipient, which file, which per-file reasons.
  const serverParams = body.success ? (body.data.error.params ?? {}) : {};
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value.slice(0, 300) : undefined);
  const reasonCodes = body.success && body.data.reasons ? [...new Set(body.data.reasons.map((r) => r.code))].join(',') : undefined;
  return new VanthuError('EXCHANGE_REFUSED', {
    status: result.status,
    code: error.code,
    messageVi: error.messageVi,
    messageEn: `${error.messageEn}${reasons}`,
    organId: text(serverParams.organId),
    fileName: text(serverParams.name),
    reasonCodes: reasonCodes || undefined,
  });
}

export const jsonOf = (result: HttpResult): unknown => JSON.parse(Buffer.from(result.body).toString('utf8'));

/** Worth retrying later: the network, a busy or failing server, an open circuit. A 4xx is an answer and will not change. */
export const isTransient = (error: unknown): boolean =>
  isVanthuError(error, 'EXCHANGE_UNREACHABLE') ||
  isVanthuError(error, 'EXCHANGE_OFFLINE') ||
  (isVanthuError(error, 'EXCHANGE_REFUSED') && (Number(error.params.status) >= 500 || Number(error.params.status) === 429));
