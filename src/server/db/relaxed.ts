// Writes whose loss in a power cut costs only a retry (upload pieces, inbox delivery counters, acks): on SQLite committed without waiting for the disk.
import { sql, type Kysely } from 'kysely';
import type { ServerDatabase } from './connect.js';
import type { ServerSchema } from './schema.js';

/** Runs database work: as it is, or (SQLite) with its commits not flushed to the disk one by one. */
export type Relax = <T>(work: (db: Kysely<ServerSchema>) => Promise<T>) => Promise<T>;

/**
 * SQLite runs synchronous = FULL: every commit waits for an fsync (a few ms on this kind of disk, with the
 * event loop blocked), which made uploads, inbox reads and acks cost several fsyncs per document. Work given
 * to this runs at synchronous = NORMAL on the connection it holds for the while (nothing else interleaves; the
 * setting cannot change inside a transaction, so it is set around the work). In WAL mode a NORMAL commit is
 * still atomic and survives a crash of the process; a power cut can lose it, but only together with every
 * later commit, since the WAL is one sequence and the next FULL commit (an accepted submission, a status)
 * flushes all the frames before its own. What may be lost is harmless: an upload is asked for again (the
 * sender checks HEAD before it submits), a redelivery is counted again, an ack is repeated.
 * PostgreSQL commits as it always does.
 */
export function relaxedWrites(database: Pick<ServerDatabase, 'db' | 'dialect'>): Relax {
  if (database.dialect !== 'sqlite') return (work) => work(database.db);
  return (work) =>
    database.db.connection().execute(async (connection) => {
      await sql`PRAGMA synchronous = NORMAL`.execute(connection);
      try {
        return await work(connection);
      } finally {
        await sql`PRAGMA synchronous = FULL`.execute(connection);
      }
    });
}
