// Commits that skip their own fsync (synchronous = NORMAL for the while), and the barrier that makes every such commit durable at once.
import { open as openFile } from 'node:fs/promises';
import type { Statement } from 'better-sqlite3';
import type { Db } from './db-types.js';

/**
 * Runs `commit` (one transaction, not inside another: SQLite refuses the pragma there) without an fsync of its
 * own. The store runs synchronous = FULL, and an fsync per commit blocks the event loop for a few ms each, more
 * while other files are being written. In WAL mode such a commit is still whole and in order: a crash of the app
 * loses nothing, a power cut can only roll back the last few of them, never tear one. Use it where that
 * rollback is harmless (the work is redone and its effect outside is idempotent) or is followed by
 * `flushCommits` before anything outside depends on it. The next FULL commit makes it durable too.
 */
export function withoutFsync<T>(db: Db, commit: () => T): T {
  const level = synchronousLevel(db);
  if (level < 2) return commit();
  // exec, not db.pragma(), which prepares a statement object on every call: the outbox and the inbox come here
  // several times per document. (A setting pragma cannot be kept prepared: SQLite applies it when preparing it.)
  db.exec('PRAGMA synchronous = NORMAL');
  try {
    return commit();
  } finally {
    db.exec(`PRAGMA synchronous = ${level}`);
  }
}

const levelReaders = new WeakMap<Db, Statement>();
function synchronousLevel(db: Db): number {
  let reader = levelReaders.get(db);
  if (!reader) levelReaders.set(db, (reader = db.prepare('PRAGMA synchronous').pluck()));
  return reader.get() as number;
}

/**
 * Makes every commit so far durable: one fsync of the write-ahead log, where the commits made without an
 * fsync lie until a checkpoint (which itself syncs the log before copying it, and the database after).
 * Asynchronous: the fsync runs on libuv's thread pool, not on the event loop. The same inode is synced
 * whichever handle asks (POSIX fsync, Windows FlushFileBuffers on a handle opened for writing).
 */
export async function flushCommits(db: Db): Promise<void> {
  if (db.memory) return;
  await syncWriteAheadLog(db.name);
}

/**
 * One fsync of the write-ahead log of the SQLite database at `databasePath`, on libuv's thread pool. A missing log
 * holds nothing un-synced (SQLite removes it only after a full checkpoint, which syncs the database).
 */
export async function syncWriteAheadLog(databasePath: string): Promise<void> {
  let handle;
  try {
    handle = await openFile(`${databasePath}-wal`, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
