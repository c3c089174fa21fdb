// Migration 8 (revocation cache): added to a version-7 database; one row per key, nextUpdate after thisUpdate, known kinds only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../../../src/core/store/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('migration 0008-revocation-cache', () => {
  it('adds the kept OCSP answers and CRLs to a version-7 database', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-revcache-'));
    dirs.push(dir);
    const file = path.join(dir, 'v.db');
    const v7 = openDatabase(file, { targetVersion: 7 });
    v7.prepare("INSERT INTO documents (id, direction, state, subject, created_at, updated_at) VALUES (1, 'incoming', 'registered', 'Công văn đến', 0, 0)").run();
    v7.close();

    const db = openDatabase(file, { targetVersion: 8 });
    expect(schemaVersion(db)).toBe(8);
    // What was there stays.
    expect(db.prepare<[], string>('SELECT subject FROM documents WHERE id = 1').pluck().get()).toBe('Công văn đến');
    const put = db.prepare('INSERT INTO revocation_cache (kind, issuer, subject, der, this_update, next_update, stored_at) VALUES (?, ?, ?, ?, ?, ?, 0)');
    const der = Buffer.from([0x30, 0x03, 0x0a, 0x01, 0x00]);
    expect(() => put.run('ocsp', 'issuer', '1a', der, 1000, 2000)).not.toThrow();
    expect(() => put.run('crl', 'issuer', 'http://ca/crl', der, 1000, 2000)).not.toThrow();
    expect(() => put.run('ocsp', 'issuer', '1a', der, 1000, 3000)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => put.run('tsa', 'issuer', '1b', der, 1000, 2000)).toThrow(/CHECK constraint/);
    // An answer that is over before it starts is never kept.
    expect(() => put.run('ocsp', 'issuer', '1c', der, 2000, 2000)).toThrow(/CHECK constraint/);
    expect(() => put.run('ocsp', 'issuer', '1d', 'not bytes', 1000, 2000)).toThrow(/cannot store TEXT value in BLOB column/);
    db.close();
  });
});
