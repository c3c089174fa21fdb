// The server's cache of CA certificates fetched from AIA addresses, in its database (SQLite or PostgreSQL): what one server process fetched, every other one uses.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CaIssuerCache } from '../../core/trust/index.js';
import type { ServerSchema } from '../db/schema.js';

export class DatabaseCaIssuerCache implements CaIssuerCache {
  constructor(
    private readonly db: Kysely<ServerSchema>,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  // A database that does not answer costs a fetch, never the verification.
  async get(url: string): Promise<Uint8Array[] | undefined> {
    try {
      const rows = await this.db.selectFrom('ca_certificates').select('der').where('source_url', '=', url).orderBy('sha256').execute();
      return rows.length > 0 ? rows.map((row) => new Uint8Array(row.der)) : undefined;
    } catch {
      return undefined;
    }
  }

  async put(url: string, certificates: Uint8Array[]): Promise<void> {
    if (certificates.length === 0) return;
    const fetchedAt = this.clock().toISOString();
    try {
      // Several processes may fetch the same URL at once: the latest fetch time wins, the bytes are the same by their hash.
      await this.db
        .insertInto('ca_certificates')
        .values(certificates.map((der) => ({ source_url: url, sha256: createHash('sha256').update(der).digest('hex'), der, fetched_at: fetchedAt })))
        .onConflict((conflict) => conflict.columns(['source_url', 'sha256']).doUpdateSet((eb) => ({ fetched_at: eb.ref('excluded.fetched_at') })))
        .execute();
    } catch {
      // The next verification fetches again.
    }
  }
}
