// BlobStore.putAsync: a received file written off the event loop under its SHA-256, private, the temp folder left empty; idempotent, and repairing a damaged copy.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { open, sha256Hex } from '../../../../src/core/store/index.js';
import { tempDir } from './kit.js';

describe('BlobStore.putAsync', () => {
  it('stores the bytes under their SHA-256, private, as put would', async () => {
    const store = open(tempDir());
    const bytes = randomBytes(200 * 1024);
    const blob = await store.blobs.putAsync(bytes);
    expect(blob).toEqual({ sha256: sha256Hex(bytes), size: bytes.length });
    expect(readFileSync(store.blobs.pathOf(blob.sha256)).equals(bytes)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(store.blobs.pathOf(blob.sha256)).mode & 0o777).toBe(0o600);
    expect(readdirSync(store.blobs.tmpDir)).toEqual([]);
    // The same content from put finds it there.
    expect(store.blobs.put(bytes)).toEqual(blob);
    store.close();
  });

  it('keeps an intact copy, repairs a damaged one, and several at once of the same bytes end as one file', async () => {
    const store = open(tempDir());
    const bytes = randomBytes(64 * 1024);
    const first = await store.blobs.putAsync(bytes);
    const mtime = statSync(store.blobs.pathOf(first.sha256)).mtimeMs;
    expect(await store.blobs.putAsync(bytes)).toEqual(first);
    expect(statSync(store.blobs.pathOf(first.sha256)).mtimeMs).toBe(mtime);

    writeFileSync(store.blobs.pathOf(first.sha256), randomBytes(bytes.length));
    expect(await store.blobs.putAsync(bytes)).toEqual(first);
    expect(store.blobs.read(first.sha256).equals(bytes)).toBe(true);

    const other = randomBytes(10_000);
    const all = await Promise.all([1, 2, 3].map(() => store.blobs.putAsync(other)));
    expect(new Set(all.map((b) => b.sha256))).toEqual(new Set([sha256Hex(other)]));
    expect(store.blobs.read(sha256Hex(other)).equals(other)).toBe(true);
    expect(readdirSync(store.blobs.tmpDir)).toEqual([]);
    store.close();
  });
});
