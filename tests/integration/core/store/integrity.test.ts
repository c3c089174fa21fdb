import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addFile, createDocument, listFiles, open, sha256Hex, type Store } from '../../../../src/core/store/index.js';
import { collect, sample, spawnChild, tempDir } from './kit.js';

const now = (): { minOrphanAgeMs: number } => ({ minOrphanAgeMs: 0 });

/** Every row has its file with the right hash, and every file under blobs/ has its row. */
function assertConsistent(store: Store): void {
  const rows = store.db.prepare<unknown[], string>('SELECT sha256 FROM blobs').pluck().all();
  for (const h of rows) expect(sha256Hex(readFileSync(store.blobs.pathOf(h)))).toBe(h);
  const files = readdirSync(store.blobs.root)
    .filter((d) => /^[0-9a-f]{2}$/.test(d))
    .flatMap((d) => readdirSync(path.join(store.blobs.root, d)).map((f) => d + f));
  expect(files.toSorted()).toEqual(rows.toSorted());
  expect(readdirSync(store.blobs.tmpDir)).toEqual([]);
  // Every revision row points at a blob row (foreign key), checked by SQLite itself.
  expect(store.db.pragma('foreign_key_check')).toEqual([]);
}

describe('checkIntegrity', () => {
  it('reports a file deleted behind the store\'s back as needing attention, keeps the row, and clears it when the file is back', () => {
    const dir = tempDir();
    const store = open(dir);
    const { id } = createDocument(store.db, 'outgoing', sample());
    const bytes = randomBytes(5000);
    const { revision } = addFile(store.db, store.blobs, id, { role: 'main', name: 'a.pdf', bytes });
    const file = store.blobs.pathOf(revision.sha256);
    rmSync(file);
    store.close();

    const reopened = open(dir);
    expect(reopened.startupReport?.needsAttention).toEqual([{ sha256: revision.sha256, problem: 'missing', documentIds: [id] }]);
    expect(listFiles(reopened.db, id)[0]!.revisions[0]).toMatchObject({ sha256: revision.sha256, problem: 'missing' });
    expect(reopened.db.prepare<unknown[], number>('SELECT count(*) FROM file_revisions').pluck().get()).toBe(1);

    // The user restores the file (from a backup, or it is added again): the mark goes away.
    addFile(reopened.db, reopened.blobs, createDocument(reopened.db, 'outgoing', sample()).id, { role: 'main', name: 'b.pdf', bytes });
    const report = reopened.checkIntegrity(now());
    expect(report.needsAttention).toEqual([]);
    expect(listFiles(reopened.db, id)[0]!.revisions[0]!.problem).toBeNull();
    reopened.close();
  });

  it('finds a changed file by size at once, and by hash in a full check', () => {
    const store = open(tempDir());
    const { id } = createDocument(store.db, 'outgoing', sample());
    const a = addFile(store.db, store.blobs, id, { role: 'main', name: 'a.pdf', bytes: Buffer.from('nội dung A') }).revision.sha256;
    const b = addFile(store.db, store.blobs, id, { role: 'appendix', name: 'b.pdf', bytes: Buffer.from('nội dung B') }).revision.sha256;
    writeFileSync(store.blobs.pathOf(a), 'ngắn');
    writeFileSync(store.blobs.pathOf(b), 'nội dung X'); // same length
    expect(store.checkIntegrity(now()).needsAttention.map((p) => [p.sha256, p.problem])).toEqual([[a, 'hash_mismatch']]);
    const full = store.checkIntegrity({ ...now(), verifyHashes: true });
    expect(full.needsAttention.map((p) => [p.sha256, p.problem]).toSorted()).toEqual([[a, 'hash_mismatch'], [b, 'hash_mismatch']].toSorted());
    expect(full.needsAttention.every((p) => p.documentIds.includes(id))).toBe(true);
    store.close();
  });

  it('quarantines a file without a row and removes interrupted temp files, but leaves young ones to a live writer', () => {
    const dir = tempDir();
    const store = open(dir);
    const stray = store.blobs.put(Buffer.from('không có dòng nào'));
    writeFileSync(path.join(store.blobs.tmpDir, 'half-written'), 'abc');
    mkdirSync(path.join(store.blobs.root, 'zz'), { recursive: true });
    // Young files might belong to another process that is about to commit: the default check waits.
    const cautious = store.checkIntegrity();
    expect(cautious).toMatchObject({ orphansQuarantined: [], tempFilesRemoved: 0 });
    expect(existsSync(store.blobs.pathOf(stray.sha256))).toBe(true);

    const report = store.checkIntegrity(now());
    expect(report).toMatchObject({ orphansQuarantined: [stray.sha256], tempFilesRemoved: 1, needsAttention: [] });
    expect(existsSync(store.blobs.pathOf(stray.sha256))).toBe(false);
    const kept = readdirSync(store.blobs.quarantineDir);
    expect(kept).toHaveLength(1);
    expect(readFileSync(path.join(store.blobs.quarantineDir, kept[0]!), 'utf8')).toBe('không có dòng nào');
    assertConsistent(store);
    store.close();
  });

  it('after a SIGKILL between the durable file and its row, the orphan is quarantined and nothing else changes', async () => {
    const dir = tempDir();
    open(dir).close();
    const result = await collect(spawnChild('write-files', [dir, 'crash-after-blob']));
    expect(result.signal).toBe('SIGKILL');
    const orphan = /^blob ([0-9a-f]{64})$/m.exec(result.stdout)?.[1];
    expect(orphan).toBeDefined();
    const store = open(dir, { integrity: 'skip' });
    expect(existsSync(store.blobs.pathOf(orphan!))).toBe(true);
    expect(store.db.prepare('SELECT 1 FROM blobs WHERE sha256 = ?').get(orphan)).toBeUndefined();
    expect(store.checkIntegrity(now()).orphansQuarantined).toEqual([orphan]);
    assertConsistent(store);
    store.close();
  }, 60_000);

  it('after SIGKILLs at random points while storing files, every committed file is intact and no file lacks its row', async () => {
    const dir = tempDir();
    open(dir).close();
    const committed: { id: number; sha256: string }[] = [];
    const runs = 10;
    for (let run = 0; run < runs; run++) {
      const child = spawnChild('write-files', [dir]);
      const done = collect(child);
      // Wait for the child to be writing, then kill it at a random moment of its loop.
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, Math.random() * 150));
      child.kill('SIGKILL');
      const { stdout, signal } = await done;
      expect(signal).toBe('SIGKILL');
      for (const m of stdout.matchAll(/^committed (\d+) ([0-9a-f]{64})$/gm)) committed.push({ id: Number(m[1]), sha256: m[2]! });
    }
    expect(committed.length).toBeGreaterThan(runs);

    const store = open(dir, { integrity: 'skip' });
    const report = store.checkIntegrity({ ...now(), verifyHashes: true });
    // The kills did land inside the crash windows (a half temp file, a file before its row), not only between commits.
    expect(report.tempFilesRemoved + report.orphansQuarantined.length).toBeGreaterThan(0);
    expect(report.needsAttention).toEqual([]);
    assertConsistent(store);
    for (const { id, sha256 } of committed) {
      expect(listFiles(store.db, id)[0]!.revisions[0]!.sha256).toBe(sha256);
    }
    store.close();
  }, 120_000);
});
