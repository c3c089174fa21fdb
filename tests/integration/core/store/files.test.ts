import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addFile, addRevision, createDocument, listFiles, open, readLatest } from '../../../../src/core/store/index.js';
import { sample, tempDir } from './kit.js';

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('files and revisions', () => {
  it('stores the main PDF, an appendix and an attachment, and every signed revision, content-addressed', () => {
    const dir = tempDir();
    const store = open(dir);
    const { id } = createDocument(store.db, 'outgoing', sample());
    const original = Buffer.from('%PDF-1.7 bản gốc');
    const main = addFile(store.db, store.blobs, id, { role: 'main', name: 'cong-van.pdf', bytes: original, now: 1 });
    const leader = Buffer.concat([original, Buffer.from(' +chữ ký lãnh đạo')]);
    const seal = Buffer.concat([leader, Buffer.from(' +chữ ký cơ quan')]);
    addRevision(store.db, store.blobs, main.fileId, { bytes: leader, signatureLevel: 'B-T', signatureKind: 'leader', signer: 'CN=Nguyễn Văn A', now: 2 });
    addRevision(store.db, store.blobs, main.fileId, { bytes: seal, signatureLevel: 'B-LT', signatureKind: 'seal', now: 3 });
    addFile(store.db, store.blobs, id, { role: 'appendix', name: 'phu-luc.pdf', bytes: Buffer.from('%PDF phụ lục') });
    addFile(store.db, store.blobs, id, { role: 'attachment', name: 'dinh-kem.pdf', bytes: Buffer.from('%PDF đính kèm') });

    const files = listFiles(store.db, id);
    expect(files.map((f) => [f.role, f.name, f.revisions.length])).toEqual([
      ['main', 'cong-van.pdf', 3],
      ['appendix', 'phu-luc.pdf', 1],
      ['attachment', 'dinh-kem.pdf', 1],
    ]);
    expect(files[0]!.revisions.map((r) => [r.revision, r.signatureKind, r.signatureLevel, r.sha256])).toEqual([
      [1, 'none', 'none', sha(original)],
      [2, 'leader', 'B-T', sha(leader)],
      [3, 'seal', 'B-LT', sha(seal)],
    ]);
    expect(files[0]!.revisions[1]!.signer).toBe('CN=Nguyễn Văn A');
    expect(readLatest(store.db, store.blobs, main.fileId)).toEqual(seal);
    const h = sha(seal);
    expect(readFileSync(path.join(dir, 'blobs', h.slice(0, 2), h.slice(2)))).toEqual(seal);
    expect(readdirSync(path.join(dir, 'blobs', 'tmp'))).toEqual([]);
    expect(() => addFile(store.db, store.blobs, id, { role: 'main', name: 'b.pdf', bytes: Buffer.from('x') })).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT' }),
    );
    store.close();
  });

  it('stores identical bytes once, shared by two documents', () => {
    const dir = tempDir();
    const store = open(dir);
    const bytes = randomBytes(1000);
    for (let i = 0; i < 2; i++) addFile(store.db, store.blobs, createDocument(store.db, 'outgoing', sample()).id, { role: 'main', name: 'a.pdf', bytes });
    expect(store.db.prepare<unknown[], number>('SELECT count(*) FROM blobs').pluck().get()).toBe(1);
    const h = sha(bytes);
    expect(readdirSync(path.join(dir, 'blobs', h.slice(0, 2)))).toEqual([h.slice(2)]);
    store.close();
  });

  it('refuses to hand out a file changed behind its back', () => {
    const store = open(tempDir());
    const { id } = createDocument(store.db, 'outgoing', sample());
    const { fileId, revision } = addFile(store.db, store.blobs, id, { role: 'main', name: 'a.pdf', bytes: Buffer.from('gốc') });
    writeFileSync(store.blobs.pathOf(revision.sha256), 'đã sửa');
    expect(() => readLatest(store.db, store.blobs, fileId)).toThrow(expect.objectContaining({ code: 'STORE_BLOB_CORRUPT' }));
    rmSync(store.blobs.pathOf(revision.sha256));
    expect(() => readLatest(store.db, store.blobs, fileId)).toThrow(expect.objectContaining({ code: 'STORE_BLOB_MISSING' }));
    expect(existsSync(store.blobs.pathOf(revision.sha256))).toBe(false);
    store.close();
  });
});
