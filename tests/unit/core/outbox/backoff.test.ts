// Backoff delays are computed, never slept: exponential ceilings, the cap, and full jitter over [0, ceiling).
import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay, seededRandom } from '../../../../src/core/outbox/index.js';

const policy = { baseMs: 1_000, maxMs: 60_000 };

describe('backoff', () => {
  it('doubles the ceiling with each attempt and never goes past the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((a) => backoffCeiling(a, policy))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect(backoffCeiling(10_000, policy)).toBe(60_000);
    // 2^2000 is Infinity: the cap still holds.
    expect(backoffCeiling(2_000, policy)).toBe(60_000);
    expect(backoffCeiling(0, policy)).toBe(1_000);
  });

  it('draws each delay uniformly from [0, ceiling): the extremes of the random source map to the ends', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(2_000);
    expect(backoffDelay(3, policy, () => 0.999999)).toBe(3_999);
    expect(backoffDelay(3, policy, () => 1)).toBeLessThan(4_000);
    expect(backoffDelay(50, policy, () => 0.999999)).toBeLessThan(60_000);
  });

  it('spreads clients out (full jitter) and is reproducible from a seed', () => {
    const random = seededRandom(20_260_305);
    const delays = Array.from({ length: 5_000 }, () => backoffDelay(6, policy, random));
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThan(32_000);
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    // Uniform over [0, 32 s): mean 16 s; 5,000 draws put it well within ±1 s.
    expect(Math.abs(mean - 16_000)).toBeLessThan(1_000);
    // Not bunched: every eighth of the range is used.
    const buckets = new Set(delays.map((d) => Math.floor(d / 4_000)));
    expect(buckets.size).toBe(8);
    const again = seededRandom(20_260_305);
    expect(Array.from({ length: 5_000 }, () => backoffDelay(6, policy, again))).toEqual(delays);
  });
});
