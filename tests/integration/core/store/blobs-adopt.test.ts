// BlobStore.adopt: a finished file in the store's temp folder taken as a blob (streamed hash, rename); revisions recorded from such a blob; reading with room.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addFile, addRevision, createDocument, listFiles, open, sha256Hex } from '../../../../src/core/store/index.js';
import { sample, tempDir } from './kit.js';

describe('BlobStore.adopt', () => {
  it('takes a file bigger than its read chunk under its SHA-256, private, and leaves the temp folder empty', async () => {
    const store = open(tempDir());
    // 3 MiB and a bit: the hash runs over several 1 MiB chunks and a short last one.
    const bytes = randomBytes(3 * 1024 * 1024 + 12_345);
    const file = store.blobs.tempPath('sign');
    writeFileSync(file, bytes, { mode: 0o644 });

    const blob = await store.blobs.adopt(file);
    expect(blob).toEqual({ sha256: sha256Hex(bytes), size: bytes.length });
    expect(readFileSync(store.blobs.pathOf(blob.sha256)).equals(bytes)).toBe(true);
    if (process.platform !== 'win32') expect(statSync(store.blobs.pathOf(blob.sha256)).mode & 0o777).toBe(0o600);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(store.blobs.tmpDir)).toEqual([]);
    store.close();
  });

  it('is idempotent when the content is stored already, and repairs a damaged copy of it', async () => {
    const store = open(tempDir());
    const bytes = randomBytes(50_000);
    const first = store.blobs.put(bytes);
    const again = store.blobs.tempPath('sign');
    writeFileSync(again, bytes);
    expect(await store.blobs.adopt(again)).toEqual(first);
    expect(readdirSync(store.blobs.tmpDir)).toEqual([]);
    expect(readFileSync(store.blobs.pathOf(first.sha256)).equals(bytes)).toBe(true);

    // Same size, other bytes on disk (a damaged copy): the adopted file takes its place.
    writeFileSync(store.blobs.pathOf(first.sha256), randomBytes(bytes.length));
    const repair = store.blobs.tempPath('sign');
    writeFileSync(repair, bytes);
    expect(await store.blobs.adopt(repair)).toEqual(first);
    expect(store.blobs.read(first.sha256).equals(bytes)).toBe(true);
    expect(readdirSync(store.blobs.tmpDir)).toEqual([]);
    store.close();
  });

  it('refuses a file outside its temp folder and leaves it where it is', async () => {
    const dir = tempDir();
    const store = open(dir);
    const outside = path.join(dir, 'nguoi-dung.pdf');
    writeFileSync(outside, 'tệp của người dùng');
    await expect(store.blobs.adopt(outside)).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(readFileSync(outside, 'utf8')).toBe('tệp của người dùng');
    store.close();
  });

  it('records a revision from an adopted blob; refuses a blob that is not stored or has another size, with no row', async () => {
    const store = open(tempDir());
    const { id } = createDocument(store.db, 'outgoing', sample());
    const { fileId } = addFile(store.db, store.blobs, id, { role: 'main', name: 'cong-van.pdf', bytes: Buffer.from('%PDF-1.7 bản gốc') });
    const signed = randomBytes(20_000);
    const file = store.blobs.tempPath('sign');
    writeFileSync(file, signed);
    const blob = await store.blobs.adopt(file);

    const revision = addRevision(store.db, store.blobs, fileId, { blob, signatureLevel: 'B-B', signatureKind: 'leader', signer: 'Nguyễn Văn A' });
    expect(revision).toMatchObject({ revision: 2, sha256: sha256Hex(signed), size: signed.length, signatureKind: 'leader' });
    expect(listFiles(store.db, id)[0]!.revisions.at(-1)).toMatchObject({ sha256: blob.sha256, size: blob.size, problem: null });
    expect(store.blobs.read(revision.sha256).equals(signed)).toBe(true);

    const absent = { sha256: sha256Hex(Buffer.from('chưa lưu')), size: 8 };
    expect(() => addRevision(store.db, store.blobs, fileId, { blob: absent })).toThrow(expect.objectContaining({ code: 'STORE_BLOB_MISSING' }));
    expect(() => addRevision(store.db, store.blobs, fileId, { blob: { ...blob, size: blob.size + 1 } })).toThrow(expect.objectContaining({ code: 'STORE_BLOB_CORRUPT' }));
    expect(listFiles(store.db, id)[0]!.revisions).toHaveLength(2);
    store.close();
  });

  it('reads a blob with room after it, hash-checked', () => {
    const store = open(tempDir());
    const bytes = randomBytes(70_000);
    const { sha256 } = store.blobs.put(bytes);
    const { storage, size } = store.blobs.readWithRoom(sha256, 4096);
    expect([size, storage.length]).toEqual([bytes.length, bytes.length + 4096]);
    expect(storage.subarray(0, size).equals(bytes)).toBe(true);
    writeFileSync(store.blobs.pathOf(sha256), randomBytes(bytes.length));
    expect(() => store.blobs.readWithRoom(sha256, 4096)).toThrow(expect.objectContaining({ code: 'STORE_BLOB_CORRUPT' }));
    store.close();
  });

  it('a signed file a crash left in the temp folder (never adopted) is removed at the next open once old enough', () => {
    const dir = tempDir();
    const store = open(dir);
    const left = store.blobs.tempPath('sign');
    writeFileSync(left, randomBytes(10_000));
    store.close();
    // Young temp files are left alone (another process may be about to adopt it)...
    const young = open(dir);
    expect(young.startupReport?.tempFilesRemoved).toBe(0);
    expect(existsSync(left)).toBe(true);
    young.close();
    // ...and removed once older than the integrity check's age.
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(left, old, old);
    const reopened = open(dir);
    expect(reopened.startupReport?.tempFilesRemoved).toBe(1);
    expect(readdirSync(reopened.blobs.tmpDir)).toEqual([]);
    reopened.close();
  });
});
