// The server's revocation cache in its database (SQLite and PostgreSQL): shared by two connections, never past nextUpdate, and reached from the verification threads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf } from '../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom, type RevocationCache, type RevocationCacheEntry } from '../../../src/core/trust/index.js';
import { openServerDatabase } from '../../../src/server/index.js';
import { DatabaseRevocationCache } from '../../../src/server/messages/revocation-cache.js';
import { poolVerifier } from '../../../src/server/messages/verifier.js';
import { fixture } from '../../kit/pdf-tools.js';
import { usePki } from '../../kit/pki.js';
import { logoutAll } from '../../kit/signing-key.js';
import { DIALECTS, freshDatabaseUrl, sha256, testKeys, type Keys } from './kit.js';

const pki = usePki();
let keys: Keys;

beforeAll(async () => {
  keys = await testKeys(pki);
});
afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

const entry = (subject: string, byte: number, from: number, until: number): RevocationCacheEntry => ({
  key: { kind: 'ocsp', issuer: 'issuer-key', subject },
  der: new Uint8Array([0x30, byte]),
  thisUpdate: new Date(from),
  nextUpdate: new Date(until),
});

/** The cache with a count of answers it gave and answers it was given (a put follows a fetch from the network). */
function counting(cache: RevocationCache): RevocationCache & { hits: number; puts: number } {
  const out = {
    hits: 0,
    puts: 0,
    get: async (...args: Parameters<RevocationCache['get']>) => {
      const found = await cache.get(...args);
      if (found) out.hits++;
      return found;
    },
    put: async (kept: RevocationCacheEntry) => {
      out.puts++;
      await cache.put(kept);
    },
  };
  return out;
}

describe.each(DIALECTS)('server revocation cache (%s)', (dialect) => {
  it('is shared by two connections, keeps the newer answer, never gives one past its nextUpdate and drops it on the next write', async () => {
    const { url, drop } = await freshDatabaseUrl(dialect);
    const one = await openServerDatabase(url);
    const two = await openServerDatabase(url);
    try {
      let clock = 1_000_000;
      const first = new DatabaseRevocationCache(one.db, () => new Date(clock));
      const second = new DatabaseRevocationCache(two.db, () => new Date(clock));
      await first.put(entry('0a', 1, 1_000_000, 2_000_000));
      const seen = await second.get(entry('0a', 0, 0, 1).key, new Date(1_500_000));
      expect(seen?.der).toEqual(new Uint8Array([0x30, 1]));
      expect(seen?.nextUpdate.getTime()).toBe(2_000_000);
      // An older answer fetched later by another process does not replace the newer one.
      await second.put(entry('0a', 2, 900_000, 1_800_000));
      expect((await first.get(entry('0a', 0, 0, 1).key, new Date(1_500_000)))?.der).toEqual(new Uint8Array([0x30, 1]));
      await second.put(entry('0a', 3, 1_100_000, 3_000_000));
      expect((await first.get(entry('0a', 0, 0, 1).key, new Date(2_500_000)))?.der).toEqual(new Uint8Array([0x30, 3]));
      // At nextUpdate it is over.
      expect(await first.get(entry('0a', 0, 0, 1).key, new Date(3_000_000))).toBeUndefined();
      // Another serial is another key.
      expect(await first.get(entry('0b', 0, 0, 1).key, new Date(1_500_000))).toBeUndefined();

      clock = 3_000_001;
      await first.put(entry('0b', 4, 3_000_000, 4_000_000));
      const rows = await one.db.selectFrom('revocation_cache').select('subject').execute();
      expect(rows.map((r) => r.subject)).toEqual(['0b']);
    } finally {
      await one.close();
      await two.close();
      await drop();
    }
  });
});

describe('server revocation cache in the verification threads', () => {
  it('keeps the OCSP answer a worker fetched and gives it to the next verification of the same signer', async () => {
    const { url, drop } = await freshDatabaseUrl('sqlite');
    const database = await openServerDatabase(url);
    const trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
    const cache = counting(new DatabaseRevocationCache(database.db));
    const pool = poolVerifier(trust, 1, cache);
    try {
      const first = (await signPdf(fixture('classic-xref.pdf'), keys.agency, {})).bytes;
      const second = (await signPdf(fixture('xref-stream.pdf'), keys.agency, {})).bytes;
      const now = new Date();
      expect((await pool.verify({ bytes: first, sha256: sha256(first), online: true, now })).verdict).toBe('valid');
      expect(cache.puts).toBe(1);
      expect(cache.hits).toBe(0);
      const rows = await database.db.selectFrom('revocation_cache').select(['kind', 'next_update']).execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.kind).toBe('ocsp');
      expect(new Date(rows[0]!.next_update).getTime()).toBeGreaterThan(now.getTime());

      expect((await pool.verify({ bytes: second, sha256: sha256(second), online: true, now })).verdict).toBe('valid');
      // Taken from the database, not from the responder (which would have been kept again).
      expect(cache.hits).toBe(1);
      expect(cache.puts).toBe(1);
    } finally {
      await pool.close();
      await database.close();
      await drop();
    }
  });
});
