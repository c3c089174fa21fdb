// Message ids (UUIDv7, made once when a document is queued) and status event ids derived from what they report.
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
