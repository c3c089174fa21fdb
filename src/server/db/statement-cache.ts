// better-sqlite3 with its prepared statements kept by SQL text: Kysely prepares every query anew, and the server runs the same few dozen.
import type Database from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** Statements kept; the server's distinct queries number well under this (an IN list of another length is another text). */
export const STATEMENT_CACHE_SIZE = 256;

const ENDS_TRANSACTION = /^\s*(commit|end|release)\b/i;

/**
 * `sqlite` for Kysely, with statements reused by their text: preparing was about 15% of the server's SQLite time.
 * A statement still iterating (a streamed query) is busy and cannot run twice at once: the caller gets a fresh one.
 * SQLite prepares a kept statement again by itself after a schema change (sqlite3_prepare_v2).
 * `onWrite` hears of every statement that may write or commit, as Kysely prepares each query just before it runs it.
 */
export function cachingStatements(sqlite: Database.Database, size = STATEMENT_CACHE_SIZE, onWrite: () => void = () => undefined): SqliteDatabase & { readonly cached: number } {
  const kept = new Map<string, Database.Statement>();
  const counted = (statement: Database.Statement, text: string): Database.Statement => {
    // SQLite calls COMMIT (and END, RELEASE) read-only: it writes nothing itself, but it is what puts a transaction's writes in the log.
    if (!statement.readonly || ENDS_TRANSACTION.test(text)) onWrite();
    return statement;
  };
  return {
    get cached() {
      return kept.size;
    },
    close: () => sqlite.close(),
    prepare: (text) => {
      const known = kept.get(text);
      if (known && !known.busy) {
        // Most recently used last: the oldest is the first to go.
        kept.delete(text);
        kept.set(text, known);
        return counted(known, text);
      }
      const statement = sqlite.prepare(text);
      if (!known) {
        kept.set(text, statement);
        if (kept.size > size) kept.delete(kept.keys().next().value!);
      }
      return counted(statement, text);
    },
  };
}
