// The parse cache: once per key inside a verification scope, nothing kept outside one unless shared, shared values bounded.
import { describe, expect, it } from 'vitest';
import { derKey, remember, SHARED_LIMIT, withParseScope } from '../../../../src/core/x509/parse-cache.js';

describe('parse cache', () => {
  it('computes a key once inside a scope and again in the next scope', async () => {
    let computed = 0;
    const compute = () => ({ n: ++computed });
    const key = derKey('test-scope', Uint8Array.of(1, 2, 3));
    const [first, second] = await withParseScope(async () => [remember(key, compute), remember(key, compute)]);
    expect(first).toBe(second);
    expect(computed).toBe(1);
    await withParseScope(async () => remember(key, compute));
    expect(computed).toBe(2);
  });

  it('keeps nothing outside a scope unless the value is shared', () => {
    let computed = 0;
    const key = derKey('test-outside', Uint8Array.of(9));
    remember(key, () => ++computed);
    remember(key, () => ++computed);
    expect(computed).toBe(2);
    const sharedKey = derKey('test-shared', Uint8Array.of(9));
    remember(sharedKey, () => ++computed, () => true);
    expect(remember(sharedKey, () => ++computed, () => true)).toBe(3);
    expect(computed).toBe(3);
  });

  it('names equal bytes by one key wherever they sit, and different kinds apart', () => {
    const bytes = Uint8Array.of(5, 6, 7, 8);
    expect(derKey('a', bytes.subarray(1))).toBe(derKey('a', Uint8Array.of(6, 7, 8)));
    expect(derKey('a', bytes)).not.toBe(derKey('b', bytes));
  });

  it('does not remember a throw', async () => {
    let calls = 0;
    const key = derKey('test-throw', Uint8Array.of(4));
    await withParseScope(async () => {
      expect(() => remember(key, () => { calls++; throw new Error('bad'); })).toThrow('bad');
      expect(remember(key, () => ++calls)).toBe(2);
    });
  });

  it(`keeps at most ${SHARED_LIMIT} shared values, dropping the least recently used`, () => {
    let computed = 0;
    const key = (i: number) => `test-lru:${i}`;
    for (let i = 0; i < SHARED_LIMIT; i++) remember(key(i), () => ++computed, () => true);
    remember(key(0), () => ++computed, () => true); // used again: now the most recent
    remember(key(SHARED_LIMIT), () => ++computed, () => true); // evicts key(1), the oldest
    const before = computed;
    remember(key(0), () => ++computed, () => true);
    expect(computed).toBe(before);
    remember(key(1), () => ++computed, () => true);
    expect(computed).toBe(before + 1);
  });
});
