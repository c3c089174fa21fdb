// A rate-limit counter kept in PostgreSQL, so every server process behind a balancer counts against one limit per client; far below the limit, hits are counted here and sent in batches.
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { sql, type Kysely } from 'kysely';
import type { ServerSchema } from './db/schema.js';

/** Far below the limit, a client's hits go to the database at most this often (or every FLUSH_HITS hits). */
const FLUSH_MS = 100;
const FLUSH_HITS = 50;

/** One client's count in the current window, as this process knows it. */
interface WindowCount {
  windowStart: number;
  /** The shared count the database answered last (every process's hits it had then, ours included); 0 until this process has heard it in this window. */
  known: number;
  /** Hits sent and not yet answered, and hits not sent yet. */
  inFlight: number;
  unsent: number;
  sentAt: number;
  /** The batches of this client go one after another: each answer then counts exactly the batches before it. */
  chain: Promise<void>;
}

/**
 * Fixed windows of `timeWindow` ms aligned to the epoch. Every request counted in one upsert made each request a
 * PostgreSQL commit, and every client's requests queue on its one row: 0.5 ms a request, more than any other
 * statement. Now:
 * - a client's first request in a window, and every request once its count is past half the limit, waits for the
 *   upsert (with the hits kept since) and is answered with the shared count: near the limit the count is exact;
 * - below half, the request is answered at once with what this process knows (the shared count it heard last, plus
 *   its own hits since), and the hits go to the database in a batch, at most every FLUSH_MS or FLUSH_HITS. Other
 *   processes' hits since their last batch are not seen there: at worst a client gets past half the limit by one
 *   batch per process before being counted exactly, never past the limit by more than that.
 * With SQLite, the embedded one-process mode, the plugin's in-memory counter is used instead: one process has
 * nothing to share, and a write per request would queue every request behind SQLite's single writer.
 */
/** The client's count as this process knows it: the shared count heard last, and its own hits since. */
const estimateOf = (count: WindowCount): number => count.known + count.inFlight + count.unsent;

export function databaseRateLimitStore(db: Kysely<ServerSchema>, max: number): FastifyRateLimitStoreCtor {
  const counts = new Map<string, WindowCount>();
  let flushes = 0;
  let increments = 0;

  /** Sends the client's unsent hits (after its batches in flight) and hears the shared count back. */
  const flush = (key: string, count: WindowCount): Promise<void> => {
    count.chain = count.chain.then(async () => {
      const hits = count.unsent;
      if (hits === 0) return;
      count.unsent = 0;
      count.inFlight = hits;
      count.sentAt = Date.now();
      try {
        const result = await sql<{ count: number }>`
          insert into rate_limits (key, window_start, count) values (${key}, ${count.windowStart}, ${hits})
          on conflict (key) do update set
            count = case when rate_limits.window_start = excluded.window_start then rate_limits.count + excluded.count else excluded.count end,
            window_start = excluded.window_start
          returning count`.execute(db);
        count.known = Number(result.rows[0]!.count);
      } catch (error) {
        // Not counted: sent again with the next batch.
        count.unsent += hits;
        throw error;
      } finally {
        count.inFlight = 0;
      }
      // Now and then, forget clients not seen for an hour, so the table holds only the active ones.
      if (++flushes % 1000 === 0) await db.deleteFrom('rate_limits').where('window_start', '<', Date.now() - 3600_000).execute();
    });
    const sent = count.chain;
    // A failed batch must not fail the ones after it.
    count.chain = sent.catch(() => undefined);
    return sent;
  };

  return class DatabaseRateLimitStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      const now = Date.now();
      const windowStart = now - (now % timeWindow);
      const ttl = windowStart + timeWindow - now;
      if (++increments % 10_000 === 0) {
        for (const [other, count] of counts) if (count.windowStart < windowStart && count.unsent === 0 && count.inFlight === 0) counts.delete(other);
      }
      let count = counts.get(key);
      if (count?.windowStart !== windowStart) {
        count = { windowStart, known: 0, inFlight: 0, unsent: 0, sentAt: 0, chain: count?.chain ?? Promise.resolve() };
        counts.set(key, count);
      }
      count.unsent += 1;
      const estimate = estimateOf(count);
      // A count the database has answered is at least 1: until then, this process has not heard the shared count.
      if (count.known > 0 && estimate * 2 < max) {
        if (count.inFlight === 0 && (now - count.sentAt >= FLUSH_MS || count.unsent >= FLUSH_HITS)) void flush(key, count).catch(() => undefined);
        callback(null, { current: estimate, ttl });
        return;
      }
      const counted = count;
      flush(key, counted).then(
        () => callback(null, { current: estimateOf(counted), ttl }),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    child(): FastifyRateLimitStore {
      return this;
    }
  };
}
