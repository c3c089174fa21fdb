// Which failures are worth retrying, which wait for the user (login, token), and which never will succeed.
import { VanthuError, isVanthuError, type ErrorCode } from '../../shared/errors.js';

export type FailureClass =
  /** Network, TSA, a busy or full disk: retried with backoff, then needs attention. */
  | 'transient'
  /** The PIN must be entered again: the job waits, its attempt is not spent. */
  | 'needs_login'
  /** The token is unplugged: the job waits for it. */
  | 'needs_token'
  /** The exchange server's circuit is open: the job sleeps until it may be online again, its attempt is not spent. */
  | 'offline'
  /** The input or the certificate is wrong: retrying cannot help. */
  | 'permanent';

export interface FailureReason {
  code: string;
  messageVi: string;
  messageEn: string;
  /** EXCHANGE_REFUSED: the HTTP status and the server's own code, and per-file reason codes (comma-separated). */
  status?: number;
  serverCode?: string;
  reasonCodes?: string;
  /** The recipient or file the failure names, when it names one (shown in the attention words). */
  organId?: string;
  fileName?: string;
  /** OUTBOX_GAVE_UP: the code of the failure that kept coming back. */
  causeCode?: string;
}

/** The facts of a VanthuError's params that the attention words use; never a message id, a job id or a secret. */
function factsOf(error: VanthuError): Partial<FailureReason> {
  const p = error.params;
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
  const facts: Partial<FailureReason> = {};
  if (error.code === 'EXCHANGE_REFUSED') {
    const status = Number(p.status);
    if (Number.isInteger(status)) facts.status = status;
    if (text(p.code)) facts.serverCode = text(p.code)!;
    if (text(p.reasonCodes)) facts.reasonCodes = text(p.reasonCodes)!;
  }
  if (text(p.organId)) facts.organId = text(p.organId)!;
  const fileName = text(p.fileName) ?? text(p.name);
  if (fileName) facts.fileName = fileName;
  if (text(p.causeCode)) facts.causeCode = text(p.causeCode)!;
  return facts;
}

const NEEDS_LOGIN = new Set<ErrorCode>(['TOKEN_NOT_LOGGED_IN', 'TOKEN_PIN_INCORRECT', 'EXCHANGE_NEEDS_LOGIN']);
const NEEDS_TOKEN = new Set<ErrorCode>(['TOKEN_REMOVED', 'TOKEN_NOT_FOUND']);
const TRANSIENT = new Set<ErrorCode>([
  'STORE_BUSY',
  'STORE_DISK_FULL',
  'SIGNING_LTV_INCOMPLETE',
  'TOKEN_OPERATION_FAILED',
  'OUTBOX_LEASE_LOST',
  'EXCHANGE_UNREACHABLE',
]);

/** Node's network failures (fetch, sockets) carry these codes on the error or its cause. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

function isNetworkError(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  if (error instanceof TypeError && error.message === 'fetch failed') return true;
  return isNetworkError(error.cause, depth + 1);
}

export function classifyFailure(error: unknown): FailureClass {
  if (isVanthuError(error)) {
    if (NEEDS_LOGIN.has(error.code)) return 'needs_login';
    if (NEEDS_TOKEN.has(error.code)) return 'needs_token';
    // The server holds the submission pending a check: asked again later, like an offline server, no attempt spent.
    if (error.code === 'EXCHANGE_OFFLINE' || error.code === 'EXCHANGE_PENDING_CHECK') return 'offline';
    if (TRANSIENT.has(error.code)) return 'transient';
    // The exchange server overloaded or failing: its answer may be different next time; a 4xx will not.
    if (error.code === 'EXCHANGE_REFUSED' && (Number(error.params.status) >= 500 || Number(error.params.status) === 429)) return 'transient';
    // Every TSA failure (down, slow, lying) and every revocation service failure is the other side's.
    if (error.code.startsWith('TSA_') || error.code.startsWith('TRUST_REVOCATION_')) return 'transient';
    return 'permanent';
  }
  // A bug is permanent: retrying it would hide it behind backoff instead of showing it to someone.
  return isNetworkError(error) ? 'transient' : 'permanent';
}

/** How long an 'offline' failure asks to sleep (the circuit's cool-down, the server's next check), when it says. */
export function offlineDelayMs(error: unknown): number | undefined {
  if (!isVanthuError(error, 'EXCHANGE_OFFLINE') && !isVanthuError(error, 'EXCHANGE_PENDING_CHECK')) return undefined;
  const seconds = Number(error.params.retryInSeconds);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** The bilingual reason stored with the job and shown to the user; stacks and secrets never go in. */
export function reasonOf(error: unknown): FailureReason {
  if (isVanthuError(error)) return { code: error.code, messageVi: error.messageVi, messageEn: error.messageEn, ...factsOf(error) };
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const internal = new VanthuError('OUTBOX_INTERNAL', { detail: detail.slice(0, 500) });
  return { code: internal.code, messageVi: internal.messageVi, messageEn: internal.messageEn };
}
