// The store of one data folder: the SQLite handle, the blob store, and the integrity check run at open.
import path from 'node:path';
import { ensurePrivateDir } from '../fs/private-dir.js';
import { BlobStore } from './blobs.js';
import { openDatabase, type OpenDatabaseOptions } from './database.js';
import type { Db } from './db-types.js';
import { checkIntegrity, type IntegrityOptions, type IntegrityReport } from './integrity.js';

export interface Store {
  readonly dataDir: string;
  readonly db: Db;
  readonly blobs: BlobStore;
  /** The integrity check made while opening (undefined when it was skipped). */
  readonly startupReport: IntegrityReport | undefined;
  checkIntegrity(options?: IntegrityOptions): IntegrityReport;
  close(): void;
}

export interface OpenStoreOptions extends OpenDatabaseOptions {
  /** 'quick' (default) checks every blob's existence and size; 'full' also its hash. */
  integrity?: 'skip' | 'quick' | 'full';
}

export const databaseFile = (dataDir: string): string => path.join(dataDir, 'vanthu.db');

export function open(dataDir: string, options: OpenStoreOptions = {}): Store {
  // Received documents and registers: only this user may read them (0700, older folders tightened).
  ensurePrivateDir(dataDir);
  const db = openDatabase(databaseFile(dataDir), options);
  try {
    const blobs = new BlobStore(dataDir);
    const mode = options.integrity ?? 'quick';
    const startupReport = mode === 'skip' ? undefined : checkIntegrity(db, blobs, { verifyHashes: mode === 'full' });
    return {
      dataDir,
      db,
      blobs,
      startupReport,
      checkIntegrity: (o) => checkIntegrity(db, blobs, o),
      close: () => {
        if (db.open) db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}
