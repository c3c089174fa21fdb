// The server's SQLite statement cache: a statement is prepared once per SQL text, a busy one is never handed out twice, and the cache stays bounded.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachingStatements } from '../../../../src/server/db/statement-cache.js';

describe('cachingStatements', () => {
  let sqlite: Database.Database;
  beforeEach(() => {
    sqlite = new Database(':memory:');
    sqlite.exec('create table t (x integer)');
    sqlite.exec('insert into t values (1), (2), (3)');
  });
  afterEach(() => {
    if (sqlite.open) sqlite.close();
  });

  it('prepares a text once and gives the same statement again', () => {
    const db = cachingStatements(sqlite);
    const first = db.prepare('select x from t order by x');
    expect(db.prepare('select x from t order by x')).toBe(first);
    expect(first.all([])).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }]);
    expect(db.prepare('select x from t where x = ?').all([2])).toEqual([{ x: 2 }]);
    expect(db.cached).toBe(2);
  });

  it('gives a fresh statement while the kept one is still iterating', () => {
    const db = cachingStatements(sqlite);
    const streaming = db.prepare('select x from t order by x');
    const rows = streaming.iterate([]);
    expect(rows.next().value).toEqual({ x: 1 });
    const meanwhile = db.prepare('select x from t order by x');
    expect(meanwhile).not.toBe(streaming);
    expect(meanwhile.all([])).toHaveLength(3);
    expect([...rows]).toEqual([{ x: 2 }, { x: 3 }]);
    // Done iterating: the kept one is handed out again.
    expect(db.prepare('select x from t order by x')).toBe(streaming);
  });

  it('keeps at most its size, dropping the least recently used', () => {
    const db = cachingStatements(sqlite, 2);
    const a = db.prepare('select 1');
    db.prepare('select 2');
    expect(db.prepare('select 1')).toBe(a);
    db.prepare('select 3');
    expect(db.cached).toBe(2);
    expect(db.prepare('select 1')).toBe(a);
    // 'select 2' was the oldest: prepared anew.
    const two = db.prepare('select 2');
    expect(two.all([])).toEqual([{ 2: 2 }]);
  });

  it('sees a table changed after the statement was kept', () => {
    const db = cachingStatements(sqlite);
    expect(db.prepare('select * from t where x = 1').all([])).toEqual([{ x: 1 }]);
    sqlite.exec('alter table t add column y text default \'z\'');
    expect(db.prepare('select * from t where x = 1').all([])).toEqual([{ x: 1, y: 'z' }]);
  });
});
