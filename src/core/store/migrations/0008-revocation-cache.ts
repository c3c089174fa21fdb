// Migration 8: OCSP responses and CRLs kept until their nextUpdate, so a re-check or a second document asks no responder again.
import type { Db } from '../db-types.js';

export const version = 8;
export const name = 'revocation-cache';

// Why some choices:
// - One row per (kind, issuer, subject): an OCSP answer per (issuer key hash, serial), a CRL per (issuer, URL);
//   a newer answer replaces the older one.
// - Times are epoch milliseconds like the other tables; a row past `next_update` is never read and is
//   deleted by the next write, so the table stays the size of what is current.
export function up(db: Db): void {
  db.exec(`
    CREATE TABLE revocation_cache (
      kind TEXT NOT NULL CHECK (kind IN ('ocsp', 'crl')),
      issuer TEXT NOT NULL,
      subject TEXT NOT NULL,
      der BLOB NOT NULL,
      this_update INTEGER NOT NULL,
      next_update INTEGER NOT NULL,
      stored_at INTEGER NOT NULL,
      PRIMARY KEY (kind, issuer, subject),
      CHECK (next_update > this_update)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX revocation_cache_expiry ON revocation_cache (next_update);
  `);
}
