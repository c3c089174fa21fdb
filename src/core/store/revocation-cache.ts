// The client's revocation cache in its SQLite store: kept OCSP answers and CRLs shared by the app, `vanthu inbox` and the re-checks.
import type { RevocationCache, RevocationCacheEntry, RevocationCacheKey } from '../trust/revocation-cache.js';
import type { Db } from './db-types.js';

interface Row {
  der: Uint8Array;
  this_update: number;
  next_update: number;
}

export class SqliteRevocationCache implements RevocationCache {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  get(key: RevocationCacheKey, now: Date): Promise<RevocationCacheEntry | undefined> {
    const row = this.db
      .prepare<[string, string, string, number], Row>('SELECT der, this_update, next_update FROM revocation_cache WHERE kind = ? AND issuer = ? AND subject = ? AND next_update > ?')
      .get(key.kind, key.issuer, key.subject, now.getTime());
    return Promise.resolve(row && { key, der: new Uint8Array(row.der), thisUpdate: new Date(row.this_update), nextUpdate: new Date(row.next_update) });
  }

  put(entry: RevocationCacheEntry): Promise<void> {
    const now = this.clock();
    this.db
      .transaction(() => {
        this.db.prepare('DELETE FROM revocation_cache WHERE next_update <= ?').run(now);
        // A newer answer replaces an older one, never the reverse (two processes may fetch at once).
        this.db
          .prepare(
            `INSERT INTO revocation_cache (kind, issuer, subject, der, this_update, next_update, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (kind, issuer, subject) DO UPDATE SET der = excluded.der, this_update = excluded.this_update,
               next_update = excluded.next_update, stored_at = excluded.stored_at WHERE excluded.next_update >= revocation_cache.next_update`,
          )
          .run(entry.key.kind, entry.key.issuer, entry.key.subject, entry.der, entry.thisUpdate.getTime(), entry.nextUpdate.getTime(), now);
      })
      .immediate();
    return Promise.resolve();
  }
}
