// Migration 9: the processing steps of an incoming document after it is accepted (submitted to the leader, assigned with a deadline, in progress, done).
import type { Db } from '../db-types.js';

export const version = 9;
export const name = 'incoming-steps';

// Why some choices:
// - One row per step, never updated: the rows are the document's processing record (who, when, what), shown
//   as they were written. The current assignment is the latest 'assigned' row (a leader may reassign).
// - `deadline` is a Vietnam-time calendar day (yyyy-MM-dd), like the document dates; it is compared as text.
// - document_history keeps the state moves (its kind list is fixed by migration 1); this table keeps the
//   details a state move does not carry (the leader, the unit or person in charge, the opinion, the result).
export function up(db: Db): void {
  db.exec(`
    CREATE TABLE incoming_steps (
      id INTEGER PRIMARY KEY,
      document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
      step TEXT NOT NULL CHECK (step IN ('submitted', 'assigned', 'processing', 'done')),
      at INTEGER NOT NULL,
      actor TEXT CHECK (actor IS NULL OR length(actor) BETWEEN 1 AND 200),
      handler TEXT CHECK (handler IS NULL OR length(handler) BETWEEN 1 AND 200),
      deadline TEXT CHECK (deadline IS NULL OR deadline GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      note TEXT CHECK (note IS NULL OR length(note) <= 2000),
      CHECK (step <> 'assigned' OR (handler IS NOT NULL AND deadline IS NOT NULL))
    ) STRICT;
    CREATE INDEX incoming_steps_by_document ON incoming_steps (document_id, id);
  `);
}
