import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDocument, databaseFile, getDocument, latestVersion, open, schemaVersion } from '../../../../src/core/store/index.js';
import { isVanthuError } from '../../../../src/shared/errors.js';
import { collect, sample, spawnChild, tempDir } from './kit.js';

const hashOf = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('open', () => {
  it('creates the database in WAL mode with foreign keys on, at the latest schema, and reopens it with its data', () => {
    const dir = tempDir();
    const store = open(dir);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(10_000);
    expect(schemaVersion(store.db)).toBe(latestVersion);
    const { id } = createDocument(store.db, 'outgoing', sample());
    store.close();

    const again = open(dir);
    expect(schemaVersion(again.db)).toBe(latestVersion);
    expect(getDocument(again.db, id).subject).toBe(sample().subject);
    again.close();
  });

  it('refuses a file of random bytes with a bilingual error and leaves it untouched', () => {
    const dir = tempDir();
    const file = databaseFile(dir);
    writeFileSync(file, randomBytes(64 * 1024));
    const before = hashOf(file);
    const error = (() => {
      try {
        open(dir);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(isVanthuError(error, 'STORE_CORRUPT')).toBe(true);
    if (!isVanthuError(error)) throw new Error('expected a VanthuError');
    expect(error.messageVi).toContain('bị hỏng');
    expect(error.messageEn).toContain('left untouched');
    expect(error.messageEn).toContain(file);
    expect(hashOf(file)).toBe(before);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a database from a newer vanthu and does not change a byte of it', () => {
    const dir = tempDir();
    open(dir).close();
    const file = databaseFile(dir);
    const raw = new Database(file);
    raw.pragma(`user_version = ${latestVersion + 5}`);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const before = hashOf(file);
    expect(() => open(dir)).toThrow(expect.objectContaining({ code: 'STORE_TOO_NEW', params: expect.objectContaining({ found: latestVersion + 5, supported: latestVersion }) }));
    expect(hashOf(file)).toBe(before);
  });

  it('refuses another application\'s SQLite database rather than adding tables to it', () => {
    const dir = tempDir();
    const file = databaseFile(dir);
    const other = new Database(file);
    other.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)');
    other.close();
    const before = hashOf(file);
    expect(() => open(dir)).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
    expect(hashOf(file)).toBe(before);
  });

  it('maps a damaged page found at open to STORE_CORRUPT', () => {
    const dir = tempDir();
    const store = open(dir);
    for (let i = 0; i < 50; i++) createDocument(store.db, 'outgoing', sample({ subject: `Văn bản ${i} ${'x'.repeat(400)}` }));
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    const file = databaseFile(dir);
    const bytes = readFileSync(file);
    // Overwrite page 1's schema area: SQLite reads sqlite_schema at open and finds it malformed.
    randomBytes(3000).copy(bytes, 100);
    writeFileSync(file, bytes);
    const before = hashOf(file);
    expect(() => open(path.dirname(file))).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
    expect(hashOf(file)).toBe(before);
  });

  it('lets several processes open a new data folder at once: one migrates, all work', async () => {
    const dir = tempDir();
    const results = await Promise.all(Array.from({ length: 4 }, () => collect(spawnChild('issue-numbers', [dir, '3', 'H14']))));
    for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });
    const store = open(dir);
    expect(schemaVersion(store.db)).toBe(latestVersion);
    expect(store.db.prepare<unknown[], number>('SELECT count(*) FROM documents').pluck().get()).toBe(12);
    store.close();
  }, 60_000);
});
