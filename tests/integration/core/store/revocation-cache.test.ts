// The store's revocation cache: shared by two connections to one database (the app and `vanthu inbox`), never past nextUpdate, newest kept.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, SqliteRevocationCache } from '../../../../src/core/store/index.js';
import { checkRevocation, ocspKey } from '../../../../src/core/trust/index.js';
import { readCertificate } from '../../../../src/core/trust/certificate.js';
import { testCerts } from '../trust/kit.js';

const t = testCerts();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function databaseFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-revcache-'));
  dirs.push(dir);
  return path.join(dir, 'vanthu.db');
}

function counted(): { fetch: typeof fetch; calls: () => number } {
  let calls = 0;
  return { fetch: (input, init) => (calls++, fetch(input, init)), calls: () => calls };
}

describe('SqliteRevocationCache', () => {
  it('keeps the responder\'s answer for every connection to the store, until its nextUpdate', async () => {
    const file = databaseFile();
    const app = openDatabase(file);
    const cli = openDatabase(file);
    const network = counted();
    const options = { at: new Date(), online: true, methods: ['ocsp' as const], fetch: network.fetch };

    const first = await checkRevocation(t.leader, t.subCa, { ...options, cache: new SqliteRevocationCache(app) });
    expect(first).toMatchObject({ status: 'good', source: 'ocsp' });
    const second = await checkRevocation(t.leader, t.subCa, { ...options, cache: new SqliteRevocationCache(cli) });
    expect(second.status).toBe('good');
    expect(network.calls()).toBe(1);
    expect(Buffer.from(second.ocspResponse!).equals(Buffer.from(first.ocspResponse!))).toBe(true);

    const key = ocspKey(readCertificate(t.leader), readCertificate(t.subCa));
    const kept = await new SqliteRevocationCache(cli).get(key, new Date());
    // The test PKI's responder answers with -ndays 1.
    expect(kept!.nextUpdate.getTime() - kept!.thisUpdate.getTime()).toBe(24 * 3600_000);
    expect(await new SqliteRevocationCache(cli).get(key, kept!.nextUpdate)).toBeUndefined();
    const past = await checkRevocation(t.leader, t.subCa, { ...options, now: new Date(kept!.nextUpdate.getTime() + 1), cache: new SqliteRevocationCache(cli) });
    expect(past.status).toBe('good');
    expect(network.calls()).toBe(2);
    app.close();
    cli.close();
  });

  it('keeps the newer of two answers and drops expired rows on the next write', async () => {
    const db = openDatabase(databaseFile());
    let clock = 10_000;
    const cache = new SqliteRevocationCache(db, () => clock);
    const key = { kind: 'ocsp' as const, issuer: 'i', subject: '01' };
    const entry = (byte: number, from: number, until: number) => ({ key, der: new Uint8Array([byte]), thisUpdate: new Date(from), nextUpdate: new Date(until) });
    await cache.put(entry(1, 10_000, 20_000));
    await cache.put(entry(2, 5_000, 15_000));
    expect((await cache.get(key, new Date(12_000)))?.der).toEqual(new Uint8Array([1]));
    await cache.put(entry(3, 11_000, 30_000));
    expect((await cache.get(key, new Date(25_000)))?.der).toEqual(new Uint8Array([3]));
    expect(await cache.get(key, new Date(30_000))).toBeUndefined();

    clock = 31_000;
    await cache.put({ key: { kind: 'crl', issuer: 'i', subject: 'http://ca/crl' }, der: new Uint8Array([4]), thisUpdate: new Date(31_000), nextUpdate: new Date(90_000) });
    expect(db.prepare<[], number>('SELECT count(*) FROM revocation_cache').pluck().get()).toBe(1);
    db.close();
  });
});
