// withoutFsync and flushCommits: commits at synchronous = NORMAL for the while, the level put back (after a failure too), and the write-ahead log synced on demand.
import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDocument, flushCommits, getDocument, open, openDatabase, withoutFsync } from '../../../../src/core/store/index.js';
import { sample, tempDir } from './kit.js';

const NORMAL = 1;
const FULL = 2;
const level = (db: { pragma: (s: string, o: { simple: true }) => unknown }): unknown => db.pragma('synchronous', { simple: true });

describe('withoutFsync', () => {
  it('commits at NORMAL and puts the store back to FULL', () => {
    const store = open(tempDir(), { integrity: 'skip' });
    expect(level(store.db)).toBe(FULL);
    let inside: unknown;
    const { id } = withoutFsync(store.db, () =>
      store.db.transaction(() => {
        inside = level(store.db);
        return createDocument(store.db, 'incoming', sample());
      }).immediate(),
    );
    expect(inside).toBe(NORMAL);
    expect(level(store.db)).toBe(FULL);
    expect(getDocument(store.db, id).subject).toBe(sample().subject);
    store.close();
  });

  it('puts the level back when the commit fails, and the failed transaction leaves nothing', () => {
    const store = open(tempDir(), { integrity: 'skip' });
    expect(() =>
      withoutFsync(store.db, () =>
        store.db.transaction(() => {
          createDocument(store.db, 'incoming', sample());
          throw new Error('the body failed');
        }).immediate(),
      ),
    ).toThrow('the body failed');
    expect(level(store.db)).toBe(FULL);
    expect(store.db.prepare('SELECT count(*) FROM documents').pluck().get()).toBe(0);
    store.close();
  });

  it('leaves a database already below FULL as it is', () => {
    const db = openDatabase(':memory:');
    db.pragma('synchronous = OFF');
    expect(withoutFsync(db, () => level(db))).toBe(0);
    expect(level(db)).toBe(0);
    db.close();
  });
});

describe('flushCommits', () => {
  it('syncs the write-ahead log holding commits made without an fsync, and the data is there for another connection', async () => {
    const dir = tempDir();
    const store = open(dir, { integrity: 'skip' });
    const { id } = withoutFsync(store.db, () => store.db.transaction(() => createDocument(store.db, 'incoming', sample())).immediate());
    const wal = `${store.db.name}-wal`;
    expect(statSync(wal).size).toBeGreaterThan(0);
    await flushCommits(store.db);
    const other = open(dir, { integrity: 'skip' });
    expect(getDocument(other.db, id).subject).toBe(sample().subject);
    other.close();
    store.close();
  });

  it('has nothing to do for an in-memory database or a log emptied by a checkpoint', async () => {
    const memory = openDatabase(':memory:');
    await expect(flushCommits(memory)).resolves.toBeUndefined();
    memory.close();
    const store = open(tempDir(), { integrity: 'skip' });
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(existsSync(`${store.db.name}-wal`) ? statSync(`${store.db.name}-wal`).size : 0).toBe(0);
    await expect(flushCommits(store.db)).resolves.toBeUndefined();
    store.close();
  });
});
