// The exchange client's rows in the local store: message ↔ document links with receipts, feed cursors, the directory cache, open uploads.
import type { DirectoryEntry, SignedReceipt } from '../../shared/exchange-protocol.js';
import type { Db } from '../store/index.js';

export type CursorName = 'inbox' | 'status-feed';

export function getCursor(db: Db, name: CursorName): number {
  return db.prepare<[string], number>('SELECT value FROM exchange_cursors WHERE name = ?').pluck().get(name) ?? 0;
}

/** Cursors only move forward: a late answer to an older pull must not send us back. */
export function setCursor(db: Db, name: CursorName, value: number): void {
  db.prepare('INSERT INTO exchange_cursors (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)').run(name, value);
}

export interface MessageLink {
  messageId: string;
  direction: 'outgoing' | 'incoming';
  documentId: number | null;
  receipt: SignedReceipt | null;
}

export function findMessage(db: Db, messageId: string): MessageLink | undefined {
  const row = db
    .prepare<[string], { message_id: string; direction: 'outgoing' | 'incoming'; document_id: number | null; receipt: string | null }>(
      'SELECT message_id, direction, document_id, receipt FROM exchange_messages WHERE message_id = ?',
    )
    .get(messageId);
  if (!row) return undefined;
  return { messageId: row.message_id, direction: row.direction, documentId: row.document_id, receipt: row.receipt ? (JSON.parse(row.receipt) as SignedReceipt) : null };
}

export function recordMessage(db: Db, link: MessageLink, now = Date.now()): void {
  db.prepare(
    `INSERT INTO exchange_messages (message_id, direction, document_id, receipt, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (message_id) DO UPDATE SET document_id = coalesce(excluded.document_id, document_id), receipt = coalesce(excluded.receipt, receipt)`,
  ).run(link.messageId, link.direction, link.documentId, link.receipt ? JSON.stringify(link.receipt) : null, now);
}

export function saveDirectory(db: Db, agencies: DirectoryEntry[], now = Date.now()): void {
  db.transaction(() => {
    db.prepare('DELETE FROM exchange_directory').run();
    const insert = db.prepare('INSERT INTO exchange_directory (organ_id, name, parent, synced_at) VALUES (?, ?, ?, ?)');
    for (const a of agencies) insert.run(a.organId, a.name, a.parent, now);
  }).immediate();
}

export function cachedDirectory(db: Db): DirectoryEntry[] {
  return db
    .prepare<[], { organ_id: string; name: string; parent: string | null }>('SELECT organ_id, name, parent FROM exchange_directory ORDER BY organ_id')
    .all()
    .map((r) => ({ organId: r.organ_id, name: r.name, parent: r.parent }));
}

/** Where the client keeps open tus upload URLs by blob hash. */
export interface UploadLocations {
  get(sha256: string): string | undefined;
  set(sha256: string, location: string): void;
  delete(sha256: string): void;
}

/** Upload URLs kept in the store, so a resumed upload survives a crash of the client. */
export function storedUploadLocations(db: Db): UploadLocations {
  return {
    get: (sha256) => db.prepare<[string], string>('SELECT location FROM exchange_uploads WHERE sha256 = ?').pluck().get(sha256),
    set: (sha256, location) =>
      void db.prepare('INSERT INTO exchange_uploads (sha256, location, created_at) VALUES (?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET location = excluded.location').run(sha256, location, Date.now()),
    delete: (sha256) => void db.prepare('DELETE FROM exchange_uploads WHERE sha256 = ?').run(sha256),
  };
}
