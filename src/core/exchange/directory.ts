// Directory sync: fetch the agencies and cache them in the store, so addressing works offline.
import type { DirectoryEntry } from '../../shared/exchange-protocol.js';
import type { Db } from '../store/index.js';
import type { ExchangeClient } from './client.js';
import { cachedDirectory, saveDirectory } from './records.js';

/** The server's directory when reachable (and cached), else the cache. */
export async function syncDirectory(client: ExchangeClient, db: Db): Promise<{ agencies: DirectoryEntry[]; fromCache: boolean }> {
  try {
    const agencies = await client.directory();
    saveDirectory(db, agencies);
    return { agencies, fromCache: false };
  } catch (error) {
    const cached = cachedDirectory(db);
    if (cached.length === 0) throw error;
    return { agencies: cached, fromCache: true };
  }
}
