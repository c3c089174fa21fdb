// Schema migrations: the list in order, and running the pending ones under `PRAGMA user_version`.
import type { Db } from './db-types.js';

export interface Migration {
  /** The user_version the database has after this migration. */
  version: number;
  name: string;
  up(db: Db): void;
}

export const schemaVersion = (db: Db): number => db.pragma('user_version', { simple: true }) as number;

/**
 * Runs every migration above the current version, each in its own BEGIN IMMEDIATE transaction that
 * re-reads the version first, so two processes opening the same new file do not both migrate.
 */
export function runMigrations(db: Db, migrations: readonly Migration[], target = migrations.at(-1)?.version ?? 0): number[] {
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version > target) break;
    const ran = db
      .transaction(() => {
        if (schemaVersion(db) >= migration.version) return false;
        migration.up(db);
        // PRAGMA takes no bound parameters; the version is an integer from our own list.
        db.pragma(`user_version = ${Math.trunc(migration.version)}`);
        return true;
      })
      .immediate();
    if (ran) applied.push(migration.version);
  }
  return applied;
}
