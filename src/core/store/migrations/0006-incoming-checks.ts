// Migration 6: incoming documents flagged "cần kiểm tra lại" (verdict indeterminate on arrival), with the reason, the next automatic check and the attempts so far.
import type { Db } from '../db-types.js';

export const version = 6;
export const name = 'incoming-checks';

// Why some choices:
// - One row per held document (document_id is the key); the row goes when a re-check finds it valid.
// - `outcome` 'indeterminate' is still re-checked automatically at `next_check_at`; 'invalid' means a
//   re-check found it invalid: it waits for the clerk (never returned automatically), so no next check.
// - The message id is kept so the automatic 03 can be sent once the document turns out valid.
export function up(db: Db): void {
  db.exec(`
    CREATE TABLE incoming_checks (
      document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
      message_id TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('indeterminate', 'invalid')),
      reason TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      next_check_at INTEGER,
      flagged_at INTEGER NOT NULL,
      checked_at INTEGER,
      CHECK ((outcome = 'indeterminate') = (next_check_at IS NOT NULL))
    ) STRICT;
    CREATE INDEX incoming_checks_due ON incoming_checks (next_check_at) WHERE next_check_at IS NOT NULL;
  `);
}
