// Hash-chained audit log: each entry's hash covers the previous one, so a changed, removed or reordered entry shows.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { canonicalJson } from '../../shared/exchange-protocol.js';
import { AUDIT_GENESIS } from '../db/migrations/0001-initial.js';
import type { AuditLogTable, ServerSchema } from '../db/schema.js';

export type AuditKind = 'submit' | 'deliver' | 'ack' | 'status' | 'duplicate-number';

export interface AuditEntry {
  kind: AuditKind;
  organId: string;
  messageId?: string;
  detail: Record<string, unknown>;
  at: string;
}

const entryHash = (row: Omit<AuditLogTable, 'hash'>): string =>
  createHash('sha256')
    .update(canonicalJson({ seq: row.seq, at: row.at, kind: row.kind, organId: row.organ_id, messageId: row.message_id, detail: row.detail, prev: row.prev_hash }))
    .digest('hex');

/** The chain's head as a transaction holding its lock sees it: the number of the entry it appends next, and the hash that entry links to. */
export interface LockedAuditHead {
  seq: number;
  prevHash: string;
}

/**
 * Takes the chain head's lock until commit (PostgreSQL: the head row's lock; SQLite: the write lock) and the next
 * entry's number. Whatever the transaction writes after this is ordered like the audit: sequence numbers drawn after
 * it (deliveries, status events) follow commit order, so a reader paging by cursor never skips one that commits late.
 */
export async function lockAuditHead(trx: Transaction<ServerSchema>): Promise<LockedAuditHead> {
  const head = await trx
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  return { seq: Number(head.seq), prevHash: head.hash };
}

/** The row for `entry` under a head just locked: the caller inserts it and sets the head's hash to its hash. */
export function auditRow(head: LockedAuditHead, entry: AuditEntry): AuditLogTable {
  const row = { seq: head.seq, at: entry.at, kind: entry.kind, organ_id: entry.organId, message_id: entry.messageId ?? null, detail: canonicalJson(entry.detail), prev_hash: head.prevHash };
  return { ...row, hash: entryHash(row) };
}

/** Appends inside the caller's transaction, so the entry exists exactly when what it records does. */
export async function appendAudit(trx: Transaction<ServerSchema>, entry: AuditEntry): Promise<number> {
  // The UPDATE takes the head row's lock (PostgreSQL) or the write lock (SQLite): appends are serialised.
  const row = auditRow(await lockAuditHead(trx), entry);
  await trx.insertInto('audit_log').values(row).execute();
  await trx.updateTable('audit_head').set({ hash: row.hash }).where('id', '=', 1).execute();
  return row.seq;
}

export type AuditVerification = { ok: true; entries: number; head: string } | { ok: false; seq: number; detail: string; entries: number };

/** Walks the whole chain in order: numbering without gaps, each link and hash recomputed, the head matching the last entry. */
export async function verifyAuditLog(db: Kysely<ServerSchema>): Promise<AuditVerification> {
  let prev = AUDIT_GENESIS;
  let expected = 1;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>=', expected).orderBy('seq').limit(1000).execute();
    if (rows.length === 0) break;
    for (const raw of rows) {
      const row = { ...raw, seq: Number(raw.seq) };
      if (row.seq !== expected) return { ok: false, seq: expected, detail: 'entry missing', entries: expected - 1 };
      if (row.prev_hash !== prev) return { ok: false, seq: row.seq, detail: 'link to the previous entry broken', entries: expected - 1 };
      if (entryHash(row) !== row.hash) return { ok: false, seq: row.seq, detail: 'content does not match its hash', entries: expected - 1 };
      prev = row.hash;
      expected += 1;
    }
  }
  const head = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  if (Number(head.seq) !== expected - 1 || head.hash !== prev) {
    return { ok: false, seq: expected, detail: `head says entry ${head.seq}, the log ends at ${expected - 1}`, entries: expected - 1 };
  }
  return { ok: true, entries: expected - 1, head: prev };
}
