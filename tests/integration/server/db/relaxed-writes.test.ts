// Relaxed writes on the server's SQLite: NORMAL only around the given work, on the connection it holds; FULL again after, even when the work fails.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerDatabase, type ServerDatabase } from '../../../../src/server/db/connect.js';
import { relaxedWrites } from '../../../../src/server/db/relaxed.js';

const FULL = 2;
const NORMAL = 1;

describe('relaxedWrites (SQLite)', () => {
  let dir: string;
  let database: ServerDatabase;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'vanthu-relaxed-'));
    database = await openServerDatabase(`sqlite:${path.join(dir, 'exchange.db')}`);
  });
  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const level = async (db = database.db): Promise<number> => Number((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db)).rows[0]!.synchronous);

  it('runs the work at NORMAL and puts FULL back after', async () => {
    expect(await level()).toBe(FULL);
    const inside = await relaxedWrites(database)((db) => level(db));
    expect(inside).toBe(NORMAL);
    expect(await level()).toBe(FULL);
  });

  it('puts FULL back when the work fails, and a transaction inside commits', async () => {
    await expect(relaxedWrites(database)(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await level()).toBe(FULL);
    const now = new Date().toISOString();
    await relaxedWrites(database)((db) => db.transaction().execute((trx) => trx.insertInto('challenges').values({ nonce: 'relaxed-nonce', expires_at: now, used_at: null }).execute()));
    expect(await database.db.selectFrom('challenges').select('nonce').where('nonce', '=', 'relaxed-nonce').executeTakeFirst()).toEqual({ nonce: 'relaxed-nonce' });
  });

  it('a query issued meanwhile waits for the work and runs at FULL', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const work = relaxedWrites(database)(async (db) => {
      await gate;
      return level(db);
    });
    const meanwhile = level();
    release();
    expect(await work).toBe(NORMAL);
    expect(await meanwhile).toBe(FULL);
  });
});
