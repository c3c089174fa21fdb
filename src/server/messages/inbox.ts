// Each agency's inbox: undelivered-or-unacked deliveries in order, redelivered until acked; first delivery and every ack audited.
import type { Kysely } from 'kysely';
import type { InboxItem, MessageEnvelope, SignedReceipt } from '../../shared/exchange-protocol.js';
import { appendAudit } from '../audit/audit-log.js';
import type { SqlDialectName } from '../db/dialect.js';
import { queryTemplate } from '../db/query-template.js';
import type { ServerSchema } from '../db/schema.js';
import { notFound } from '../http-errors.js';

/** readInbox's page: one range of the deliveries_unacked index (migration 0011), however many deliveries were acked before. */
export function unackedPageQuery(db: Kysely<ServerSchema>, organId: string, cursor: number, limit: number) {
  return db
    .selectFrom('deliveries')
    .innerJoin('messages', 'messages.id', 'deliveries.message_id')
    .select(['deliveries.seq', 'deliveries.first_delivered_at', 'deliveries.delivery_count', 'messages.id', 'messages.sender', 'messages.type', 'messages.in_reply_to', 'messages.envelope', 'messages.receipt', 'messages.created_at'])
    .where('deliveries.recipient', '=', organId)
    .where('deliveries.acked_at', 'is', null)
    .where('deliveries.seq', '>', cursor)
    .orderBy('deliveries.seq')
    .limit(limit);
}

// readInbox's and ackDeliveries' statements, each built once per shape (query-template.ts): an IN list's length is one.
const unackedPage = queryTemplate((db, a: { organId: string; cursor: number; limit: number }) => unackedPageQuery(db, a.organId, a.cursor, a.limit));
const deliveredAgain = queryTemplate((db, a: { seq: number; count: number; first: string }) => db.updateTable('deliveries').set({ delivery_count: a.count, first_delivered_at: a.first }).where('seq', '=', a.seq));
const filesOfMessages = queryTemplate((db, { ids }: { ids: readonly string[] }) =>
  db
    .selectFrom('message_files')
    .innerJoin('blobs', 'blobs.sha256', 'message_files.sha256')
    .select(['message_files.message_id', 'message_files.sha256', 'message_files.role', 'message_files.name', 'blobs.size'])
    .where('message_files.message_id', 'in', ids)
    .orderBy('message_files.message_id')
    .orderBy('message_files.position'),
);
const deliveriesAmong = queryTemplate((db, a: { organId: string; ids: readonly string[] }) =>
  db.selectFrom('deliveries').select(['seq', 'message_id', 'acked_at']).where('recipient', '=', a.organId).where('message_id', 'in', a.ids),
);
const acked = queryTemplate((db, a: { seq: number; at: string }) => db.updateTable('deliveries').set({ acked_at: a.at }).where('seq', '=', a.seq).where('acked_at', 'is', null));

export async function readInbox(db: Kysely<ServerSchema>, dialect: SqlDialectName, organId: string, cursor: number, limit: number, now: Date): Promise<{ items: InboxItem[]; nextCursor: number }> {
  return db.transaction().execute(async (trx) => {
    const rows = await unackedPage.rows(trx, { organId, cursor, limit });
    // Every delivery row first (in seq order), then the audit head, held to commit: the order every transaction takes
    // them in (the lock order audit-log.ts states), so a recall, ack or status change at the same moment never deadlocks with this.
    for (const row of rows) {
      await deliveredAgain.run(trx, { seq: Number(row.seq), count: Number(row.delivery_count) + 1, first: row.first_delivered_at ?? now.toISOString() });
    }
    // The page's files in one statement, not one per item (a round trip each on PostgreSQL).
    const filesOf = new Map<string, { sha256: string; role: string; name: string; size: number | string }[]>();
    if (rows.length > 0) {
      const files = await filesOfMessages.rows(trx, { ids: rows.map((row) => row.id) });
      for (const file of files) {
        const list = filesOf.get(file.message_id);
        if (list) list.push(file);
        else filesOf.set(file.message_id, [file]);
      }
    }
    const items: InboxItem[] = [];
    for (const row of rows) {
      const seq = Number(row.seq);
      const count = Number(row.delivery_count) + 1;
      if (row.first_delivered_at === null) await appendAudit(trx, { kind: 'deliver', organId, messageId: row.id, at: now.toISOString(), detail: { deliveryId: seq } }, dialect);
      const files = filesOf.get(row.id) ?? [];
      const envelope = JSON.parse(row.envelope) as MessageEnvelope;
      items.push({
        deliveryId: seq,
        messageId: row.id,
        sender: row.sender,
        type: envelope.type,
        inReplyTo: row.in_reply_to,
        metadata: envelope.metadata,
        files: files.map((f) => ({ sha256: f.sha256, role: f.role as InboxItem['files'][number]['role'], name: f.name, size: Number(f.size) })),
        receipt: JSON.parse(row.receipt) as SignedReceipt,
        submittedAt: row.created_at,
        deliveryCount: count,
      });
    }
    return { items, nextCursor: items.at(-1)?.deliveryId ?? cursor };
  });
}

/** Acks the agency's deliveries of `messageIds`; any id that is not addressed to it refuses the whole ack (404) and changes nothing. */
export async function ackDeliveries(db: Kysely<ServerSchema>, dialect: SqlDialectName, organId: string, messageIds: string[], now: Date): Promise<{ acked: number }> {
  const ids = [...new Set(messageIds)];
  return db.transaction().execute(async (trx) => {
    const mine = await deliveriesAmong.rows(trx, { organId, ids });
    const missing = ids.find((id) => !mine.some((d) => d.message_id === id));
    if (missing) throw notFound(`văn bản ${missing} trong hộp thư đến`, `Message ${missing} in this inbox`);
    // The delivery rows in seq order, then the audit head (the lock order audit-log.ts states).
    const unacked = mine.filter((d) => d.acked_at === null).sort((a, b) => Number(a.seq) - Number(b.seq));
    for (const delivery of unacked) await acked.run(trx, { seq: delivery.seq, at: now.toISOString() });
    for (const delivery of unacked) await appendAudit(trx, { kind: 'ack', organId, messageId: delivery.message_id, at: now.toISOString(), detail: { deliveryId: Number(delivery.seq) } }, dialect);
    return { acked: unacked.length };
  });
}
