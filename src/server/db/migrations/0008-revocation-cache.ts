// OCSP responses and CRLs kept until their nextUpdate in the server's database, so every server process (and every worker thread) shares what one fetched.
import type { Kysely, Migration } from 'kysely';
import type { SqlDialectName } from '../dialect.js';

// Why some choices:
// - One row per (kind, issuer, subject): an OCSP answer per (issuer key hash, serial), a CRL per (issuer, URL);
//   a newer answer replaces an older one.
// - Times are ISO-8601 UTC text like every time column (they compare as text); the expiry index serves the
//   clean-up of rows past their nextUpdate, which are never read.
export function revocationCacheMigration(dialect: SqlDialectName): Migration {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('revocation_cache')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('der', bytes, (c) => c.notNull())
        .addColumn('this_update', 'text', (c) => c.notNull())
        .addColumn('next_update', 'text', (c) => c.notNull())
        .addColumn('stored_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('revocation_cache_pk', ['kind', 'issuer', 'subject'])
        .execute();
      await db.schema.createIndex('revocation_cache_expiry').on('revocation_cache').column('next_update').execute();
    },
  };
}
