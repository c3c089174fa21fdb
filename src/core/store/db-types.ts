// The typed database handle every query function takes.
import type Database from 'better-sqlite3';

export type Db = Database.Database;

// Every write transaction in the store is BEGIN IMMEDIATE (`db.transaction(fn).immediate()`): a deferred
// one that reads and then writes fails at once with SQLITE_BUSY when another process committed in
// between, and the busy timeout cannot help it. Inside a caller's transaction these become savepoints.
