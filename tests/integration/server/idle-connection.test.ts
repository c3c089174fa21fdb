import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openServerDatabase } from '../../../src/server/index.js';

// An idle pooled connection killed by PostgreSQL must not crash the server process; the next query reconnects.
describe('PostgreSQL pool', () => {
  it('survives its idle connections being terminated', async () => {
    const name = `vanthu_test_${process.pid}_idle`;
    const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => void uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    const database = await openServerDatabase(`postgres://postgres@127.0.0.1:5432/${name}`);
    try {
      await database.db.selectNoFrom((eb) => eb.val(1).as('one')).execute();
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(uncaught).toEqual([]);
      const [row] = await database.db.selectNoFrom((eb) => eb.val(2).as('two')).execute();
      expect(Number(row?.two)).toBe(2);
    } finally {
      process.off('uncaughtException', onUncaught);
      await database.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
