// Retry delays: exponential backoff with full jitter, capped, computed from an injectable random source.

export interface BackoffPolicy {
  /** The ceiling of the first retry's delay. */
  baseMs: number;
  /** No delay is ever longer than this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, maxMs: 30 * 60_000 };

/** The ceiling for retry `attempt` (1 = the first retry): base * 2^(attempt-1), capped. */
export function backoffCeiling(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Math.max(1, Math.trunc(attempt));
  // 2^n overflows to Infinity long after the cap applies, and min() keeps the cap.
  return Math.min(policy.maxMs, policy.baseMs * 2 ** (n - 1));
}

/**
 * Full jitter (a uniform draw in [0, ceiling)): clients that failed together do not come back
 * together, which matters when a whole office's TSA or network comes back at once.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const r = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  return Math.floor(r * backoffCeiling(attempt, policy));
}

/** A small seeded generator (mulberry32) for reproducible schedules in tests and the soak run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
