// HTTP status for each catalogue code, and the bilingual error body every refusal carries.
import type { ErrorBody } from '../shared/exchange-protocol.js';
import { VanthuError, type ErrorCode } from '../shared/errors.js';

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_INPUT: 400,
  CERT_PARSE_FAILED: 400,
  SERVER_BAD_REQUEST: 400,
  SERVER_MALFORMED_JSON: 400,
  SERVER_IDEMPOTENCY_KEY_MISSING: 400,
  SERVER_ORGAN_ID_INVALID: 400,
  SERVER_UNAUTHENTICATED: 401,
  SERVER_TOKEN_EXPIRED: 401,
  SERVER_CHALLENGE_INVALID: 401,
  SERVER_LOGIN_SIGNATURE_INVALID: 401,
  SERVER_CERT_UNTRUSTED: 401,
  SERVER_CERT_REVOKED: 401,
  SERVER_CERT_NOT_BOUND: 403,
  SERVER_SENDER_MISMATCH: 403,
  SERVER_STATUS_NOT_ALLOWED: 403,
  SERVER_NOT_FOUND: 404,
  SERVER_ROUTE_NOT_FOUND: 404,
  SERVER_STATUS_TRANSITION: 409,
  SERVER_UPLOAD_OFFSET_MISMATCH: 409,
  SERVER_AGENCY_EXISTS: 409,
  SERVER_CERT_ALREADY_BOUND: 409,
  SERVER_PAYLOAD_TOO_LARGE: 413,
  SERVER_UPLOAD_TOO_LONG: 413,
  SERVER_UNSUPPORTED_MEDIA_TYPE: 415,
  SERVER_RANGE_NOT_SATISFIABLE: 416,
  SERVER_BLOB_HASH_MISMATCH: 422,
  SERVER_IDEMPOTENCY_CONFLICT: 422,
  SERVER_UNKNOWN_RECIPIENT: 422,
  SERVER_IN_REPLY_TO_INVALID: 422,
  SERVER_RECIPIENT_NOT_ORIGINAL: 422,
  SERVER_SUBMISSION_INVALID: 422,
  SERVER_FILE_MISSING: 422,
  SERVER_RATE_LIMITED: 429,
  // Not the client's fault: the revocation service is down; a retry may succeed.
  SERVER_CERT_REVOCATION_UNKNOWN: 503,
  SERVER_SHUTTING_DOWN: 503,
};

export interface Reason {
  file?: string;
  code: string;
  messageVi: string;
  messageEn: string;
}

/** A refused submission: one code for the whole, and every reason found (each file, each signature). */
export class SubmissionRefused extends VanthuError {
  constructor(readonly reasons: Reason[]) {
    super('SERVER_SUBMISSION_INVALID', { count: reasons.length });
  }
}

export const httpStatusFor = (error: VanthuError): number => STATUS[error.code] ?? 500;

export function errorBodyOf(error: VanthuError): ErrorBody {
  const body: ErrorBody = { error: { code: error.code, messageVi: error.messageVi, messageEn: error.messageEn, params: error.params } };
  if (error instanceof SubmissionRefused) body.reasons = error.reasons;
  return body;
}

export const notFound = (whatVi: string, whatEn: string): VanthuError => new VanthuError('SERVER_NOT_FOUND', { whatVi, whatEn });
