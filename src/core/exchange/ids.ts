// Message ids: derived from what a send sends (so sending twice is sending once), UUIDv7 for a deliberate new sending, and status event ids derived from what they report.
import { createHash, randomBytes } from 'node:crypto';

const format = (bytes: Uint8Array): string => {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

/** RFC 9562 UUIDv7: time-ordered, so the server's indexes and our logs sort by queueing time. */
export function uuidV7(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return format(bytes);
}

/**
 * A UUIDv8 named by the message and the status code: sending the same status again after a lost
 * answer carries the same event id, so the server records it once.
 */
export function statusEventId(messageId: string, code: string): string {
  const bytes = createHash('sha256').update(`vanthu-status-v1\n${messageId}\n${code}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return format(bytes);
}

/** What makes two sends the same sending: who sends which files (by hash, in order) to whom, as what. */
export interface SendIdentity {
  sender: string;
  fileSha256s: readonly string[];
  recipients: readonly string[];
  type?: 'new' | 'recall' | 'update' | 'replace';
  inReplyTo?: string | null;
}

/**
 * The message id of a send, derived (UUIDv8 over SHA-256) from the sender, the files' hashes, the sorted
 * recipients and the type/inReplyTo: sending the same document again (a retry after an unclear error,
 * `vanthu send` run twice) reuses the id, so the server's idempotency keeps it to one document. A
 * deliberate new sending uses uuidV7 instead.
 */
export function sendMessageId(send: SendIdentity): string {
  const recipients = [...new Set(send.recipients)].sort();
  const canonical = ['vanthu-send-v1', send.sender, send.type ?? 'new', send.inReplyTo ?? '', recipients.join(','), ...send.fileSha256s.map((h) => h.toLowerCase())].join('\n');
  const bytes = createHash('sha256').update(canonical).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return format(bytes);
}
