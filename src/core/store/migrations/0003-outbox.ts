// Migration 3: the outbox: persistent jobs in lanes with leases, their history, and bulk batches.
import type { Db } from '../db-types.js';

export const version = 3;
export const name = 'outbox';

// Why some choices:
// - A job is live while pending, running, waiting (for a login or the token) or needs_attention: a live
//   job blocks the later jobs of its lane, so a document's steps never overtake a failed one.
// - `lease_owner` + `lease_expires_at` let another worker (or process) take over a job whose worker
//   died: a running job whose lease has expired is claimable again.
// - `attempts` counts leases taken; waiting for a login gives the attempt back, so a token left
//   unplugged does not burn the retries of network errors.
// - Payloads are JSON text the outbox writes itself; never a PIN (nothing in the outbox knows one).
export function up(db: Db): void {
  db.exec(`
    CREATE TABLE outbox_batches (
      id INTEGER PRIMARY KEY,
      -- The same request (kind, documents, options) finds its unfinished batch again, to resume it.
      batch_key TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('sign')),
      options TEXT NOT NULL CHECK (json_valid(options)),
      state TEXT NOT NULL CHECK (state IN ('open', 'finished', 'cancelled')),
      total INTEGER NOT NULL CHECK (total >= 0),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE UNIQUE INDEX outbox_batches_one_open ON outbox_batches (batch_key) WHERE state = 'open';

    CREATE TABLE outbox_jobs (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
      lane TEXT NOT NULL CHECK (length(lane) BETWEEN 1 AND 200),
      document_id INTEGER REFERENCES documents (id) ON DELETE CASCADE,
      batch_id INTEGER REFERENCES outbox_batches (id) ON DELETE SET NULL,
      payload TEXT NOT NULL CHECK (json_valid(payload)),
      state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'waiting', 'needs_attention', 'done', 'cancelled')),
      waiting_for TEXT CHECK (waiting_for IN ('login', 'token')),
      attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
      run_after INTEGER NOT NULL,
      lease_owner TEXT,
      lease_expires_at INTEGER,
      cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
      -- {code, messageVi, messageEn} of the last failure, shown to the user.
      last_error TEXT CHECK (last_error IS NULL OR json_valid(last_error)),
      -- What the job produced (JSON), e.g. the revision a signature made.
      result TEXT CHECK (result IS NULL OR json_valid(result)),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      finished_at INTEGER,
      CHECK ((state = 'waiting') = (waiting_for IS NOT NULL)),
      CHECK ((state = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL))
    ) STRICT;
    -- The claim query: ready jobs by time, and the live jobs of a lane in order.
    CREATE INDEX outbox_jobs_ready ON outbox_jobs (run_after, id) WHERE state = 'pending';
    CREATE INDEX outbox_jobs_leased ON outbox_jobs (lease_expires_at) WHERE state = 'running';
    CREATE INDEX outbox_jobs_live_lane ON outbox_jobs (lane, id) WHERE state IN ('pending', 'running', 'waiting', 'needs_attention');
    CREATE INDEX outbox_jobs_by_document ON outbox_jobs (document_id, id);
    CREATE INDEX outbox_jobs_by_batch ON outbox_jobs (batch_id, id) WHERE batch_id IS NOT NULL;
    CREATE INDEX outbox_jobs_by_state ON outbox_jobs (state, id);

    CREATE TABLE outbox_job_history (
      id INTEGER PRIMARY KEY,
      job_id INTEGER NOT NULL REFERENCES outbox_jobs (id) ON DELETE CASCADE,
      at INTEGER NOT NULL,
      event TEXT NOT NULL CHECK (event IN ('enqueued', 'leased', 'lease_expired', 'released', 'succeeded', 'retry',
        'waiting', 'resumed', 'needs_attention', 'cancel_requested', 'cancelled', 'retried_by_user')),
      attempt INTEGER,
      worker TEXT,
      detail TEXT CHECK (detail IS NULL OR json_valid(detail))
    ) STRICT;
    CREATE INDEX outbox_job_history_by_job ON outbox_job_history (job_id, id);
  `);
}
