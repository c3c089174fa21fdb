// An edXML package into the exchange: parsed safely, mapped to an envelope, and submitted through the same signature checks as the API.
import { createHash } from 'node:crypto';
import { documentIdOf, edxmlToMessage, parseEdxml, type EdxmlLimits, type ImportedMessage } from '../../core/edxml/index.js';
import { canonicalJson, type MessageEnvelope } from '../../shared/exchange-protocol.js';
import { VanthuError } from '../../shared/errors.js';
import type { ResolvedConfig } from '../config.js';
import { submitMessage, type SubmissionResult } from '../messages/submit.js';

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/**
 * A stable message id for a package's content (UUID version 8 from its envelope's hash): importing the same
 * package again gives the same id, so the submission's idempotency answers with the first receipt.
 */
export function importedMessageId(envelope: MessageEnvelope): string {
  const hex = sha256(`vanthu-edxml-import-v1\n${canonicalJson(envelope)}`).slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * The message a recall/update/replace names in ResponseFor: the sender's own, found by its edXML DocumentId (or its number).
 * One document sent more than once (forwarded, resent) matches several: the first sent is the document itself.
 */
async function findOriginal(config: ResolvedConfig, message: ImportedMessage): Promise<string> {
  const wanted = message.responseFor!;
  const candidates = await config.database.db.selectFrom('messages').select(['id', 'envelope']).where('sender', '=', wanted.organId).where('type', '=', 'new').orderBy('created_at').orderBy('id').execute();
  for (const row of candidates) {
    const metadata = (JSON.parse(row.envelope) as MessageEnvelope).metadata;
    const id = documentIdOf(wanted.organId, metadata);
    const code = metadata.codeNumber ? `${metadata.codeNumber}${metadata.codeNotation ? `/${metadata.codeNotation}` : ''}` : undefined;
    if ((wanted.documentId && id === wanted.documentId) || (!wanted.documentId && wanted.code && code === wanted.code)) return row.id;
  }
  throw new VanthuError('SERVER_IN_REPLY_TO_INVALID', { id: wanted.documentId ?? wanted.code ?? '—', type: message.type, typeVi: message.type });
}

export interface ImportResult extends SubmissionResult {
  messageId: string;
  envelope: MessageEnvelope;
}

export async function importEdxml(config: ResolvedConfig, bytes: Uint8Array, limits: EdxmlLimits = {}): Promise<ImportResult> {
  const message = edxmlToMessage(parseEdxml(bytes, { maxAttachmentBytes: config.limits.blobBytes, ...limits }));
  const sender = await config.database.db.selectFrom('agencies').select(['organ_id', 'name']).where('organ_id', '=', message.sender).executeTakeFirst();
  if (!sender) throw new VanthuError('SERVER_NOT_FOUND', { whatVi: `cơ quan gửi ${message.sender} trong danh bạ`, whatEn: `Sending agency ${message.sender} in the directory` });
  const inline = new Map(message.files.map((f) => [sha256(f.bytes), f.bytes]));
  const envelope: MessageEnvelope = {
    sender: message.sender,
    recipients: message.recipients,
    type: message.type,
    ...(message.responseFor ? { inReplyTo: await findOriginal(config, message) } : {}),
    metadata: message.metadata,
    files: message.files.map((f) => ({ sha256: sha256(f.bytes), role: f.role, name: f.name })),
  };
  const messageId = importedMessageId(envelope);
  // The package's sender is the agency the signatures must show: the same check as a logged-in sender's submission.
  const result = await submitMessage(config, { organId: sender.organ_id, name: sender.name, certSha256: '' }, messageId, envelope, { inline, source: 'edxml' });
  return { ...result, messageId, envelope };
}
