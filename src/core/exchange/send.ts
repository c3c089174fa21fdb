// Sending one message: upload what the server lacks, submit under the message's stable id, verify and keep the receipt.
import type { MessageEnvelope, SignedReceipt } from '../../shared/exchange-protocol.js';
import { VanthuError } from '../../shared/errors.js';
import type { Db } from '../store/index.js';
import type { ExchangeClient, SubmissionWarning } from './client.js';
import { notify, type ProgressListener } from './progress.js';
import { verifyReceipt, type ServerKey } from './receipt.js';
import { recordMessage } from './records.js';
import type { UploadOptions } from './upload.js';

export interface OutgoingFile {
  bytes: Uint8Array;
  name: string;
  role: 'main' | 'appendix' | 'attachment';
  /** The bytes' SHA-256 when already known (read hash-checked from the store): not computed again. */
  sha256?: string;
}

export interface OutgoingMessage {
  /** UUIDv7 made when the document was queued; the Idempotency-Key of every attempt. */
  messageId: string;
  recipients: string[];
  metadata: MessageEnvelope['metadata'];
  files: OutgoingFile[];
  type?: MessageEnvelope['type'];
  inReplyTo?: string;
  /** The local document it sends, to link with the receipt. */
  documentId?: number;
}

export interface SendResult {
  receipt: SignedReceipt;
  uploadedBytes: number;
  skippedFiles: number;
  /** The server's advice beside the receipt: the same number and notation of this agency sent before. */
  warnings: SubmissionWarning[];
}

/** Upload stage alone (the outbox's 'upload' job); returns the file list for the envelope. */
export async function uploadFiles(
  client: ExchangeClient,
  files: OutgoingFile[],
  progress?: { listener?: ProgressListener; documentId?: number; messageId?: string },
  options: UploadOptions = {},
): Promise<{ files: { sha256: string; size: number }[]; uploadedBytes: number; skippedFiles: number }> {
  let uploadedBytes = 0;
  let skippedFiles = 0;
  const out: { sha256: string; size: number }[] = [];
  for (const file of files) {
    const ids = { ...(progress?.documentId !== undefined ? { documentId: progress.documentId } : {}), ...(progress?.messageId ? { messageId: progress.messageId } : {}) };
    const uploaded = await client.uploadBlob(file.bytes, (p) =>
      notify(progress?.listener, { type: 'upload', ...ids, name: file.name, sha256: p.sha256, bytesDone: p.offset, bytesTotal: p.size }),
      { ...options, ...(file.sha256 ? { sha256: file.sha256 } : {}) },
    );
    uploadedBytes += uploaded.sentBytes;
    if (uploaded.skipped) skippedFiles++;
    out.push({ sha256: uploaded.sha256, size: uploaded.size });
  }
  return { files: out, uploadedBytes, skippedFiles };
}

/** What an envelope needs of a message: its files' names and roles, not their bytes. */
export type EnvelopeSource = Omit<OutgoingMessage, 'files'> & { files: Pick<OutgoingFile, 'name' | 'role'>[] };

export function envelopeOf(sender: string, message: EnvelopeSource, hashes: { sha256: string }[]): MessageEnvelope {
  return {
    sender,
    recipients: message.recipients,
    type: message.type ?? 'new',
    ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}),
    metadata: message.metadata,
    files: message.files.map((f, i) => ({ sha256: hashes[i]!.sha256, role: f.role, name: f.name })),
  };
}

export async function sendMessage(client: ExchangeClient, serverKey: ServerKey, message: OutgoingMessage, db?: Db, onProgress?: ProgressListener): Promise<SendResult> {
  const uploaded = await uploadFiles(client, message.files, { listener: onProgress, messageId: message.messageId, ...(message.documentId !== undefined ? { documentId: message.documentId } : {}) });
  const sender = client.agency?.organId ?? (await client.login()).organId;
  if (!sender) throw new VanthuError('EXCHANGE_NEEDS_LOGIN');
  const envelope = envelopeOf(sender, message, uploaded.files);
  const { receipt, warnings } = await client.submitWithWarnings(message.messageId, envelope);
  verifyReceipt(serverKey, receipt, { messageId: message.messageId, envelope, files: uploaded.files });
  if (db) recordMessage(db, { messageId: message.messageId, direction: 'outgoing', documentId: message.documentId ?? null, receipt });
  notify(onProgress, { type: 'sent', documentId: message.documentId ?? null, messageId: message.messageId, kind: envelope.type });
  return { receipt, uploadedBytes: uploaded.uploadedBytes, skippedFiles: uploaded.skippedFiles, warnings };
}
