// The server's revocation cache in its database (SQLite or PostgreSQL): OCSP answers and CRLs every server process shares until their nextUpdate.
import type { Kysely } from 'kysely';
import type { RevocationCache, RevocationCacheEntry, RevocationCacheKey } from '../../core/trust/index.js';
import { queryTemplate } from '../db/query-template.js';
import type { ServerSchema } from '../db/schema.js';

/** The kept answer for one certificate (or issuer's CRL) still fresh at `now`; asked for every signature verified. */
const freshEntry = queryTemplate((db, a: { kind: 'ocsp' | 'crl'; issuer: string; subject: string; now: string }) =>
  db.selectFrom('revocation_cache').select(['der', 'this_update', 'next_update']).where('kind', '=', a.kind).where('issuer', '=', a.issuer).where('subject', '=', a.subject).where('next_update', '>', a.now),
);

export class DatabaseRevocationCache implements RevocationCache {
  constructor(
    private readonly db: Kysely<ServerSchema>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async get(key: RevocationCacheKey, now: Date): Promise<RevocationCacheEntry | undefined> {
    const row = await freshEntry.first(this.db, { kind: key.kind, issuer: key.issuer, subject: key.subject, now: now.toISOString() });
    return row && { key, der: new Uint8Array(row.der), thisUpdate: new Date(row.this_update), nextUpdate: new Date(row.next_update) };
  }

  async put(entry: RevocationCacheEntry): Promise<void> {
    const now = this.clock().toISOString();
    const nextUpdate = entry.nextUpdate.toISOString();
    await this.db.deleteFrom('revocation_cache').where('next_update', '<=', now).execute();
    // A newer answer replaces an older one, never the reverse (several processes may fetch at once).
    await this.db
      .insertInto('revocation_cache')
      .values({ kind: entry.key.kind, issuer: entry.key.issuer, subject: entry.key.subject, der: entry.der, this_update: entry.thisUpdate.toISOString(), next_update: nextUpdate, stored_at: now })
      .onConflict((conflict) =>
        conflict
          .columns(['kind', 'issuer', 'subject'])
          .doUpdateSet((eb) => ({ der: eb.ref('excluded.der'), this_update: eb.ref('excluded.this_update'), next_update: eb.ref('excluded.next_update'), stored_at: eb.ref('excluded.stored_at') }))
          .where('revocation_cache.next_update', '<=', nextUpdate),
      )
      .execute();
  }
}

/** The cache, telling `onNextUpdate` the nextUpdate of every answer it gives or keeps: what a verdict's freshness depends on. */
export function watchedRevocationCache(cache: RevocationCache, onNextUpdate: (nextUpdate: Date) => void): RevocationCache {
  return {
    get: async (key, now) => {
      const entry = await cache.get(key, now);
      if (entry) onNextUpdate(entry.nextUpdate);
      return entry;
    },
    put: async (entry) => {
      onNextUpdate(entry.nextUpdate);
      await cache.put(entry);
    },
  };
}
