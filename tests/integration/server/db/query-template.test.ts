// Query templates: built once per database and shape, answering as the query built anew would, on SQLite and PostgreSQL; a value used for anything but a parameter is refused at the first build.
import { CamelCasePlugin, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerDatabase, type ServerDatabase } from '../../../../src/server/db/connect.js';
import { queryTemplate, SHAPES_PER_TEMPLATE } from '../../../../src/server/db/query-template.js';
import { DIALECTS, freshDatabaseUrl } from '../kit.js';

const AGENCIES = [
  { organ_id: '000.00.00.H14', name: 'UBND tỉnh Cao Bằng', parent: null, created_at: '2026-12-01T00:00:00.000Z' },
  { organ_id: '000.00.01.H14', name: 'Sở Nội vụ tỉnh Cao Bằng', parent: '000.00.00.H14', created_at: '2026-12-02T00:00:00.000Z' },
  { organ_id: '000.00.02.H14', name: 'Sở Tài chính tỉnh Cao Bằng', parent: '000.00.00.H14', created_at: '2026-12-03T00:00:00.000Z' },
];

describe.each(DIALECTS)('query templates on %s', (dialect) => {
  let database: ServerDatabase;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshDatabaseUrl(dialect);
    drop = fresh.drop;
    database = await openServerDatabase(fresh.url);
    await database.db.insertInto('agencies').values(AGENCIES).execute();
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  it('builds once and answers each call with its own values, inside a transaction too', async () => {
    let builds = 0;
    const byId = queryTemplate((db, { organId }: { organId: string }) => {
      builds += 1;
      return db.selectFrom('agencies').select(['organ_id', 'name']).where('organ_id', '=', organId);
    });
    expect(await byId.first(database.db, { organId: '000.00.01.H14' })).toEqual({ organ_id: '000.00.01.H14', name: 'Sở Nội vụ tỉnh Cao Bằng' });
    expect(await byId.first(database.db, { organId: '000.00.02.H14' })).toEqual({ organ_id: '000.00.02.H14', name: 'Sở Tài chính tỉnh Cao Bằng' });
    expect(await byId.first(database.db, { organId: 'không có' })).toBeUndefined();
    const inTransaction = await database.db.transaction().execute((trx) => byId.rows(trx, { organId: '000.00.00.H14' }));
    expect(inTransaction).toEqual([{ organ_id: '000.00.00.H14', name: 'UBND tỉnh Cao Bằng' }]);
    expect(builds).toBe(1);
  });

  it('keeps one query per shape: a boolean and an array’s length decide it, the array’s values are parameters', async () => {
    const shapes: string[] = [];
    const listed = queryTemplate((db, { ids, childrenOnly, after }: { ids: string[]; childrenOnly: boolean; after: string }) => {
      shapes.push(`${ids.length}/${childrenOnly}`);
      let query = db.selectFrom('agencies').select('organ_id').where('organ_id', 'in', ids).where('created_at', '>', after).orderBy('organ_id');
      if (childrenOnly) query = query.where('parent', 'is not', null);
      return query;
    });
    const ids = AGENCIES.map((a) => a.organ_id);
    const organs = async (args: { ids: string[]; childrenOnly: boolean; after: string }): Promise<string[]> => (await listed.rows(database.db, args)).map((r) => r.organ_id);
    expect(await organs({ ids, childrenOnly: false, after: '2026-01-01' })).toEqual(ids);
    expect(await organs({ ids, childrenOnly: true, after: '2026-01-01' })).toEqual(ids.slice(1));
    expect(await organs({ ids: [ids[2]!, ids[0]!], childrenOnly: false, after: '2026-01-01' })).toEqual([ids[0], ids[2]]);
    expect(await organs({ ids: [ids[1]!, ids[2]!], childrenOnly: false, after: '2026-12-02T12:00:00.000Z' })).toEqual([ids[2]]);
    expect(await organs({ ids: [ids[1]!], childrenOnly: true, after: '2026-01-01' })).toEqual([ids[1]]);
    expect(await organs({ ids: [ids[0]!], childrenOnly: true, after: '2026-01-01' })).toEqual([]);
    expect(shapes).toEqual(['3/false', '3/true', '2/false', '1/true']);
  });

  it('reports the rows a write changed, and numbers bind as numbers', async () => {
    const rename = queryTemplate((db, { organId, name }: { organId: string; name: string }) => db.updateTable('agencies').set({ name }).where('organ_id', '=', organId));
    const result = await rename.run(database.db, { organId: '000.00.02.H14', name: 'Sở Tài chính' });
    expect(result.numAffectedRows).toBe(1n);
    expect((await rename.run(database.db, { organId: 'không có', name: 'x' })).numAffectedRows).toBe(0n);
    const named = await database.db.selectFrom('agencies').select('name').where('organ_id', '=', '000.00.02.H14').executeTakeFirstOrThrow();
    expect(named.name).toBe('Sở Tài chính');
    const limited = queryTemplate((db, { most }: { most: number }) => db.selectFrom('agencies').select('organ_id').orderBy('organ_id').limit(most));
    expect((await limited.rows(database.db, { most: 2 })).length).toBe(2);
    expect((await limited.rows(database.db, { most: 1 })).length).toBe(1);
  });

  it('keeps at most SHAPES_PER_TEMPLATE shapes, the least recently used going first', async () => {
    const built: number[] = [];
    const among = queryTemplate((db, { ids }: { ids: string[] }) => {
      built.push(ids.length);
      return db.selectFrom('agencies').select('organ_id').where('organ_id', 'in', ids).orderBy('organ_id');
    });
    const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => AGENCIES[i % AGENCIES.length]!.organ_id);
    for (let n = 1; n <= SHAPES_PER_TEMPLATE; n++) expect((await among.rows(database.db, { ids: ids(n) })).length).toBe(Math.min(n, AGENCIES.length));
    await among.rows(database.db, { ids: ids(1) }); // used again: now the most recent
    await among.rows(database.db, { ids: ids(SHAPES_PER_TEMPLATE + 1) }); // one too many: length 2, the oldest, goes
    await among.rows(database.db, { ids: ids(1) });
    await among.rows(database.db, { ids: ids(2) });
    expect(built).toEqual([...Array.from({ length: SHAPES_PER_TEMPLATE }, (_, i) => i + 1), SHAPES_PER_TEMPLATE + 1, 2]);
  });

  it('refuses a database with a plugin, which would rewrite what it never saw', async () => {
    const byId = queryTemplate((db, { organId }: { organId: string }) => db.selectFrom('agencies').select('name').where('organ_id', '=', organId));
    expect(await byId.first(database.db, { organId: '000.00.00.H14' })).toEqual({ name: 'UBND tỉnh Cao Bằng' });
    await expect(byId.first(database.db.withPlugin(new CamelCasePlugin()), { organId: '000.00.00.H14' })).rejects.toThrow(/plugins/);
  });

  it('refuses a value used for anything but a parameter, at the first build', async () => {
    const hashed = queryTemplate((db, { organId }: { organId: string }) => db.selectFrom('agencies').select('name').where('organ_id', '=', organId.toUpperCase()));
    await expect(hashed.first(database.db, { organId: '000.00.01.h14' })).rejects.toThrow(/changed before it reached the query/);
    const inText = queryTemplate((db, { column }: { column: string }) => db.selectFrom('agencies').select(sql.ref<string>(column).as('x')));
    await expect(inText.first(database.db, { column: 'name' })).rejects.toThrow(/reached the query’s text/);
    const decided = queryTemplate((db, { organId }: { organId: string }) => db.selectFrom('agencies').select('name').where('organ_id', '=', organId === '' ? '000.00.00.H14' : '000.00.01.H14'));
    await expect(decided.first(database.db, { organId: '' })).rejects.toThrow(/organId never reached the query as a value/);
  });
});

describe('one template on two databases', () => {
  it('compiles for each database in its own dialect', async () => {
    const opened = await Promise.all(DIALECTS.map(async (dialect) => {
      const fresh = await freshDatabaseUrl(dialect);
      const database = await openServerDatabase(fresh.url);
      await database.db.insertInto('agencies').values(AGENCIES.slice(0, 1)).execute();
      return { database, drop: fresh.drop };
    }));
    try {
      const texts: string[] = [];
      const byId = queryTemplate((db, { organId }: { organId: string }) => {
        const query = db.selectFrom('agencies').select('name').where('organ_id', '=', organId);
        texts.push(query.compile().sql);
        return query;
      });
      for (const { database } of opened) expect(await byId.first(database.db, { organId: '000.00.00.H14' })).toEqual({ name: 'UBND tỉnh Cao Bằng' });
      expect(texts).toEqual(['select "name" from "agencies" where "organ_id" = ?', 'select "name" from "agencies" where "organ_id" = $1']);
    } finally {
      for (const { database, drop } of opened) {
        await database.close();
        await drop();
      }
    }
  });
});
