// Migration 5: what the exchange client keeps: messages linked to documents (with receipts), feed cursors, the directory cache, open uploads.
import type { Db } from '../db-types.js';

export const version = 5;
export const name = 'exchange';

// Why some choices:
// - `exchange_messages.message_id` is the primary key: an inbox item redelivered after a crash
//   between storing and acking finds its row and is only acked again, never stored twice.
// - The receipt is kept verbatim (JSON): it is the server's signed proof and must verify later.
// - The directory is a cache for offline addressing; a sync replaces it whole.
// - An open tus upload's URL outlives the process, so a client killed mid-upload resumes at the server's offset.
export function up(db: Db): void {
  db.exec(`
    CREATE TABLE exchange_messages (
      message_id TEXT PRIMARY KEY,
      direction TEXT NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
      document_id INTEGER REFERENCES documents (id) ON DELETE SET NULL,
      receipt TEXT,
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX exchange_messages_by_document ON exchange_messages (document_id);

    CREATE TABLE exchange_cursors (
      name TEXT PRIMARY KEY CHECK (name IN ('inbox', 'status-feed')),
      value INTEGER NOT NULL CHECK (value >= 0)
    ) STRICT;

    CREATE TABLE exchange_directory (
      organ_id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      parent TEXT,
      synced_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE exchange_uploads (
      sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
      location TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;
  `);
}
