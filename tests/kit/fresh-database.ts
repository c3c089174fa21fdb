// A server database nobody else uses, for tests and benches: a SQLite file in a fresh folder, or a PostgreSQL database of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export type DatabaseDialect = 'sqlite' | 'postgres';

/** The dialects a comma-separated setting names (a bench's BENCH_…_DIALECTS), refusing any other word. */
export function dialectsFrom(setting: string, what: string): DatabaseDialect[] {
  return setting.split(',').map((dialect) => {
    if (dialect !== 'sqlite' && dialect !== 'postgres') throw new Error(`${what}: unknown dialect ${dialect} (sqlite, postgres)`);
    return dialect;
  });
}

const PG_ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';
let counter = 0;

/**
 * A database nobody else uses; `drop` removes it (the PostgreSQL one WITH (FORCE), the SQLite folder).
 * `adminUrl`: the PostgreSQL server to make it on (its database part is replaced); `under`: the folder for SQLite's.
 */
export async function freshDatabaseUrl(dialect: DatabaseDialect, options: { adminUrl?: string; under?: string } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(options.under ?? tmpdir(), 'vanthu-server-'));
    return { url: `sqlite:${path.join(dir, 'exchange.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const adminUrl = options.adminUrl ?? PG_ADMIN;
  const name = `vanthu_test_${process.pid}_${Date.now() % 100000}_${counter++}`;
  const admin = async (statement: string): Promise<void> => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  return { url: adminUrl.replace(/\/[^/]*$/, `/${name}`), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
