// The server's PostgreSQL connections keep its parameterised statements prepared by their text (not `*` ones, not past the limit), with the same answers as unnamed statements.
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerDatabase, type ServerDatabase } from '../../../../src/server/db/connect.js';
import { preparedName, preparingStatements, worthPreparing } from '../../../../src/server/db/prepared-statements.js';
import { freshDatabaseUrl } from '../kit.js';

describe('worthPreparing', () => {
  it('prepares a statement with parameters and named columns only', () => {
    expect(worthPreparing('select "nonce" from "challenges" where "nonce" = $1', ['a'])).toBe(true);
    expect(worthPreparing('begin', [])).toBe(false);
    expect(worthPreparing('select * from "challenges" where "nonce" = $1', ['a'])).toBe(false);
    expect(worthPreparing('select "challenges".* from "challenges" where "nonce" = $1', ['a'])).toBe(false);
    expect(worthPreparing('insert into "challenges" ("nonce") values ($1) returning *', ['a'])).toBe(false);
    // A count reads no column: such a statement (the one-chunk upload, an accepted submission) stays prepared.
    expect(worthPreparing('with inserted as (insert into "blobs" ("sha256") values ($1) returning "sha256") select count(*) as created from inserted', ['a'])).toBe(true);
  });
});

describe('prepared statements on PostgreSQL', () => {
  let database: ServerDatabase;
  let url: string;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ url, drop } = await freshDatabaseUrl('postgres'));
    database = await openServerDatabase(url);
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  it('keeps the server’s statement prepared on its connection and answers as before; leaves a `*` statement unnamed', async () => {
    const now = new Date().toISOString();
    await database.db.insertInto('challenges').values({ nonce: 'prepared-1', expires_at: now, used_at: null }).execute();
    const named = database.db.selectFrom('challenges').select(['nonce', 'expires_at']).where('nonce', '=', 'prepared-1');
    const starred = database.db.selectFrom('challenges').selectAll().where('nonce', '=', 'prepared-1');
    // One transaction: one connection, whose prepared statements pg_prepared_statements lists.
    const { answers, kept } = await database.db.transaction().execute(async (trx) => {
      const answers = [await trx.executeQuery(named.compile()), await trx.executeQuery(named.compile()), await trx.executeQuery(starred.compile())].map((r) => r.rows);
      const kept = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(trx);
      return { answers, kept: kept.rows };
    });
    expect(answers).toEqual([[{ nonce: 'prepared-1', expires_at: now }], [{ nonce: 'prepared-1', expires_at: now }], [{ nonce: 'prepared-1', expires_at: now, used_at: null }]]);
    const text = named.compile().sql;
    expect(kept.filter((row) => row.statement === text).map((row) => row.name)).toEqual([preparedName(text)]);
    expect(kept.some((row) => row.statement === starred.compile().sql)).toBe(false);
  });

  it('prepares nothing when the URL says prepare=off (PgBouncer in transaction pooling)', async () => {
    const unprepared = await openServerDatabase(`${url}?prepare=off`);
    try {
      const query = unprepared.db.selectFrom('challenges').select(['nonce']).where('nonce', '=', 'prepared-off');
      const kept = await unprepared.db.transaction().execute(async (trx) => {
        await trx.executeQuery(query.compile());
        return (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(trx)).rows;
      });
      expect(kept).toEqual([]);
    } finally {
      await unprepared.close();
    }
  });

  it('prepares no more than its limit on a connection; the others still run', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      preparingStatements(client as unknown as pg.PoolClient, 2);
      const answers: unknown[] = [];
      for (const n of [1, 2, 3, 1]) answers.push((await client.query(`select $1::int + ${n} as sum`, [10])).rows[0]);
      expect(answers).toEqual([{ sum: 11 }, { sum: 12 }, { sum: 13 }, { sum: 11 }]);
      const kept = await client.query<{ statement: string }>('select statement from pg_prepared_statements order by statement');
      expect(kept.rows.map((row) => row.statement)).toEqual(['select $1::int + 1 as sum', 'select $1::int + 2 as sum']);
    } finally {
      await client.end();
    }
  });
});
