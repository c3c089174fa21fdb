// Prepared statements cached per database handle: preparing costs more than running a small query.
import type Database from 'better-sqlite3';
import type { Db } from './db-types.js';

const caches = new WeakMap<Db, Map<string, Database.Statement<unknown[], unknown>>>();

/**
 * The statement for `sql` on `db`, prepared once. Callers must use one SQL text one way (always
 * plucked or never): pluck() changes the cached statement for every later caller.
 */
export function prepared<Row = unknown>(db: Db, sql: string): Database.Statement<unknown[], Row> {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }
  let statement = cache.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    cache.set(sql, statement);
  }
  return statement as Database.Statement<unknown[], Row>;
}
