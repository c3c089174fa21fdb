// CA certificates the server fetched from a certificate's AIA "CA Issuers" URL, kept in its database so every server process (and every worker thread) fetches a missing intermediate once.
import type { Kysely, Migration } from 'kysely';
import type { SqlDialectName } from '../dialect.js';

// Why some choices:
// - One row per (URL, certificate SHA-256): an answer may hold several certificates, and the same certificate may be
//   served at several URLs; a lookup is by URL (the primary key's first column).
// - fetched_at is ISO-8601 UTC text like every time column. Rows are never expired: a CA certificate does not change,
//   and whether it is still good is the chain check's question, not the cache's.
export function caCertificatesMigration(dialect: SqlDialectName): Migration {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('ca_certificates')
        .addColumn('source_url', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('der', bytes, (c) => c.notNull())
        .addColumn('fetched_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('ca_certificates_pk', ['source_url', 'sha256'])
        .execute();
    },
  };
}
