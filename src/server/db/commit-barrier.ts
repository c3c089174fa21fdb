// Commits made durable in groups: SQLite commits without waiting for the disk, and what must be on disk first (an answer, a word to the axis) waits for one fsync of the write-ahead log that covers it.
import { syncWriteAheadLog } from '../../core/store/durability.js';

/** What the database layer tells the barrier, and what the rest of the server asks of it. */
export interface CommitBarrier {
  /** A statement that may write is about to run (counted at once: its commit is in the log before any fsync that starts later). */
  wrote(): void;
  /** Resolves once every commit made before the call is on disk; rejects when the disk refuses. */
  durable(): Promise<void>;
}

/** PostgreSQL's commits are on disk when they return (it groups the fsyncs itself). */
export const committedDurably: CommitBarrier = { wrote: () => undefined, durable: async () => undefined };

/**
 * For a SQLite database in WAL mode at synchronous = NORMAL. Before this, every commit ran at FULL: an fsync per
 * commit with the event loop blocked, 0.9 ms on average and several ms while blobs were being written, about a
 * sixth of the server's event loop under the exchange bench. Now a commit only writes the log; `durable()` syncs it
 * on libuv's pool, and waiters that arrive while a sync runs share the next one (group commit). A crash of the process
 * loses nothing either way; a power cut can roll back the last commits, but none that anyone was told of.
 */
export function writeAheadLogBarrier(databasePath: string, sync: (databasePath: string) => Promise<void> = syncWriteAheadLog): CommitBarrier {
  let written = 0;
  let synced = 0;
  let running: Promise<void> | undefined;
  const syncNow = (): Promise<void> => {
    // What is counted now is in the log now: this sync covers it.
    const covering = written;
    running = sync(databasePath)
      .then(() => {
        synced = Math.max(synced, covering);
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  return {
    wrote: () => {
      written += 1;
    },
    durable: async () => {
      const needed = written;
      while (synced < needed) await (running ?? syncNow());
    },
  };
}
