// The bytes of files received lately: kept by hash within a byte budget, the least recently used going first, large files never, a copy not the caller's buffer.
import { describe, expect, it } from 'vitest';
import { RecentBlobs } from '../../../../src/server/blobs/recent-blobs.js';

const bytes = (length: number, fill: number): Uint8Array => new Uint8Array(length).fill(fill);

describe('RecentBlobs', () => {
  it('keeps files within its budget, dropping the least recently used first', () => {
    const recent = new RecentBlobs(300, 200);
    recent.remember('a', bytes(100, 1));
    recent.remember('b', bytes(100, 2));
    recent.remember('c', bytes(100, 3));
    expect(recent.get('a')?.[0]).toBe(1); // a is now the most recent
    recent.remember('d', bytes(100, 4)); // over budget: b, the least recently used, goes
    expect(recent.get('b')).toBeUndefined();
    expect([recent.get('a')?.[0], recent.get('c')?.[0], recent.get('d')?.[0]]).toEqual([1, 3, 4]);
    expect(recent.size).toEqual({ files: 3, bytes: 300 });
  });

  it('never keeps a file above its largest size, and counts a file remembered twice once', () => {
    const recent = new RecentBlobs(1000, 200);
    recent.remember('big', bytes(201, 9));
    expect(recent.get('big')).toBeUndefined();
    recent.remember('a', bytes(150, 1));
    recent.remember('a', bytes(150, 1));
    expect(recent.size).toEqual({ files: 1, bytes: 150 });
  });

  it('keeps its own copy: the caller may reuse its buffer', () => {
    const recent = new RecentBlobs();
    const buffer = bytes(10, 7);
    recent.remember('a', buffer.subarray(2, 6));
    buffer.fill(0);
    expect([...recent.get('a')!]).toEqual([7, 7, 7, 7]);
  });
});
