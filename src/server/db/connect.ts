// Opens the server database from a URL (sqlite:PATH or postgres://…) and brings its schema up to date.
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { ensurePrivateDir, ensurePrivateFile, mkdirPrivate, tightenIfPresent } from '../../core/fs/private-dir.js';
import { VanthuError } from '../../shared/errors.js';
import { serverMigrations } from './migrations/index.js';
import { committedDurably, writeAheadLogBarrier, type CommitBarrier } from './commit-barrier.js';
import { preparingStatements } from './prepared-statements.js';
import { cachingStatements } from './statement-cache.js';
import type { SqlDialectName } from './dialect.js';
import type { ServerSchema } from './schema.js';

export type { SqlDialectName } from './dialect.js';

/** Connections per server process to PostgreSQL (its default max_connections of 100 leaves room for four processes and the tools). */
export const PG_POOL_SIZE = 20;

/** The folder of the default database, sqlite:vanthu-server/exchange.db. */
export const DEFAULT_SQLITE_FOLDER = 'vanthu-server';

export interface ServerDatabase {
  db: Kysely<ServerSchema>;
  dialect: SqlDialectName;
  /** Where the database lives, for messages (never includes a password). */
  label: string;
  close(): Promise<void>;
  /**
   * Resolves once every commit made so far is on disk. On SQLite a commit does not wait for the disk: whatever tells
   * the outside world of a commit (every HTTP answer, an acknowledgement to the national axis) waits for this first.
   */
  durable(): Promise<void>;
  /** PostgreSQL only: LISTEN on a channel over a dedicated connection; returns how to stop. */
  listen?: (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;
}

export function parseDatabaseUrl(url: string): { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string; prepare: boolean } {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) throw new VanthuError('SERVER_DATABASE_URL_INVALID', { url });
    return { dialect: 'sqlite', path: file };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    // ?prepare=off: no named prepared statements (PgBouncer in transaction pooling before 1.21 cannot keep them).
    const prepare = /[?&]prepare=off(?=&|$)/.test(url);
    const rest = url.replace(/([?&])prepare=(on|off)(&|$)/, (_m, before: string, _v, after: string) => (after === '&' ? before : '')).replace(/\?$/, '');
    return { dialect: 'postgres', url: rest, prepare: !prepare };
  }
  throw new VanthuError('SERVER_DATABASE_URL_INVALID', { url: url.replace(/:[^:@/]*@/, ':***@') });
}

/**
 * The folder of a SQLite database made 0700 when this creates it. An existing one is tightened only
 * when it is the default folder vanthu made (older versions left it 0755): another folder the
 * administrator named (/srv, /tmp, a home) may be shared on purpose, and the files in it are 0600 anyway.
 */
function privateDatabaseFolder(dir: string): void {
  if (path.basename(dir) === DEFAULT_SQLITE_FOLDER) ensurePrivateDir(dir);
  else mkdirPrivate(dir);
}

/** Connects; `migrate` (default true) applies pending migrations, safely from several processes at once. */
export async function openServerDatabase(url: string, options: { migrate?: boolean } = {}): Promise<ServerDatabase> {
  const parsed = parseDatabaseUrl(url);
  let db: Kysely<ServerSchema>;
  let label: string;
  let barrier: CommitBarrier = committedDurably;
  if (parsed.dialect === 'sqlite') {
    const file = path.resolve(parsed.path);
    privateDatabaseFolder(path.dirname(file));
    // 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database's mode.
    ensurePrivateFile(file);
    const sqlite = new Database(parsed.path);
    sqlite.pragma('journal_mode = WAL');
    tightenIfPresent(`${file}-wal`, `${file}-shm`);
    sqlite.pragma('foreign_keys = ON');
    // Another process (the admin CLI) may hold the write lock for a moment.
    sqlite.pragma('busy_timeout = 5000');
    // Accepted submissions must survive a power cut, not only a crash: not by an fsync in each commit (FULL), which
    // blocks the event loop, but by one fsync of the log before anyone is told (commit-barrier.ts). NORMAL in WAL mode
    // still syncs the log before each checkpoint and the database after it, and closing checkpoints.
    sqlite.pragma('synchronous = NORMAL');
    const sqliteBarrier = writeAheadLogBarrier(file);
    barrier = sqliteBarrier;
    db = new Kysely<ServerSchema>({ dialect: new SqliteDialect({ database: cachingStatements(sqlite, undefined, sqliteBarrier.wrote) }) });
    label = `sqlite:${parsed.path}`;
  } else {
    // A submission's transaction keeps its connection while it queues for the audit head's lock: with 10, fifty
    // clients' transactions took most of them and every other query (logins, replays, revocation cache) waited for one.
    const pool = new pg.Pool({ connectionString: parsed.url, max: PG_POOL_SIZE });
    // An idle pooled connection closed by PostgreSQL (restart, failover, an administrator) emits 'error';
    // unheard, it would crash the server. The pool has already dropped that client and the next
    // query opens a new one, so there is nothing else to do.
    pool.on('error', () => undefined);
    if (parsed.prepare) pool.on('connect', (client) => preparingStatements(client));
    db = new Kysely<ServerSchema>({ dialect: new PostgresDialect({ pool }) });
    const u = new URL(parsed.url);
    label = `postgres://${u.host}${u.pathname}`;
  }
  const database: ServerDatabase = {
    db,
    dialect: parsed.dialect,
    label,
    durable: barrier.durable,
    // A command-line tool's last commits (an agency added) are on disk before it says so, even while a running server
    // keeps the log open (closing checkpoints only when the last connection goes).
    close: async () => {
      await barrier.durable();
      await db.destroy();
    },
  };
  if (parsed.dialect === 'postgres') {
    database.listen = async (channel, onPayload) => {
      const client = new pg.Client({ connectionString: parsed.url });
      await client.connect();
      client.on('notification', (message) => onPayload(message.payload ?? ''));
      // A dropped listener connection only costs pokes: clients still poll their inbox.
      client.on('error', () => undefined);
      await client.query(`LISTEN ${channel}`);
      return async () => {
        await client.end().catch(() => undefined);
      };
    };
  }
  if (options.migrate ?? true) {
    try {
      await migrateServerDatabase(database);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

export async function migrateServerDatabase(database: ServerDatabase): Promise<void> {
  const migrator = new Migrator({ db: database.db, provider: serverMigrations(database.dialect), migrationTableName: 'server_migrations', migrationLockTableName: 'server_migrations_lock' });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/** A unique or primary-key violation, in either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
