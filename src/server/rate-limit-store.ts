// A rate-limit counter kept in PostgreSQL, so every server process behind a balancer counts against one limit per client.
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { sql, type Kysely } from 'kysely';
import type { ServerSchema } from './db/schema.js';

/**
 * Fixed windows of `timeWindow` ms aligned to the epoch: one upsert per request returns the count in the
 * current window (a new window starts the count again). With SQLite, the embedded one-process mode, the
 * plugin's in-memory counter is used instead: one process has nothing to share, and a write per request
 * would queue every request behind SQLite's single writer.
 */
export function databaseRateLimitStore(db: Kysely<ServerSchema>): FastifyRateLimitStoreCtor {
  let calls = 0;
  return class DatabaseRateLimitStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      const now = Date.now();
      const windowStart = now - (now % timeWindow);
      const count = async (): Promise<number> => {
        const result = await sql<{ count: number }>`
          insert into rate_limits (key, window_start, count) values (${key}, ${windowStart}, 1)
          on conflict (key) do update set
            count = case when rate_limits.window_start = excluded.window_start then rate_limits.count + 1 else 1 end,
            window_start = excluded.window_start
          returning count`.execute(db);
        // Now and then, forget clients not seen for an hour, so the table holds only the active ones.
        if (++calls % 1000 === 0) await db.deleteFrom('rate_limits').where('window_start', '<', now - 3600_000).execute();
        return Number(result.rows[0]!.count);
      };
      count().then(
        (current) => callback(null, { current, ttl: windowStart + timeWindow - now }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  };
}
