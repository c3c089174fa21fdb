// A stored message as an edXML package (its metadata, the directory's names, its signed PDFs; an imported one's DocumentId and trace list kept), and a delivery's status as a status package.
import type { Kysely } from 'kysely';
import { buildEdxml, envelopeToEdxml, statusToEdxml, type EdxmlTraceHeader } from '../../core/edxml/index.js';
import { STATUS_CODES, type MessageEnvelope } from '../../shared/exchange-protocol.js';
import { VanthuError } from '../../shared/errors.js';
import { blobBytes } from '../blobs/blob-store.js';
import type { ServerSchema } from '../db/schema.js';
import { notFound } from '../http-errors.js';

async function keptEdxml(db: Kysely<ServerSchema>, messageId: string): Promise<{ documentId: string; traces: EdxmlTraceHeader[] } | undefined> {
  const row = await db.selectFrom('edxml_documents').select(['document_id', 'traces']).where('message_id', '=', messageId).executeTakeFirst();
  return row ? { documentId: row.document_id, traces: JSON.parse(row.traces) as EdxmlTraceHeader[] } : undefined;
}

/**
 * The package for message `id`. With `organId`, only its sender or a recipient gets it (404 alike for
 * "absent" and "not yours"); without, the administrator's export from the command line.
 */
export async function exportMessage(db: Kysely<ServerSchema>, id: string, organId?: string, now?: Date): Promise<{ bytes: Uint8Array; files: number }> {
  const message = await db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
  const deliveries = message ? await db.selectFrom('deliveries').select('recipient').where('message_id', '=', id).execute() : [];
  if (!message || (organId !== undefined && message.sender !== organId && !deliveries.some((d) => d.recipient === organId))) {
    throw notFound(`văn bản ${id}`, `Message ${id}`);
  }
  const envelope = JSON.parse(message.envelope) as MessageEnvelope;
  const names = new Map((await db.selectFrom('agencies').select(['organ_id', 'name']).where('organ_id', 'in', [envelope.sender, ...envelope.recipients]).execute()).map((a) => [a.organ_id, a.name]));
  const rows = await db.selectFrom('message_files').selectAll().where('message_id', '=', id).orderBy('position').execute();
  const files = [];
  for (const row of rows) files.push({ name: row.name, role: row.role as MessageEnvelope['files'][number]['role'], sha256: row.sha256, bytes: await blobBytes(db, row.sha256) });
  let original: { sender: string; metadata: MessageEnvelope['metadata']; documentId?: string } | undefined;
  if (message.in_reply_to) {
    const row = await db.selectFrom('messages').select(['sender', 'envelope']).where('id', '=', message.in_reply_to).executeTakeFirst();
    const kept = await keptEdxml(db, message.in_reply_to);
    if (row) original = { sender: row.sender, metadata: (JSON.parse(row.envelope) as MessageEnvelope).metadata, ...(kept ? { documentId: kept.documentId } : {}) };
  }
  const received = await keptEdxml(db, id);
  const pkg = envelopeToEdxml({ envelope, senderName: names.get(envelope.sender), recipientNames: names, acceptedAt: new Date(message.created_at),
    files,
    original,
    received,
    // Our trace header says when this server took the message: every export of it is then the same bytes
    // (the command line, the API and a retried send to the axis alike).
    now: now ?? new Date(message.created_at),
  });
  return { bytes: buildEdxml(pkg), files: files.length };
}

/**
 * The latest status `recipient` reported on message `id` as a status package answering it (ResponseFor names the
 * message by its DocumentId as received). Only statuses this side sets travel: 01–06, 15, 16.
 */
export async function exportStatus(db: Kysely<ServerSchema>, id: string, recipient: string, now = new Date(), eventId?: string): Promise<{ bytes: Uint8Array; code: string }> {
  const message = await db.selectFrom('messages').select(['sender', 'envelope']).where('id', '=', id).executeTakeFirst();
  let events = db.selectFrom('status_events').selectAll().where('message_id', '=', id).where('recipient', '=', recipient).where('by_organ', '=', recipient);
  // One event (the connector sends each), else the latest.
  if (eventId !== undefined) events = events.where('event_id', '=', eventId);
  const event = message ? await events.orderBy('seq', 'desc').executeTakeFirst() : undefined;
  if (!message || !event) throw notFound(`trạng thái của ${recipient} trên văn bản ${id}`, `Status of ${recipient} on message ${id}`);
  const ours = STATUS_CODES.filter((c) => c !== '13') as readonly string[];
  if (!ours.includes(event.code)) throw new VanthuError('EDXML_FIELD_INVALID', { field: 'StatusCode', detail: `${event.code} is not a recipient's status / không phải trạng thái của nơi nhận` });
  const name = await db.selectFrom('agencies').select('name').where('organ_id', '=', recipient).executeTakeFirst();
  const kept = await keptEdxml(db, id);
  const pkg = statusToEdxml({
    from: { organId: recipient, ...(name ? { organName: name.name } : {}) },
    original: { sender: message.sender, metadata: (JSON.parse(message.envelope) as MessageEnvelope).metadata, ...(kept ? { documentId: kept.documentId } : {}) },
    code: event.code,
    ...(event.reason ? { description: event.reason } : {}),
    at: new Date(event.created_at ?? now.toISOString()),
  });
  return { bytes: buildEdxml(pkg), code: event.code };
}
