// Opening the SQLite file: corruption and newer-version checks before anything is written, then pragmas and migrations.
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { VanthuError } from '../../shared/errors.js';
import { ensurePrivateFile, tightenIfPresent } from '../fs/private-dir.js';
import type { Db } from './db-types.js';
import { runMigrations, schemaVersion, type Migration } from './migrate.js';
import { migrations as allMigrations } from './migrations/index.js';
import { isCorruptionError } from './sqlite-errors.js';

export interface OpenDatabaseOptions {
  /** For migration tests: stop at this schema version. */
  targetVersion?: number;
  migrations?: readonly Migration[];
  /** How long a writer waits for another process's lock before STORE_BUSY. */
  busyTimeoutMs?: number;
}

export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  const migrations = options.migrations ?? allMigrations;
  const latest = migrations.at(-1)?.version ?? 0;
  const existed = existsSync(file) && statSync(file).size > 0;
  // 0600 before SQLite opens it (SQLite gives its -wal and -shm files the database's mode); outside
  // the try below, so a folder we may not write is reported as such, not as a corrupt database.
  ensurePrivateFile(file);
  let db: Db;
  try {
    db = new Database(file, { timeout: options.busyTimeoutMs ?? 10_000 });
  } catch (error) {
    throw corrupt(file, error);
  }
  try {
    // Reads only: a damaged file or one from a newer vanthu must be left exactly as it is.
    let found: number;
    try {
      found = schemaVersion(db);
      db.prepare('SELECT count(*) FROM sqlite_schema').get();
    } catch (error) {
      if (isCorruptionError(error)) throw corrupt(file, error);
      throw error;
    }
    if (found > latest) throw new VanthuError('STORE_TOO_NEW', { path: file, found, supported: latest });
    if (existed && found === 0 && !isEmptySchema(db)) {
      throw corrupt(file, new Error('a SQLite database of another application'));
    }
    requireFts5(db);
    db.pragma('journal_mode = WAL');
    tightenIfPresent(`${file}-wal`, `${file}-shm`);
    // FULL: a committed document survives a power cut, not only a crash of the app.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    runMigrations(db, migrations, options.targetVersion ?? latest);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

const isEmptySchema = (db: Db): boolean => (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n === 0;

function corrupt(file: string, error: unknown): VanthuError {
  const detail = error instanceof Error ? error.message : String(error);
  return new VanthuError('STORE_CORRUPT', { path: file, detail }, { cause: error });
}

function requireFts5(db: Db): void {
  const row = db.prepare("SELECT sqlite_compileoption_used('ENABLE_FTS5') AS fts5").get() as { fts5: number };
  if (row.fts5 !== 1) throw new VanthuError('STORE_FTS5_MISSING');
}
