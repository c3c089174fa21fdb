// Exchange protocol v1 (DESIGN.md): the zod DTOs the server validates and the client will build, plus receipt canonicalisation.
import { z } from 'zod';
import { controlCharacterIn, isSafeBaseName } from './safe-text.js';

/**
 * Mã định danh as they occur, checked for safety rather than one pattern: the Decree's NNN.NN.NN.Xnn
 * (000.00.00.H14), shorter provincial forms (28.22.H17, 14.00.W00) and connecting centres of the national
 * axis (vxp.saas.03). Letters, digits, dot, dash and underscore, 1–64, starting and ending with a letter or
 * digit; ".." never (an id also names folders and URL paths).
 */
export const ORGAN_ID_PATTERN = /^(?!.*\.\.)[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$/;
export const organId = z.string().regex(ORGAN_ID_PATTERN, 'organ id: letters, digits, ".", "-", "_" (e.g. 000.00.00.H14)');
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex SHA-256');
const base64 = z.string().min(1).max(64 * 1024).regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64');

/** The text a token signs to log in; the origin stops a challenge answered for one server being replayed at another. */
export const authSignedText = (serverOrigin: string, nonce: string): string => `vanthu-auth-v1\n${serverOrigin}\n${nonce}`;

export const challengeResponse = z.object({ nonce: z.string(), expiresAt: z.string() });
export type ChallengeResponse = z.infer<typeof challengeResponse>;

export const authAlgorithm = z.object({
  name: z.enum(['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'ECDSA']),
  hash: z.enum(['SHA-256', 'SHA-384', 'SHA-512']),
  /** RSA-PSS only; defaults to the hash length. */
  saltLength: z.number().int().min(0).max(512).optional(),
});
export type AuthAlgorithm = z.infer<typeof authAlgorithm>;

export const tokenRequest = z.strictObject({
  /** Base64 DER, the signing certificate first, then any intermediates. */
  certificateChain: z.array(base64).min(1).max(8),
  algorithm: authAlgorithm,
  /** Base64; RSA as PKCS#1 bytes, ECDSA as DER (what the token Signer returns). */
  signature: base64,
  nonce: z.string().min(16).max(128),
});
export type TokenRequest = z.infer<typeof tokenRequest>;

export const tokenResponse = z.object({
  token: z.string(),
  expiresAt: z.string(),
  agency: z.object({ organId: z.string(), name: z.string() }),
});
export type TokenResponse = z.infer<typeof tokenResponse>;

export const directoryEntry = z.object({ organId: z.string(), name: z.string(), parent: z.string().nullable() });
export const directoryResponse = z.object({ agencies: z.array(directoryEntry) });
export type DirectoryEntry = z.infer<typeof directoryEntry>;

export const blobParams = z.strictObject({ sha256: sha256Hex });
export const uploadParams = z.strictObject({ id: z.uuid() });
export const messageParams = z.strictObject({ id: z.uuid() });

/** Text of at most `max` characters with no NUL or other control character (tab and line breaks only when `multiline`). */
const plainText = (max: number, multiline = false) =>
  z.string().max(max).refine((value) => controlCharacterIn(value, multiline) === undefined, { message: 'control characters are not allowed / không được chứa ký tự điều khiển' });

/** A file's name: a plain base name (no folders, no control characters); clients reduce names with safeBaseName before sending. */
export const fileName = z.string().min(1).max(255).refine(isSafeBaseName, { message: 'a file name without folders or control characters / tên tệp không được chứa thư mục hay ký tự điều khiển' });

/** Decree 30 Appendix VI metadata, with its maximum lengths. */
export const documentMetadata = z.strictObject({
  fileCatalog: plainText(4).optional(),
  fileNotation: plainText(20).optional(),
  docOrdinal: z.number().int().min(0).optional(),
  typeName: plainText(100).optional(),
  codeNumber: plainText(11).optional(),
  codeNotation: plainText(30).optional(),
  issuedDate: z.iso.date().optional(),
  organName: plainText(200).optional(),
  subject: plainText(500, true).min(1),
  language: plainText(10).optional(),
  pageAmount: z.number().int().min(0).optional(),
  description: plainText(2000, true).optional(),
  signerInfo: z.strictObject({ position: plainText(100), fullName: plainText(50) }).optional(),
  /** 0 normal, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc, 4 hỏa tốc hẹn giờ. */
  priority: z.number().int().min(0).max(4).optional(),
  issuedAmount: z.number().int().min(0).optional(),
  dueDate: z.iso.date().optional(),
  /** 0 none, 1 directive, 2 directive report. */
  steeringType: z.number().int().min(0).max(2).optional(),
});
export type DocumentMetadata = z.infer<typeof documentMetadata>;

export const fileRole = z.enum(['main', 'appendix', 'attachment']);
export const messageType = z.enum(['new', 'recall', 'update', 'replace']);

export const messageEnvelope = z.strictObject({
  sender: organId,
  recipients: z.array(organId).min(1).max(500),
  type: messageType,
  inReplyTo: z.uuid().optional(),
  metadata: documentMetadata,
  files: z
    // Empty only for a recall, which carries no document (the server checks).
    .array(z.strictObject({ sha256: sha256Hex, role: fileRole, name: fileName }))
    .max(50),
});
export type MessageEnvelope = z.infer<typeof messageEnvelope>;

export const receipt = z.object({
  version: z.literal('vanthu-receipt-v1'),
  messageId: z.string(),
  sender: z.string(),
  recipients: z.array(z.string()),
  /** SHA-256 of the canonical JSON of the accepted envelope. */
  envelopeSha256: z.string(),
  files: z.array(z.object({ sha256: z.string(), size: z.number() })),
  acceptedAt: z.string(),
  /** SHA-256 of the server key's SPKI DER, hex. */
  serverKeyId: z.string(),
});
export type Receipt = z.infer<typeof receipt>;
export const signedReceipt = z.object({ receipt, signature: z.string(), algorithm: z.string() });
export type SignedReceipt = z.infer<typeof signedReceipt>;

export const inboxQuery = z.strictObject({
  cursor: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const inboxItem = z.object({
  deliveryId: z.number(),
  messageId: z.string(),
  sender: z.string(),
  type: messageType,
  inReplyTo: z.string().nullable(),
  metadata: documentMetadata,
  files: z.array(z.object({ sha256: z.string(), role: fileRole, name: z.string(), size: z.number() })),
  receipt: signedReceipt,
  submittedAt: z.string(),
  deliveryCount: z.number(),
});
export type InboxItem = z.infer<typeof inboxItem>;
export const inboxResponse = z.object({ items: z.array(inboxItem), nextCursor: z.number() });

export const ackRequest = z.strictObject({ messageIds: z.array(z.uuid()).min(1).max(200) });

/** Status codes of DOMAIN.md (the national exchange's numbering). */
export const STATUS_CODES = ['01', '02', '03', '04', '05', '06', '13', '15', '16'] as const;
export const statusCode = z.enum(STATUS_CODES);
export type StatusCode = z.infer<typeof statusCode>;

export const statusRequest = z.strictObject({
  code: statusCode,
  reason: plainText(1000, true).optional(),
  eventId: z.uuid(),
  /** The recipient the status is about; needed only when the sender asks for a recall (13). */
  recipient: organId.optional(),
});
export type StatusRequest = z.infer<typeof statusRequest>;

export const statusEvent = z.object({
  seq: z.number(),
  eventId: z.string(),
  messageId: z.string(),
  recipient: z.string(),
  by: z.string(),
  code: statusCode,
  reason: z.string().nullable(),
  at: z.string(),
});
export type StatusEvent = z.infer<typeof statusEvent>;
export const statusFeedResponse = z.object({ events: z.array(statusEvent), nextCursor: z.number() });

/** Every error body: a stable code and both languages; `reasons` lists what made a submission invalid. */
export const errorBody = z.object({
  error: z.object({ code: z.string(), messageVi: z.string(), messageEn: z.string(), params: z.record(z.string(), z.unknown()).optional() }),
  reasons: z
    .array(z.object({ file: z.string().optional(), code: z.string(), messageVi: z.string(), messageEn: z.string() }))
    .optional(),
});
export type ErrorBody = z.infer<typeof errorBody>;

/** JSON with object keys sorted, no spaces: the bytes a receipt signature covers, the same in every language. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item === undefined ? null : item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
