// The server's SQLite commits skip their own fsync and are made durable in groups: writes are counted, one log sync serves every waiter that came before it, and no answer leaves before its commits are on disk.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeAheadLogBarrier } from '../../../../src/server/db/commit-barrier.js';
import { openServerDatabase } from '../../../../src/server/db/connect.js';
import { cachingStatements } from '../../../../src/server/db/statement-cache.js';
import { bearer, envelope, login, startTestServer, submit, upload, useSealedSetup, type TestServer } from '../kit.js';

/** A sync the test finishes by hand, to see who waits for which. */
function heldSyncs(): { sync: () => Promise<void>; started: number; finish: (error?: Error) => void } {
  const pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
  const state = {
    started: 0,
    sync: () =>
      new Promise<void>((resolve, reject) => {
        state.started += 1;
        pending.push({ resolve, reject });
      }),
    finish: (error?: Error) => {
      const next = pending.shift()!;
      if (error) next.reject(error);
      else next.resolve();
    },
  };
  return state;
}

/** Resolves once the microtasks and timers queued so far have run. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

describe('writeAheadLogBarrier', () => {
  it('syncs nothing when nothing was written', async () => {
    const syncs = heldSyncs();
    const barrier = writeAheadLogBarrier('/nowhere/exchange.db', syncs.sync);
    await barrier.durable();
    expect(syncs.started).toBe(0);
  });

  it('gives every waiter that came before a sync started that sync, and one later sync to all who came during it', async () => {
    const syncs = heldSyncs();
    const barrier = writeAheadLogBarrier('/nowhere/exchange.db', syncs.sync);
    const done: string[] = [];
    barrier.wrote();
    const first = barrier.durable().then(() => done.push('first'));
    const alongside = barrier.durable().then(() => done.push('alongside'));
    await settle();
    expect(syncs.started).toBe(1);
    // Written while the first sync runs: that sync may not cover it.
    barrier.wrote();
    const later = barrier.durable().then(() => done.push('later'));
    const laterStill = barrier.durable().then(() => done.push('later still'));
    syncs.finish();
    await Promise.all([first, alongside]);
    await settle();
    expect(done).toEqual(['first', 'alongside']);
    expect(syncs.started).toBe(2);
    syncs.finish();
    await Promise.all([later, laterStill]);
    expect(done).toEqual(['first', 'alongside', 'later', 'later still']);
    expect(syncs.started).toBe(2);
    // Covered already: no third sync.
    await barrier.durable();
    expect(syncs.started).toBe(2);
  });

  it('fails the waiters of a sync the disk refused, and tries again for the next', async () => {
    const syncs = heldSyncs();
    const barrier = writeAheadLogBarrier('/nowhere/exchange.db', syncs.sync);
    barrier.wrote();
    const refused = barrier.durable();
    await settle();
    syncs.finish(new Error('EIO: i/o error, fsync'));
    await expect(refused).rejects.toThrow('EIO');
    const again = barrier.durable();
    await settle();
    expect(syncs.started).toBe(2);
    syncs.finish();
    await expect(again).resolves.toBeUndefined();
  });
});

describe('the server database on SQLite', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vanthu-barrier-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts every statement that may write (a RETURNING one too) and every commit, and none that only reads', async () => {
    const sqlite = new Database(path.join(dir, 'count.db'));
    let writes = 0;
    const db = new Kysely<{ t: { id: number; v: string } }>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite, undefined, () => (writes += 1)) }) });
    try {
      await sql`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)`.execute(db);
      writes = 0;
      await db.selectFrom('t').selectAll().execute();
      await db.selectFrom('t').selectAll().execute();
      expect(writes).toBe(0);
      await db.insertInto('t').values({ id: 1, v: 'a' }).execute();
      expect(writes).toBe(1);
      // The update and the commit (SQLite calls COMMIT read-only); the same text again is counted again.
      await db.transaction().execute((trx) => trx.updateTable('t').set({ v: 'b' }).where('id', '=', 1).returning('v').execute());
      expect(writes).toBe(3);
      await db.insertInto('t').values({ id: 2, v: 'a' }).execute();
      expect(writes).toBe(4);
    } finally {
      await db.destroy();
    }
  });

  it('commits without an fsync of their own (synchronous = NORMAL) and syncs the log when asked', async () => {
    const database = await openServerDatabase(`sqlite:${path.join(dir, 'exchange.db')}`);
    try {
      const level = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(database.db);
      expect(level.rows[0]!.synchronous).toBe(1);
      await database.db.insertInto('challenges').values({ nonce: 'barrier-nonce', expires_at: new Date(0).toISOString(), used_at: null }).execute();
      await expect(database.durable()).resolves.toBeUndefined();
    } finally {
      await database.close();
    }
  });
});

describe('answers and the barrier', () => {
  const setup = useSealedSetup();
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('leaves a submission unanswered until the commit that accepted it is on disk, while an inbox read answers at once', async () => {
    server = await startTestServer(setup.pki, setup.keys, 'sqlite');
    const token = await login(server.app, setup.keys.agency);
    const recipient = await login(server.app, setup.keys.spare);
    const file = await upload(server.app, token, setup.sealed);
    const id = randomUUID();
    // The real barrier, held open by the test: what is committed when the answer asks for it, and when the answer leaves.
    const { database } = server;
    const real = database.durable;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const seenAtBarrier: boolean[] = [];
    database.durable = async () => {
      seenAtBarrier.push((await database.db.selectFrom('messages').select('id').where('id', '=', id).executeTakeFirst()) !== undefined);
      await gate;
      await real();
    };
    let answered = false;
    const answer = submit(server.app, token, envelope([{ sha256: file }]), id).then((response) => {
      answered = true;
      return response;
    });
    await expect.poll(() => seenAtBarrier.includes(true), { timeout: 10_000 }).toBe(true);
    // Redelivered until acked, and sent again under the same id by a sender without a receipt: safe to hand out now.
    const inbox = await server.app.inject({ method: 'GET', url: '/v1/inbox', headers: bearer(recipient) });
    expect(inbox.statusCode).toBe(200);
    expect((inbox.json() as { items: { messageId: string }[] }).items.map((item) => item.messageId)).toEqual([id]);
    expect(answered).toBe(false);
    open();
    expect((await answer).statusCode).toBe(201);
    database.durable = real;
  });
});
