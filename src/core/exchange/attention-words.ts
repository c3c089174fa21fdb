// Why a document or job needs attention, in plain Vietnamese and English, and which actions fit: from the recorded failure code (ours or the exchange server's).
import { errorCatalogue, type ErrorCode } from '../../shared/errors.js';
import { vietnamDateTime } from '../../shared/vietnam-time.js';
import type { FailureReason } from '../outbox/classify.js';

/**
 * What the user can do about it. retry: queue the job again; edit_recipients: change the recipients and
 * send again; resign: back to signing (the file is refused), then issue and send again; cancel: take it
 * out of the outbox; contact: the recipient agency's name and organ id; login: unlock the token.
 */
export const attentionActions = ['retry', 'edit_recipients', 'resign', 'cancel', 'contact', 'login'] as const;
export type AttentionAction = (typeof attentionActions)[number];

export interface CauseFacts {
  organId?: string | undefined;
  fileName?: string | undefined;
  /** When vanthu tries again by itself (ms since the epoch), when it will. */
  nextRetryAt?: number | undefined;
}

interface Cause {
  vi: (f: CauseFacts) => string;
  en: (f: CauseFacts) => string;
  actions: readonly AttentionAction[];
}

const organVi = (f: CauseFacts): string => (f.organId ? ` (mã định danh ${f.organId})` : '');
const organEn = (f: CauseFacts): string => (f.organId ? ` (organ id ${f.organId})` : '');
const fileVi = (f: CauseFacts): string => (f.fileName ? `Tệp “${f.fileName}”` : 'Tệp văn bản');
const fileEn = (f: CauseFacts): string => (f.fileName ? `The file “${f.fileName}”` : 'The document’s file');
const retryVi = (f: CauseFacts): string =>
  f.nextRetryAt ? ` vanthu sẽ tự thử lại lúc ${vietnamDateTime(new Date(f.nextRetryAt))}; có thể bấm “Thử lại” ngay.` : ' Bấm “Thử lại” khi đã khắc phục.';
const retryEn = (f: CauseFacts): string =>
  f.nextRetryAt ? ` vanthu tries again by itself at ${vietnamDateTime(new Date(f.nextRetryAt))} (Vietnam time); “Retry” tries now.` : ' Press “Retry” once it is fixed.';

/** The causes a person acts on; every error code maps to one of them. */
export const causes = {
  recipient_unknown: {
    vi: (f) => `Máy chủ trao đổi không biết cơ quan nhận${organVi(f)}: mã định danh sai hoặc cơ quan chưa tham gia trao đổi. Sửa nơi nhận rồi gửi lại, hoặc liên hệ cơ quan nhận.`,
    en: (f) => `The exchange server does not know the recipient${organEn(f)}: the organ id is wrong or the agency is not on the exchange. Correct the recipients and send again, or contact the recipient.`,
    actions: ['edit_recipients', 'contact', 'cancel'],
  },
  recipient_not_allowed: {
    vi: (f) => `Máy chủ trao đổi không chấp nhận nơi nhận${organVi(f)} cho văn bản này. Kiểm tra lại nơi nhận rồi gửi lại.`,
    en: (f) => `The exchange server does not accept the recipient${organEn(f)} for this document. Check the recipients and send again.`,
    actions: ['edit_recipients', 'contact', 'cancel'],
  },
  no_recipients: {
    vi: () => 'Văn bản chưa có nơi nhận. Chọn cơ quan nhận rồi gửi.',
    en: () => 'The document has no recipients. Choose the receiving agencies, then send.',
    actions: ['edit_recipients', 'cancel'],
  },
  file_not_covered: {
    vi: (f) => `${fileVi(f)} có nội dung thêm vào sau chữ ký cuối cùng, nên máy chủ không nhận. Mở văn bản, ký lại rồi gửi lại.`,
    en: (f) => `${fileEn(f)} has content added after its last signature, so the server refused it. Open the document, sign it again, then send it again.`,
    actions: ['resign', 'cancel'],
  },
  file_signature_invalid: {
    vi: (f) => `${fileVi(f)} có chữ ký không hợp lệ hoặc chưa xác minh được, nên máy chủ không nhận. Mở văn bản, xem chữ ký, ký lại rồi gửi lại.`,
    en: (f) => `${fileEn(f)} has a signature that is invalid or cannot be confirmed, so the server refused it. Open the document, check the signatures, sign again and send again.`,
    actions: ['resign', 'cancel'],
  },
  file_not_our_signature: {
    vi: (f) => `${fileVi(f)} không mang chữ ký số của cơ quan mình (hoặc chưa đóng dấu cơ quan). Mở văn bản, ký và đóng dấu bằng chứng thư số của cơ quan rồi gửi lại.`,
    en: (f) => `${fileEn(f)} does not carry our agency’s digital signature (or its seal). Open the document, sign and seal it with the agency’s certificate, then send again.`,
    actions: ['resign', 'cancel'],
  },
  file_not_accepted: {
    vi: (f) => `${fileVi(f)} không được nhận (không phải PDF, thiếu tệp hoặc tệp hỏng). Mở văn bản, thay tệp hoặc ký lại rồi gửi lại.`,
    en: (f) => `${fileEn(f)} was not accepted (not a PDF, missing or damaged). Open the document, replace the file or sign again, then send again.`,
    actions: ['resign', 'cancel'],
  },
  file_too_large: {
    vi: () => 'Tệp quá lớn so với giới hạn của máy chủ trao đổi. Giảm dung lượng tệp (ví dụ quét lại với độ phân giải thấp hơn) rồi ký và gửi lại.',
    en: () => 'A file is larger than the exchange server accepts. Make it smaller (scan again at a lower resolution, say), then sign and send again.',
    actions: ['resign', 'cancel'],
  },
  file_changed: {
    vi: () => 'Tệp của văn bản đã thay đổi hoặc bị thiếu trên máy sau khi xếp hàng gửi. Mở văn bản kiểm tra tệp, ký lại nếu cần rồi gửi lại.',
    en: () => 'The document’s file changed or went missing on this computer after it was queued. Open the document, check its files, sign again if needed and send again.',
    actions: ['resign', 'retry', 'cancel'],
  },
  document_invalid: {
    vi: () => 'Thông tin của văn bản không hợp lệ với máy chủ trao đổi (thiếu hoặc sai trường bắt buộc). Mở văn bản kiểm tra thông tin rồi gửi lại.',
    en: () => 'The document’s details are not valid for the exchange server (a required field is missing or wrong). Open the document, check its details and send again.',
    actions: ['resign', 'cancel'],
  },
  duplicate: {
    vi: () => 'Văn bản cùng số, ký hiệu (hoặc cùng nội dung) đã được gửi trước đó. Liên hệ cơ quan nhận để xác nhận họ đã nhận; nếu cần gửi bản khác thì hủy lần gửi này.',
    en: () => 'A document with the same number and notation (or the same content) was sent before. Contact the recipient to confirm they received it; to send a different version, cancel this sending.',
    actions: ['contact', 'cancel'],
  },
  server_unreachable: {
    vi: (f) => `Chưa kết nối được máy chủ trao đổi (mất mạng hoặc máy chủ bận). Văn bản vẫn nằm trong hàng đợi.${retryVi(f)}`,
    en: (f) => `The exchange server cannot be reached (no network, or the server is busy). The document stays queued.${retryEn(f)}`,
    actions: ['retry', 'cancel'],
  },
  server_checking: {
    vi: (f) => `Máy chủ trao đổi đã nhận văn bản nhưng đang chờ kiểm tra chữ ký.${retryVi(f)}`,
    en: (f) => `The exchange server took the document and is still checking its signatures.${retryEn(f)}`,
    actions: ['retry', 'cancel'],
  },
  gave_up: {
    vi: () => 'Đã thử gửi nhiều lần mà không được. Kiểm tra mạng và máy chủ trao đổi rồi bấm “Thử lại”.',
    en: () => 'Sending failed many times. Check the network and the exchange server, then press “Retry”.',
    actions: ['retry', 'cancel'],
  },
  server_problem: {
    vi: () => 'Máy chủ trao đổi trả lời bất thường. Thử lại sau; nếu vẫn lỗi, báo quản trị máy chủ trao đổi.',
    en: () => 'The exchange server gave an unexpected answer. Try again later; if it persists, tell the exchange server’s administrator.',
    actions: ['retry', 'cancel'],
  },
  axis_refused: {
    vi: (f) => `Trục liên thông văn bản quốc gia không chuyển được văn bản tới cơ quan nhận${organVi(f)}. Liên hệ cơ quan nhận, hoặc sửa nơi nhận rồi gửi lại.`,
    en: (f) => `The national document exchange axis could not deliver to the recipient${organEn(f)}. Contact the recipient, or correct the recipients and send again.`,
    actions: ['contact', 'edit_recipients', 'retry', 'cancel'],
  },
  needs_login: {
    vi: () => 'Cần cắm USB token và nhập mã PIN để đăng nhập máy chủ trao đổi; việc gửi đang chờ.',
    en: () => 'Plug in the USB token and enter the PIN to sign in to the exchange server; the sending is waiting.',
    actions: ['login', 'retry', 'cancel'],
  },
  token_missing: {
    vi: () => 'Không thấy USB token (chưa cắm hoặc đã rút ra). Cắm token, nhập mã PIN rồi bấm “Thử lại”.',
    en: () => 'The USB token is not there (not plugged in, or pulled out). Plug it in, enter the PIN, then press “Retry”.',
    actions: ['login', 'retry', 'cancel'],
  },
  pin_wrong: {
    vi: () => 'Mã PIN không đúng. Nhập lại mã PIN rồi bấm “Thử lại” (nhập sai nhiều lần token sẽ bị khóa).',
    en: () => 'The PIN was wrong. Enter it again, then press “Retry” (too many wrong tries lock the token).',
    actions: ['login', 'retry', 'cancel'],
  },
  pin_locked: {
    vi: () => 'Mã PIN của USB token đã bị khóa do nhập sai quá nhiều lần. Liên hệ nhà cung cấp chứng thư số để mở khóa, rồi thử lại.',
    en: () => 'The USB token’s PIN is locked after too many wrong tries. Ask the certificate provider to unlock it, then retry.',
    actions: ['retry', 'cancel'],
  },
  token_driver: {
    vi: () => 'Chưa nạp được trình điều khiển USB token. Cài trình điều khiển của nhà cung cấp (xem Thiết bị ký số), rồi thử lại.',
    en: () => 'The USB token driver could not be loaded. Install the vendor’s driver (see Tokens), then retry.',
    actions: ['retry', 'cancel'],
  },
  token_failed: {
    vi: () => 'USB token không thực hiện được thao tác (không thấy chứng thư số, khóa hoặc thuật toán). Kiểm tra token và chứng thư số đã chọn, rồi thử lại.',
    en: () => 'The USB token could not do it (certificate, key or algorithm not found). Check the token and the chosen certificate, then retry.',
    actions: ['login', 'retry', 'cancel'],
  },
  certificate_refused: {
    vi: () => 'Chứng thư số không được chấp nhận (không tin cậy, hết hạn, bị thu hồi hoặc chưa gắn với cơ quan trên máy chủ). Liên hệ quản trị máy chủ trao đổi hoặc nhà cung cấp chứng thư số.',
    en: () => 'The certificate was not accepted (untrusted, expired, revoked, or not bound to the agency on the server). Contact the exchange server’s administrator or the certificate provider.',
    actions: ['retry', 'cancel'],
  },
  sender_mismatch: {
    vi: () => 'Chứng thư số đăng nhập máy chủ không thuộc cơ quan ban hành văn bản. Chọn đúng chứng thư số của cơ quan trong Cài đặt, rồi thử lại.',
    en: () => 'The certificate used to sign in to the server is not the issuing agency’s. Choose the agency’s certificate in Settings, then retry.',
    actions: ['login', 'retry', 'cancel'],
  },
  revocation_unchecked: {
    vi: (f) => `Chưa kiểm tra được tình trạng thu hồi chứng thư số (dịch vụ OCSP/CRL không trả lời).${retryVi(f)}`,
    en: (f) => `The certificate’s revocation status could not be checked (the OCSP/CRL service did not answer).${retryEn(f)}`,
    actions: ['retry', 'cancel'],
  },
  timestamp_failed: {
    vi: (f) => `Dịch vụ cấp dấu thời gian (TSA) không trả lời hoặc trả lời sai.${retryVi(f)}`,
    en: (f) => `The timestamp service (TSA) did not answer, or answered wrongly.${retryEn(f)}`,
    actions: ['retry', 'cancel'],
  },
  signing_setup: {
    vi: () => 'Thiếu cài đặt để ký (ảnh chữ ký, ảnh con dấu hoặc địa chỉ dịch vụ dấu thời gian). Bổ sung trong Cài đặt rồi thử lại.',
    en: () => 'Signing lacks a setting (signature image, seal image or timestamp service address). Add it in Settings, then retry.',
    actions: ['retry', 'cancel'],
  },
  signing_failed: {
    vi: () => 'Không ký được văn bản (tệp PDF không ký được hoặc chưa tìm thấy chỗ đặt chữ ký). Mở văn bản kiểm tra tệp và vị trí ký, rồi ký lại.',
    en: () => 'The document could not be signed (the PDF cannot be signed, or the signature place was not found). Open it, check the file and the signature place, then sign again.',
    actions: ['resign', 'cancel'],
  },
  wrong_state: {
    vi: () => 'Văn bản không còn ở bước cho phép việc này (có thể đã được xử lý ở chỗ khác). Mở văn bản để xem trạng thái hiện tại.',
    en: () => 'The document is no longer at a step that allows this (it may have been handled elsewhere). Open it to see where it is now.',
    actions: ['cancel'],
  },
  local_store: {
    vi: (f) => `Kho dữ liệu trên máy đang bận hoặc gặp lỗi (ổ đĩa đầy, tệp dữ liệu hỏng).${retryVi(f)}`,
    en: (f) => `The data store on this computer is busy or failing (a full disk, a damaged data file).${retryEn(f)}`,
    actions: ['retry', 'cancel'],
  },
  receipt_invalid: {
    vi: () => 'Biên nhận của máy chủ trao đổi không xác minh được, nên chưa coi là đã gửi. Thử lại; nếu vẫn lỗi, báo quản trị máy chủ trao đổi.',
    en: () => 'The exchange server’s receipt could not be verified, so the document is not taken as sent. Retry; if it persists, tell the server’s administrator.',
    actions: ['retry', 'cancel'],
  },
  incoming_invalid: {
    vi: () => 'Văn bản đến có chữ ký không hợp lệ nên không nhận vào sổ. Liên hệ cơ quan gửi.',
    en: () => 'The incoming document’s signature is not valid, so it was not registered. Contact the sender.',
    actions: ['contact'],
  },
  internal: {
    vi: (f) => `vanthu gặp lỗi bên trong khi xử lý việc này.${retryVi(f)} Nếu vẫn lỗi, báo bộ phận hỗ trợ.`,
    en: (f) => `vanthu failed inside while doing this.${retryEn(f)} If it persists, tell support.`,
    actions: ['retry', 'cancel'],
  },
} as const satisfies Record<string, Cause>;

export type CauseId = keyof typeof causes;

/** Every error code of the catalogue (ours and the exchange server's), with the cause it means to a person. */
export const causeOfCode: Record<ErrorCode, CauseId> = {
  BAD_USAGE: 'internal',
  BAD_INPUT: 'document_invalid',
  TOKEN_MODULE_NOT_FOUND: 'token_driver',
  TOKEN_MODULE_NOT_LIBRARY: 'token_driver',
  TOKEN_MODULE_WRONG_ARCH: 'token_driver',
  TOKEN_MODULE_LOAD_FAILED: 'token_driver',
  TOKEN_NOT_FOUND: 'token_missing',
  TOKEN_REMOVED: 'token_missing',
  TOKEN_PIN_INCORRECT: 'pin_wrong',
  TOKEN_PIN_LOCKED: 'pin_locked',
  TOKEN_PIN_INVALID: 'pin_wrong',
  TOKEN_NOT_LOGGED_IN: 'needs_login',
  TOKEN_CERT_NOT_FOUND: 'token_failed',
  TOKEN_KEY_NOT_FOUND: 'token_failed',
  TOKEN_MECHANISM_UNSUPPORTED: 'token_failed',
  TOKEN_OPERATION_FAILED: 'token_failed',
  CERT_PARSE_FAILED: 'token_failed',
  PDF_INVALID: 'file_not_accepted',
  PDF_ENCRYPTED: 'file_not_accepted',
  PDF_CERTIFIED_NO_CHANGES: 'signing_failed',
  PDF_PAGE_OUT_OF_RANGE: 'signing_failed',
  PDF_FIELD_NAME_TAKEN: 'signing_failed',
  PDF_IMAGE_INVALID: 'signing_setup',
  PDF_TEXT_GLYPH_MISSING: 'signing_failed',
  PDF_SIGNATURE_TOO_LARGE: 'signing_failed',
  PDF_OUTPUT_NOT_WRITABLE: 'local_store',
  PDF_PLACEHOLDER_INVALID: 'signing_failed',
  CMS_INVALID: 'file_signature_invalid',
  CMS_SIGNATURE_MISMATCH: 'file_signature_invalid',
  TSA_UNREACHABLE: 'timestamp_failed',
  TSA_TIMEOUT: 'timestamp_failed',
  TSA_CANCELLED: 'timestamp_failed',
  TSA_HTTP_ERROR: 'timestamp_failed',
  TSA_REJECTED: 'timestamp_failed',
  TSA_BAD_RESPONSE: 'timestamp_failed',
  TSA_IMPRINT_MISMATCH: 'timestamp_failed',
  TSA_NONCE_MISMATCH: 'timestamp_failed',
  TSA_SIGNATURE_INVALID: 'timestamp_failed',
  STORE_CORRUPT: 'local_store',
  STORE_TOO_NEW: 'local_store',
  STORE_FTS5_MISSING: 'local_store',
  STORE_DISK_FULL: 'local_store',
  STORE_BUSY: 'local_store',
  STORE_NOT_FOUND: 'wrong_state',
  STORE_TRANSITION_NOT_ALLOWED: 'wrong_state',
  STORE_NUMBER_ALREADY_ASSIGNED: 'duplicate',
  STORE_BLOB_MISSING: 'file_changed',
  STORE_BLOB_CORRUPT: 'file_changed',
  STORE_SETTINGS_INVALID: 'local_store',
  TRUST_ROOT_FILE_INVALID: 'certificate_refused',
  TRUST_ROOT_NOT_CA: 'certificate_refused',
  TRUST_ROOT_BYTES_INVALID: 'certificate_refused',
  TRUST_ISSUER_NOT_FOUND: 'certificate_refused',
  TRUST_ROOT_NOT_TRUSTED: 'certificate_refused',
  TRUST_CERT_EXPIRED: 'certificate_refused',
  TRUST_CERT_NOT_YET_VALID: 'certificate_refused',
  TRUST_SIGNATURE_INVALID: 'certificate_refused',
  TRUST_ISSUER_NOT_CA: 'certificate_refused',
  TRUST_ISSUER_NO_KEY_CERT_SIGN: 'certificate_refused',
  TRUST_PATH_LENGTH_EXCEEDED: 'certificate_refused',
  TRUST_CHAIN_TOO_LONG: 'certificate_refused',
  TRUST_CHAIN_LOOP: 'certificate_refused',
  TRUST_KEY_USAGE_NOT_SIGNING: 'certificate_refused',
  TRUST_CERT_REVOKED: 'certificate_refused',
  TRUST_REVOCATION_UNCHECKED: 'revocation_unchecked',
  TRUST_REVOCATION_OFFLINE: 'revocation_unchecked',
  TRUST_REVOCATION_NO_SOURCE: 'revocation_unchecked',
  TRUST_REVOCATION_NO_ISSUER: 'revocation_unchecked',
  TRUST_REVOCATION_UNREACHABLE: 'revocation_unchecked',
  TRUST_REVOCATION_TIMEOUT: 'revocation_unchecked',
  TRUST_REVOCATION_HTTP_ERROR: 'revocation_unchecked',
  TRUST_OCSP_BAD_RESPONSE: 'revocation_unchecked',
  TRUST_OCSP_REJECTED: 'revocation_unchecked',
  TRUST_OCSP_SIGNATURE_INVALID: 'revocation_unchecked',
  TRUST_OCSP_RESPONDER_NOT_AUTHORIZED: 'revocation_unchecked',
  TRUST_OCSP_NONCE_MISMATCH: 'revocation_unchecked',
  TRUST_OCSP_NO_MATCH: 'revocation_unchecked',
  TRUST_OCSP_CERT_UNKNOWN: 'revocation_unchecked',
  TRUST_OCSP_STALE: 'revocation_unchecked',
  TRUST_CRL_BAD: 'revocation_unchecked',
  TRUST_CRL_WRONG_ISSUER: 'revocation_unchecked',
  TRUST_CRL_SIGNATURE_INVALID: 'revocation_unchecked',
  TRUST_CRL_STALE: 'revocation_unchecked',
  APPEARANCE_SIGNER_NAME_NOT_FOUND: 'signing_failed',
  APPEARANCE_NO_ROOM: 'signing_failed',
  APPEARANCE_LEADER_SIGNATURE_NOT_FOUND: 'signing_failed',
  APPEARANCE_ISSUING_TEXT_NOT_FOUND: 'signing_failed',
  APPEARANCE_ISSUING_ALREADY_FILLED: 'signing_failed',
  APPEARANCE_ISSUING_MISMATCH: 'signing_failed',
  SIGNING_LTV_INCOMPLETE: 'revocation_unchecked',
  SIGNING_CERTIFICATE_REFUSED: 'certificate_refused',
  SIGNING_UNSUPPORTED_LEVEL: 'signing_setup',
  OUTBOX_UNKNOWN_KIND: 'internal',
  OUTBOX_GAVE_UP: 'gave_up',
  OUTBOX_LEASE_LOST: 'internal',
  OUTBOX_JOB_FINISHED: 'wrong_state',
  OUTBOX_FILE_CHANGED: 'file_changed',
  OUTBOX_NO_MAIN_FILE: 'file_changed',
  OUTBOX_CRASHED: 'internal',
  OUTBOX_INTERNAL: 'internal',
  SERVER_UNAUTHENTICATED: 'needs_login',
  SERVER_TOKEN_EXPIRED: 'needs_login',
  SERVER_CHALLENGE_INVALID: 'needs_login',
  SERVER_LOGIN_SIGNATURE_INVALID: 'needs_login',
  SERVER_CERT_UNTRUSTED: 'certificate_refused',
  SERVER_CERT_REVOKED: 'certificate_refused',
  SERVER_CERT_REVOCATION_UNKNOWN: 'revocation_unchecked',
  SERVER_CERT_NOT_BOUND: 'certificate_refused',
  SERVER_NOT_FOUND: 'server_problem',
  SERVER_ROUTE_NOT_FOUND: 'server_problem',
  SERVER_MALFORMED_JSON: 'server_problem',
  SERVER_BAD_REQUEST: 'document_invalid',
  SERVER_PAYLOAD_TOO_LARGE: 'file_too_large',
  SERVER_UNSUPPORTED_MEDIA_TYPE: 'server_problem',
  SERVER_RATE_LIMITED: 'server_unreachable',
  SERVER_BLOB_HASH_MISMATCH: 'server_unreachable',
  SERVER_UPLOAD_OFFSET_MISMATCH: 'server_unreachable',
  SERVER_UPLOAD_TOO_LONG: 'file_too_large',
  SERVER_RANGE_NOT_SATISFIABLE: 'server_problem',
  SERVER_IDEMPOTENCY_KEY_MISSING: 'internal',
  SERVER_IDEMPOTENCY_CONFLICT: 'duplicate',
  SERVER_SENDER_MISMATCH: 'sender_mismatch',
  SERVER_UNKNOWN_RECIPIENT: 'recipient_unknown',
  SERVER_IN_REPLY_TO_INVALID: 'wrong_state',
  SERVER_SUBMISSION_INVALID: 'file_signature_invalid',
  SERVER_FILE_MISSING: 'file_not_accepted',
  SERVER_FILE_NOT_PDF: 'file_not_accepted',
  SERVER_PDF_NOT_VALID: 'file_signature_invalid',
  SERVER_PDF_NOT_COVERED: 'file_not_covered',
  SERVER_PDF_NOT_SIGNED_BY_SENDER: 'file_not_our_signature',
  SERVER_EDXML_ORIGINAL_HELD: 'server_checking',
  SERVER_PDF_NOT_SEALED_BY_ORGANIZATION: 'file_not_our_signature',
  SERVER_STATUS_TRANSITION: 'wrong_state',
  SERVER_STATUS_NOT_ALLOWED: 'wrong_state',
  SERVER_ORGAN_ID_INVALID: 'recipient_unknown',
  SERVER_AGENCY_EXISTS: 'server_problem',
  SERVER_AGENCY_IN_USE: 'server_problem',
  SERVER_CERT_ALREADY_BOUND: 'certificate_refused',
  SERVER_DATABASE_URL_INVALID: 'server_problem',
  SERVER_RECEIPT_KEY_INVALID: 'receipt_invalid',
  SERVER_AUDIT_BROKEN: 'server_problem',
  SERVER_INTERNAL: 'server_problem',
  SERVER_RECIPIENT_NOT_ORIGINAL: 'recipient_not_allowed',
  SERVER_AXIS_UNREACHABLE: 'server_unreachable',
  SERVER_AXIS_REFUSED: 'axis_refused',
  SERVER_SHUTTING_DOWN: 'server_unreachable',
  EDXML_MALFORMED: 'document_invalid',
  EDXML_DTD_FORBIDDEN: 'document_invalid',
  EDXML_TOO_LARGE: 'file_too_large',
  EDXML_NOT_EDXML: 'document_invalid',
  EDXML_FIELD_INVALID: 'document_invalid',
  EDXML_ATTACHMENT_INVALID: 'file_not_accepted',
  DRAFT_GLYPH_MISSING: 'signing_failed',
  DRAFT_BLOCK_TOO_TALL: 'signing_failed',
  DRAFT_VERSION_CONFLICT: 'wrong_state',
  DRAFT_IMPORT_NOT_PDF: 'file_not_accepted',
  DRAFT_DOCX_CONVERTER_MISSING: 'file_not_accepted',
  DRAFT_DOCX_CONVERSION_FAILED: 'file_not_accepted',
  EXCHANGE_UNREACHABLE: 'server_unreachable',
  EXCHANGE_OFFLINE: 'server_unreachable',
  EXCHANGE_NOT_SENT: 'wrong_state',
  EXCHANGE_PENDING_CHECK: 'server_checking',
  EXCHANGE_ALREADY_SENT: 'duplicate',
  EXCHANGE_RECALL_BEFORE_ORIGINAL: 'wrong_state',
  // Resolved through the server's own code (causeOf); this is the cause when that code is unknown.
  EXCHANGE_REFUSED: 'server_problem',
  EXCHANGE_NEEDS_LOGIN: 'needs_login',
  EXCHANGE_RECEIPT_INVALID: 'receipt_invalid',
  EXCHANGE_DOWNLOAD_MISMATCH: 'server_unreachable',
  EXCHANGE_INCOMING_INVALID: 'incoming_invalid',
  DOCUMENT_FILE_NOT_PDF: 'file_not_accepted',
  DOCUMENT_FILE_TOO_LARGE: 'file_too_large',
  DOCUMENT_FILE_EMPTY: 'file_not_accepted',
  DOCUMENT_MAIN_FILE_COUNT: 'file_not_accepted',
  DOCUMENT_NOT_EDITABLE: 'wrong_state',
  SIGNING_NO_STORE: 'internal',
  SIGNING_NOT_SIGNED_BY_LEADER: 'wrong_state',
  SIGNING_IMAGE_MISSING: 'signing_setup',
  SIGNING_IMAGE_FILE_MISSING: 'signing_setup',
  DEMO_TOOLS_MISSING: 'internal',
  DEMO_FAILED: 'internal',
  SIGNING_TSA_NOT_SET: 'signing_setup',
  SIGNING_FAILED: 'signing_failed',
  SIGNING_FILE_TOO_LARGE: 'file_too_large',
  SIGNING_NO_RECIPIENTS: 'no_recipients',
  ATTENTION_NOTHING_TO_DO: 'wrong_state',
  ATTENTION_SENDING_NOW: 'wrong_state',
};

const isErrorCode = (code: string | undefined): code is ErrorCode => code !== undefined && Object.hasOwn(errorCatalogue, code);

const FILE_CAUSE_PRECEDENCE: readonly CauseId[] = ['file_not_covered', 'file_not_our_signature', 'file_not_accepted', 'file_too_large', 'file_signature_invalid'];

/** "(422 SERVER_UNKNOWN_RECIPIENT)" in reasons stored before the server's code was kept apart. */
const OLD_REFUSAL = /\((\d{3}) ([A-Z0-9_]+)\)/;

/**
 * The cause of a recorded failure: the server's own code for a refusal (a per-file reason first, it is
 * the precise one), the repeated failure's for a give-up, else the code's.
 */
export function causeOf(reason: FailureReason): CauseId {
  if (reason.code === 'EXCHANGE_REFUSED') {
    const old = OLD_REFUSAL.exec(reason.messageEn);
    const serverCode = reason.serverCode ?? old?.[2];
    const status = reason.status ?? (old ? Number(old[1]) : undefined);
    // Per-file reasons come general first (not valid) then precise (not covered): the most precise one tells what to do.
    const fileCauses = (reason.reasonCodes?.split(',') ?? []).filter(isErrorCode).map((code) => causeOfCode[code]);
    const precise = FILE_CAUSE_PRECEDENCE.find((cause) => fileCauses.includes(cause)) ?? fileCauses[0];
    if (precise) return precise;
    if (isErrorCode(serverCode)) return causeOfCode[serverCode];
    if (status !== undefined && (status >= 500 || status === 429)) return 'server_unreachable';
    if (status === 401) return 'needs_login';
    return 'server_problem';
  }
  if (reason.code === 'OUTBOX_GAVE_UP') {
    const repeated = isErrorCode(reason.causeCode) ? causeOfCode[reason.causeCode] : undefined;
    // A refusal that kept coming back is the refusal; a network that kept failing is "gave up".
    return repeated === undefined || repeated === 'server_unreachable' || repeated === 'internal' ? 'gave_up' : repeated;
  }
  return isErrorCode(reason.code) ? causeOfCode[reason.code] : 'internal';
}

export interface CauseWords {
  cause: CauseId;
  vi: string;
  en: string;
  actions: AttentionAction[];
}

/** The words and actions for a recorded failure, with the facts (recipient, file, next try) put in. */
export function wordsFor(reason: FailureReason, facts: CauseFacts = {}): CauseWords {
  const cause = causeOf(reason);
  const all: CauseFacts = { organId: reason.organId, fileName: reason.fileName, ...facts };
  const entry: Cause = causes[cause];
  return { cause, vi: entry.vi(all), en: entry.en(all), actions: [...entry.actions] };
}

/** The short line under a register row's status chip: the first sentence. */
export const shortLine = (text: string): string => {
  const end = text.search(/[.:](\s|$)/);
  return end > 0 ? text.slice(0, end + 1).replace(/:$/, '.') : text;
};
