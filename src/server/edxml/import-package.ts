// An edXML package into the exchange: a document submitted through the same signature checks as the API (its DocumentId and trace list kept), a status package applied as the status of the message it answers.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { documentIdOf, edxmlToMessage, parseAnyEdxml, type EdxmlLimits, type EdxmlResponseFor, type EdxmlStatusPackage, type ImportedMessage } from '../../core/edxml/index.js';
import { canonicalJson, STATUS_CODES, type MessageEnvelope, type StatusCode, type StatusEvent } from '../../shared/exchange-protocol.js';
import { VanthuError } from '../../shared/errors.js';
import type { ResolvedConfig } from '../config.js';
import type { ServerSchema } from '../db/schema.js';
import { postStatus } from '../messages/status.js';
import { submitOrHold, type HeldSubmission, type SubmissionResult } from '../messages/submit.js';

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** A UUID version 8 from a hash: the same input always gives the same id. */
function uuidFrom(text: string): string {
  const hex = sha256(text).slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * A stable message id for a package's content (UUID version 8 from its envelope's hash): importing the same
 * package again gives the same id, so the submission's idempotency answers with the first receipt.
 */
export const importedMessageId = (envelope: MessageEnvelope): string => uuidFrom(`vanthu-edxml-import-v1\n${canonicalJson(envelope)}`);

/**
 * The message a DocumentId names: one imported with that DocumentId (kept as it came), else one of the named sender's
 * own whose DocumentId, computed from its number and date, is that one (or, with no DocumentId, whose number is the code).
 * One document sent more than once (forwarded, resent) matches several: the first sent is the document itself.
 */
export async function findByDocumentId(db: Kysely<ServerSchema>, wanted: EdxmlResponseFor): Promise<string | undefined> {
  const matches: { id: string; created_at: string }[] = [];
  if (wanted.documentId) {
    const kept = await db
      .selectFrom('edxml_documents')
      .innerJoin('messages', 'messages.id', 'edxml_documents.message_id')
      .select(['messages.id', 'messages.created_at'])
      .where('edxml_documents.document_id', '=', wanted.documentId)
      .where('messages.type', '=', 'new')
      .orderBy('messages.created_at')
      .orderBy('messages.id')
      .executeTakeFirst();
    if (kept) matches.push(kept);
  }
  const candidates = await db.selectFrom('messages').select(['id', 'envelope', 'created_at']).where('sender', '=', wanted.organId).where('type', '=', 'new').orderBy('created_at').orderBy('id').execute();
  for (const row of candidates) {
    const metadata = (JSON.parse(row.envelope) as MessageEnvelope).metadata;
    const id = documentIdOf(wanted.organId, metadata);
    const code = metadata.codeNumber ? `${metadata.codeNumber}${metadata.codeNotation ? `/${metadata.codeNotation}` : ''}` : undefined;
    if ((wanted.documentId && id === wanted.documentId) || (!wanted.documentId && wanted.code && code === wanted.code)) {
      matches.push(row);
      break;
    }
  }
  // The first sent of the two ways of finding it (a kept DocumentId, one computed from the number and date).
  matches.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : 1));
  return matches[0]?.id;
}

/** Whether the DocumentId names an import of that sender's still held for a re-check (not a message yet). */
async function isHeld(db: Kysely<ServerSchema>, wanted: EdxmlResponseFor): Promise<boolean> {
  if (!wanted.documentId) return false;
  const held = await db.selectFrom('pending_submissions').select('edxml').where('state', '=', 'pending').where('sender', '=', wanted.organId).where('edxml', 'is not', null).execute();
  return held.some((row) => (JSON.parse(row.edxml!) as { documentId?: string }).documentId === wanted.documentId);
}

/** The original a package answers; one still held is said so (the package waits for it), one unknown is refused. */
async function findOriginal(db: Kysely<ServerSchema>, message: ImportedMessage): Promise<string> {
  const wanted = message.responseFor!;
  const found = await findByDocumentId(db, wanted);
  if (found) return found;
  if (await isHeld(db, wanted)) throw new VanthuError('SERVER_EDXML_ORIGINAL_HELD', { id: wanted.documentId });
  throw new VanthuError('SERVER_IN_REPLY_TO_INVALID', { id: wanted.documentId ?? wanted.code ?? '—', type: message.type, typeVi: message.type });
}

/** A document package accepted (with its receipt), or held because a signature's revocation could not be checked yet. */
export type DocumentImportResult = { kind: 'document'; messageId: string; envelope: MessageEnvelope } & (SubmissionResult | HeldSubmission);

export interface StatusImportResult {
  kind: 'status';
  created: boolean;
  /** The message the status answers. */
  messageId: string;
  events: StatusEvent[];
}

export type ImportResult = DocumentImportResult | StatusImportResult;

/**
 * A status package becomes the status of the message it answers, reported by the package's sender (a recipient of
 * that message, or its sender for a recall request): the transitions the server enforces for the API apply.
 */
async function importStatus(config: ResolvedConfig, pkg: EdxmlStatusPackage, bytes: Uint8Array): Promise<StatusImportResult> {
  const s = pkg.status;
  if (!(STATUS_CODES as readonly string[]).includes(s.statusCode)) {
    throw new VanthuError('EDXML_FIELD_INVALID', { field: 'MessageHeader/StatusCode', detail: `${s.statusCode} is not a status this server keeps (${STATUS_CODES.join(', ')}) / máy chủ không theo dõi mã trạng thái này` });
  }
  const messageId = await findByDocumentId(config.database.db, s.responseFor);
  if (!messageId && (await isHeld(config.database.db, s.responseFor))) throw new VanthuError('SERVER_EDXML_ORIGINAL_HELD', { id: s.responseFor.documentId });
  if (!messageId) throw new VanthuError('SERVER_NOT_FOUND', { whatVi: `văn bản ${s.responseFor.documentId ?? s.responseFor.code ?? ''} mà gói trạng thái trả lời`, whatEn: `Document ${s.responseFor.documentId ?? s.responseFor.code ?? ''} the status answers` });
  // The event id comes from the package's bytes: importing it again is answered with the first events.
  const eventId = uuidFrom(`vanthu-edxml-status-v1\n${sha256(bytes)}`);
  const result = await postStatus(config.database.db, config.database.dialect, s.from.organId, messageId, { code: s.statusCode as StatusCode, eventId, ...(s.description ? { reason: s.description.slice(0, 1000) } : {}) }, config.clock());
  return { kind: 'status', messageId, ...result };
}

export async function importEdxml(config: ResolvedConfig, bytes: Uint8Array, limits: EdxmlLimits = {}): Promise<ImportResult> {
  const pkg = parseAnyEdxml(bytes, { maxAttachmentBytes: config.limits.blobBytes, ...limits });
  if (pkg.kind === 'status') return importStatus(config, pkg, bytes);
  const message = edxmlToMessage(pkg);
  const db = config.database.db;
  const sender = await db.selectFrom('agencies').select(['organ_id', 'name']).where('organ_id', '=', message.sender).executeTakeFirst();
  if (!sender) throw new VanthuError('SERVER_NOT_FOUND', { whatVi: `cơ quan gửi ${message.sender} trong danh bạ`, whatEn: `Sending agency ${message.sender} in the directory` });
  const inline = new Map(message.files.map((f) => [sha256(f.bytes), f.bytes]));
  const envelope: MessageEnvelope = {
    sender: message.sender,
    recipients: message.recipients,
    type: message.type,
    ...(message.responseFor ? { inReplyTo: await findOriginal(db, message) } : {}),
    metadata: message.metadata,
    files: message.files.map((f) => ({ sha256: sha256(f.bytes), role: f.role, name: f.name })),
  };
  const messageId = importedMessageId(envelope);
  // Its DocumentId and trace list, kept with the message so statuses find it and an export sends them on unchanged.
  const documentId = message.documentId ?? documentIdOf(message.sender, message.metadata);
  // The package's sender is the agency the signatures must show: the same checks as a logged-in sender's submission,
  // and like it, held (not refused) when a signature's revocation could not be checked yet.
  const result = await submitOrHold(config, { organId: sender.organ_id, name: sender.name, certSha256: '' }, messageId, envelope, {
    inline,
    source: 'edxml',
    ...(documentId ? { edxml: { documentId, traces: message.traces } } : {}),
  });
  return { kind: 'document', ...result, messageId, envelope };
}
