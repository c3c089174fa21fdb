// Submissions held "pending" because a signature's revocation could not be checked yet (a responder did not answer): kept with their files until re-checked.
import { sql, type Kysely, type Migration } from 'kysely';

const sqlCheck = sql`state IN ('pending', 'refused')`;

// Why some choices:
// - A table of its own, not a state in `messages`: a pending submission has no receipt and no deliveries
//   yet, and every reader of `messages` (inbox, status, edXML export) stays as it was.
// - Its files are the sender's uploaded blobs (granted to the sender, referenced here by the envelope), so
//   they stay while it waits; it becomes a message (same id) when a re-check finds it valid.
// - `state` 'refused' keeps the reasons, so the sender's poll and the idempotent replay answer the refusal.
// - `next_check_at` is ISO text like every time column; the due index serves the background re-check.
export const pendingSubmissionsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('pending_submissions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('sender', 'text', (c) => c.notNull().references('agencies.organ_id'))
      .addColumn('envelope', 'text', (c) => c.notNull())
      .addColumn('envelope_sha256', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sqlCheck))
      .addColumn('reasons', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_check_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('checked_at', 'text')
      .execute();
    await db.schema.createIndex('pending_submissions_due').on('pending_submissions').columns(['state', 'next_check_at']).execute();
  },
};
