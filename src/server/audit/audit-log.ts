// Hash-chained audit log: each entry's hash covers the previous one, so a changed, removed or reordered entry shows.
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { canonicalJson } from '../../shared/exchange-protocol.js';
import type { SqlDialectName } from '../db/dialect.js';
import { queryTemplate } from '../db/query-template.js';
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

/*
 * Lock order. A transaction that changes existing delivery rows (inbox read, ack, status change, recall) takes their row
 * locks first, in seq order, and only then the audit head (appendAudit, appendAuditAndDeliver), which it holds to
 * commit; it takes no delivery row lock after the head. Taken the other way round by one of them, a recall holding the
 * head while an inbox read held the original's delivery deadlocked on PostgreSQL (one of them failed after a second).
 */

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
  const head = await headLocked.first(trx, {});
  if (!head) throw new Error('audit_head has no row');
  return { seq: Number(head.seq), prevHash: head.hash };
}

const headLocked = queryTemplate((db) =>
  db
    .updateTable('audit_head')
    .set((eb) => ({ seq: eb('seq', '+', 1) }))
    .where('id', '=', 1)
    .returning(['seq', 'hash']),
);
const entryAppended = queryTemplate((db, row: AuditLogTable) => db.insertInto('audit_log').values(row));
const headMoved = queryTemplate((db, { hash }: { hash: string }) => db.updateTable('audit_head').set({ hash }).where('id', '=', 1));

/** The row for `entry` under a head just locked: the caller inserts it and sets the head's hash to its hash. */
export function auditRow(head: LockedAuditHead, entry: AuditEntry): AuditLogTable {
  const row = { seq: head.seq, at: entry.at, kind: entry.kind, organ_id: entry.organId, message_id: entry.messageId ?? null, detail: canonicalJson(entry.detail), prev_hash: head.prevHash };
  return { ...row, hash: entryHash(row) };
}

/**
 * Appends inside the caller's transaction, so the entry exists exactly when what it records does. PostgreSQL: one
 * statement (appendAuditAndDeliver's, no deliveries) instead of three round trips; an inbox page of ten read and acked
 * appends twenty entries.
 */
export async function appendAudit(trx: Transaction<ServerSchema>, entry: AuditEntry, dialect: SqlDialectName): Promise<number> {
  if (dialect === 'postgres') return appendAuditAndDeliver(trx, entry, entry.messageId ?? '', []);
  // The UPDATE takes the write lock (SQLite): appends are serialised.
  const row = auditRow(await lockAuditHead(trx), entry);
  await entryAppended.run(trx, row);
  await headMoved.run(trx, { hash: row.hash });
  return row.seq;
}

/**
 * PostgreSQL: locks the head, appends `entry` and inserts the deliveries of `messageId` to `recipients` numbered after
 * the lock, in one statement, so the lock is held only for what is left of it and the commit (every appender waits
 * for it). PostgreSQL computes the entry's hash from the head it locked: the canonical JSON of an entry ends with
 * `"prev":"<hash>","seq":<n>}` (its keys sorted), so everything before is made here (entryHash's very text) and sent as bytes.
 * SELECT … FOR UPDATE returns the head as the transaction it waited for left it.
 */
export async function appendAuditAndDeliver(trx: Transaction<ServerSchema>, entry: AuditEntry, messageId: string, recipients: string[]): Promise<number> {
  const row = await entryAndDeliveries.first(trx, auditStatementArgs(entry, recipients.length > 0 ? messageId : undefined, recipients));
  return Number(row!.seq);
}

/** What auditAndDeliveryCtes takes: the entry as its statement sends it, and the deliveries to number after the lock. */
export interface AuditStatementArgs {
  at: string;
  kind: string;
  organId: string;
  entryMessageId: string | null;
  detail: string;
  prefix: Uint8Array;
  /** The message delivered (undefined: no deliveries). */
  messageId: string | undefined;
  recipients: readonly string[];
}

/** appendAuditAndDeliver's arguments for `entry` (its canonical text up to the link, which PostgreSQL completes). */
export function auditStatementArgs(entry: AuditEntry, messageId: string | undefined, recipients: readonly string[]): AuditStatementArgs {
  const detail = canonicalJson(entry.detail);
  const head = canonicalJson({ at: entry.at, kind: entry.kind, organId: entry.organId, messageId: entry.messageId ?? null, detail });
  const prefix = Buffer.from(`${head.slice(0, -1)},"prev":"`, 'utf8');
  return { at: entry.at, kind: entry.kind, organId: entry.organId, entryMessageId: entry.messageId ?? null, detail, prefix, messageId, recipients };
}

/**
 * The common table expressions (PostgreSQL) that lock the head, append the entry (named `entry`, returning its seq),
 * move the head and insert the deliveries; a statement that ends with `select … from entry` runs them all. Another
 * statement may add its own writes beside them (submit.ts: the message and its files).
 */
export function auditAndDeliveryCtes(a: AuditStatementArgs) {
  const deliveries = a.recipients.length > 0
    ? sql`, delivered as (
      insert into deliveries (message_id, recipient, status, status_before_recall, first_delivered_at, delivery_count, acked_at)
      select d.message_id, d.recipient, null, null, null, 0, null from entry, (values ${sql.join(a.recipients.map((r) => sql`(${a.messageId}, ${r})`))}) as d (message_id, recipient))`
    : sql``;
  return sql`head as (select seq + 1 as seq, hash as prev from audit_head where id = 1 for update),
    entry as (
      insert into audit_log (seq, at, kind, organ_id, message_id, detail, prev_hash, hash)
      select head.seq, ${a.at}, ${a.kind}, ${a.organId}, ${a.entryMessageId}, ${a.detail}, head.prev,
        encode(sha256(${a.prefix}::bytea || convert_to(head.prev || '","seq":' || head.seq::text || '}', 'UTF8')), 'hex')
      from head
      returning seq, hash),
    moved as (update audit_head set seq = entry.seq, hash = entry.hash from entry where audit_head.id = 1)
    ${deliveries}`;
}

const entryAndDeliveries = queryTemplate((_db, a: AuditStatementArgs) => sql<{ seq: string | number }>`with ${auditAndDeliveryCtes(a)} select seq from entry`);

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
