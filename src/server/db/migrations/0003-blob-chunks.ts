// Blobs kept in 1 MiB chunks, so a download or a range reads only what it sends; and a shared rate-limit counter table.
import { sql, type Kysely, type Migration } from 'kysely';
import type { SqlDialectName } from '../dialect.js';

/** Chunk size of stored blobs; also the most a download holds in memory at once. */
export const BLOB_CHUNK_BYTES = 1024 * 1024;

type Before = { blobs: { sha256: string; data: Uint8Array }; blob_chunks: { sha256: string; position: number; data: Uint8Array } };

export function blobChunksMigration(dialect: SqlDialectName): Migration {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('blob_chunks')
        .addColumn('sha256', 'text', (c) => c.notNull().references('blobs.sha256'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('data', bytes, (c) => c.notNull())
        .addPrimaryKeyConstraint('blob_chunks_pk', ['sha256', 'position'])
        .execute();
      // PDFs are compressed already: PostgreSQL's TOAST compression would only cost CPU on every write and read.
      if (dialect === 'postgres') await sql`ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL`.execute(db);
      const typed = db as unknown as Kysely<Before>;
      // One blob at a time, so a large store migrates in bounded memory.
      for (const { sha256 } of await typed.selectFrom('blobs').select('sha256').execute()) {
        const { data } = await typed.selectFrom('blobs').select('data').where('sha256', '=', sha256).executeTakeFirstOrThrow();
        for (let position = 0; position * BLOB_CHUNK_BYTES < data.length || position === 0; position += 1) {
          const chunk = data.subarray(position * BLOB_CHUNK_BYTES, (position + 1) * BLOB_CHUNK_BYTES);
          await typed.insertInto('blob_chunks').values({ sha256, position, data: chunk }).execute();
        }
      }
      await db.schema.alterTable('blobs').dropColumn('data').execute();

      // Fixed-window request counters shared by every server process on one PostgreSQL (see rate-limit-store.ts).
      await db.schema
        .createTable('rate_limits')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('window_start', 'bigint', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .execute();
    },
  };
}
