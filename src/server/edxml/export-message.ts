// A stored message as an edXML package: its envelope's metadata, the directory's names, and its signed PDFs as attachments.
import type { Kysely } from 'kysely';
import { buildEdxml, envelopeToEdxml } from '../../core/edxml/index.js';
import type { MessageEnvelope } from '../../shared/exchange-protocol.js';
import { blobBytes } from '../blobs/blob-store.js';
import type { ServerSchema } from '../db/schema.js';
import { notFound } from '../http-errors.js';

/**
 * The package for message `id`. With `organId`, only its sender or a recipient gets it (404 alike for
 * "absent" and "not yours"); without, the administrator's export from the command line.
 */
export async function exportMessage(db: Kysely<ServerSchema>, id: string, organId?: string): Promise<{ bytes: Uint8Array; files: number }> {
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
  let original: { sender: string; metadata: MessageEnvelope['metadata'] } | undefined;
  if (message.in_reply_to) {
    const row = await db.selectFrom('messages').select(['sender', 'envelope']).where('id', '=', message.in_reply_to).executeTakeFirst();
    if (row) original = { sender: row.sender, metadata: (JSON.parse(row.envelope) as MessageEnvelope).metadata };
  }
  const pkg = envelopeToEdxml({ envelope, senderName: names.get(envelope.sender), recipientNames: names, acceptedAt: new Date(message.created_at), files, original });
  return { bytes: buildEdxml(pkg), files: files.length };
}
