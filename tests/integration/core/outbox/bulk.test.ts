// Bulk signing of real PDFs on SoftHSM: one login for the batch, a bad file failing alone, SIGKILL and a pulled token mid-batch, the TSA down then back.
import { existsSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bulkSign,
  createOutboxWorker,
  getJob,
  jobHistory,
  listJobs,
  TokenKeySource,
  wakeUp,
  type BulkProgress,
  type BulkSignOptions,
} from '../../../../src/core/outbox/index.js';
import { getDocument, listFiles, open, readLatest, type Store } from '../../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { startFakeTsa, type FakeTsa } from '../../../kit/fake-tsa.js';
import { discPng, fixture } from '../../../kit/pdf-tools.js';
import { buildPinCounterModule } from '../../../kit/pin-counter/build.js';
import { usePrivateTokens } from '../../../kit/pki.js';
import { collect, draftWithPdf, spawnChild, tempDir, waitForLine } from './kit.js';

// Pulls a token out and counts logins, so this file works on its own copy of the tokens.
const pki = usePrivateTokens();
// Every user login reaching the token appends a line here (the PIN-counting PKCS#11 wrapper over SoftHSM).
const loginLog = path.join(pki.tokenDir, '..', 'logins.txt');
process.env.PIN_COUNTER_TARGET = pki.module;
process.env.PIN_COUNTER_LOG = loginLog;
process.env.PIN_COUNTER_MAX_TRIES = '10';
const logins = (): number => (existsSync(loginLog) ? readFileSync(loginLog, 'utf8').split('\n').filter(Boolean).length : 0);

let module: string;
let trust: TrustStore;
let tsa: FakeTsa;
beforeAll(async () => {
  module = buildPinCounterModule();
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  tsa = await startFakeTsa(pki);
});
afterAll(async () => {
  await tsa?.close();
  await finalizeAllModules();
});

const FIXTURES = ['classic-xref.pdf', 'xref-stream.pdf', 'object-streams.pdf', 'incrementally-updated.pdf', 'with-form.pdf', 'linearized.pdf'];
const chain = (): Uint8Array[] => [new Uint8Array(readFileSync(pki.subCaDer))];

const options = (extra: Partial<BulkSignOptions> = {}): BulkSignOptions => ({
  token: { module, label: 'VANTHU LEADER', cert: 'leader-rsa' },
  appearance: 'leader',
  level: 'B-B',
  image: discPng(120, [20, 40, 200]),
  page: 1,
  rect: [350, 100, 150, 75],
  reason: 'Phê duyệt hàng loạt',
  chain: chain(),
  trust,
  ...extra,
});

function drafts(store: Store, count: number, corruptAt: number[] = []): { id: number; fileId: number }[] {
  return Array.from({ length: count }, (_, i) =>
    draftWithPdf(
      store,
      corruptAt.includes(i) ? new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF garbage') : fixture(FIXTURES[i % FIXTURES.length]!),
      `Văn bản số ${i + 1} ký hàng loạt`,
    ),
  );
}

/** Each document signed exactly once: one leader revision, a valid file with exactly one signature, one job that succeeded once. */
async function expectSignedOnce(store: Store, documentIds: number[], level: 'B-B' | 'B-T' = 'B-B'): Promise<void> {
  for (const id of documentIds) {
    const [file] = listFiles(store.db, id);
    const leaderRevisions = file!.revisions.filter((r) => r.signatureKind === 'leader');
    expect(leaderRevisions, `document ${id}`).toHaveLength(1);
    expect(getDocument(store.db, id).state).toBe('signed_by_leader');
    const report = await validatePdf(readLatest(store.db, store.blobs, file!.id), { trust, online: true });
    const signatures = report.signatures.filter((s) => s.kind === 'signature');
    expect(signatures, `document ${id}`).toHaveLength(1);
    expect(signatures[0]).toMatchObject({ verdict: 'valid', level });
    const jobs = listJobs(store.db, { documentId: id, kind: 'sign' });
    expect(jobs).toHaveLength(1);
    expect(jobHistory(store.db, jobs[0]!.id).filter((h) => h.event === 'succeeded')).toHaveLength(1);
  }
}

describe('bulkSign', () => {
  it('signs 20 real PDFs with one login, reports progress, and lets a corrupt PDF fail alone', async () => {
    const store = open(tempDir());
    const docs = drafts(store, 20, [7]);
    const ids = docs.map((d) => d.id);
    const before = logins();
    const events: BulkProgress[] = [];
    const result = await bulkSign(store, ids, options(), pki.userPin, (p) => events.push(structuredClone(p)));

    expect(logins() - before).toBe(1);
    expect(result).toMatchObject({ resumed: false, total: 20, signed: 19, failed: 1, waiting: 0 });
    const bad = result.results.find((r) => r.documentId === ids[7]);
    expect(bad).toMatchObject({ status: 'failed', error: { code: expect.stringMatching(/^PDF_/), messageVi: expect.any(String), messageEn: expect.any(String) } });
    expect(getDocument(store.db, ids[7]!).state).toBe('needs_attention');
    expect(result.results.filter((r) => r.status === 'signed').every((r) => r.revision === 2 && r.level === 'B-B')).toBe(true);
    await expectSignedOnce(store, ids.filter((_, i) => i !== 7));

    // Progress: done climbs to the total, the current document is named, the failure is listed.
    expect(events.at(-1)).toMatchObject({ done: 20, total: 20 });
    expect(events.map((e) => e.done)).toEqual(events.map((e) => e.done).toSorted((a, b) => a - b));
    expect(events.some((e) => e.current?.subject === 'Văn bản số 8 ký hàng loạt')).toBe(true);
    expect(events.at(-1)!.errors).toEqual([expect.objectContaining({ documentId: ids[7], code: expect.stringMatching(/^PDF_/) })]);

    // Running it again signs nothing twice and asks the token for nothing.
    const again = await bulkSign(store, ids, options(), pki.userPin);
    expect(again).toMatchObject({ batchId: result.batchId, resumed: true, signed: 19, failed: 1 });
    expect(logins() - before).toBe(1);
    await expectSignedOnce(store, ids.filter((_, i) => i !== 7));
    store.close();
  }, 120_000);

  it('refuses a wrong PIN before signing anything, and the batch then resumes with the right one', async () => {
    const store = open(tempDir());
    const ids = drafts(store, 3).map((d) => d.id);
    await expect(bulkSign(store, ids, options(), '999999')).rejects.toMatchObject({ code: 'TOKEN_PIN_INCORRECT' });
    for (const id of ids) expect(listFiles(store.db, id)[0]!.revisions).toHaveLength(1);
    const result = await bulkSign(store, ids, options(), pki.userPin);
    expect(result).toMatchObject({ resumed: true, signed: 3 });
    await expectSignedOnce(store, ids);
    store.close();
  }, 60_000);

  it('fails a document whose file was deleted from the store behind its back, and signs the others', async () => {
    const store = open(tempDir());
    // Three different fixtures: each blob belongs to one document only.
    const docs = drafts(store, 3);
    const sha = listFiles(store.db, docs[1]!.id)[0]!.revisions[0]!.sha256;
    rmSync(store.blobs.pathOf(sha));
    const result = await bulkSign(store, docs.map((d) => d.id), options(), pki.userPin);
    expect(result).toMatchObject({ signed: 2, failed: 1 });
    expect(result.results[1]).toMatchObject({ status: 'failed', error: { code: 'STORE_BLOB_MISSING', messageVi: expect.stringContaining('không còn trong kho') } });
    expect(getDocument(store.db, docs[1]!.id).state).toBe('needs_attention');
    await expectSignedOnce(store, [docs[0]!.id, docs[2]!.id]);
    store.close();
  }, 60_000);

  it('stops on cancel: documents not reached stay unsigned; a new batch later signs only those', async () => {
    const store = open(tempDir());
    const ids = drafts(store, 10).map((d) => d.id);
    const controller = new AbortController();
    const first = await bulkSign(store, ids, options({ concurrency: 1, signal: controller.signal }), pki.userPin, (p) => {
      if (p.done >= 3) controller.abort();
    });
    expect(first.signed).toBeGreaterThanOrEqual(3);
    expect(first.signed).toBeLessThan(10);
    expect(first.results.filter((r) => r.status === 'cancelled')).toHaveLength(10 - first.signed);
    for (const r of first.results.filter((x) => x.status === 'cancelled')) {
      expect(listFiles(store.db, r.documentId)[0]!.revisions).toHaveLength(1);
      expect(getDocument(store.db, r.documentId).state).toBe('draft');
    }
    const second = await bulkSign(store, ids, options({ concurrency: 1 }), pki.userPin);
    expect(second).toMatchObject({ resumed: false, alreadySigned: first.signed, signed: 10 - first.signed, failed: 0 });
    await expectSignedOnce(store, ids.filter((id) => first.results.find((r) => r.documentId === id)!.status === 'signed'));
    for (const id of ids) expect(listFiles(store.db, id)[0]!.revisions.filter((r) => r.signatureKind === 'leader')).toHaveLength(1);
    store.close();
  }, 60_000);

  it('after a SIGKILL of the process running the batch, running it again signs each remaining document exactly once', async () => {
    const dir = tempDir();
    const store = open(dir);
    const ids = drafts(store, 20).map((d) => d.id);
    const child = spawnChild('bulk-sign', [dir, module, 'VANTHU LEADER', 'leader-rsa', pki.subCaDer, ids.join(','), 'B-B'], { stdin: `${pki.userPin}\n` });
    const done = collect(child);
    await waitForLine(child, /^progress (6|7|8|9) 20$/, 90_000);
    child.kill('SIGKILL');
    const killed = await done;
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const signedBefore = listJobs(store.db, { kind: 'sign', state: 'done' }).length;
    expect(signedBefore).toBeGreaterThanOrEqual(5);
    expect(signedBefore).toBeLessThan(20);

    const result = await bulkSign(store, ids, options(), pki.userPin);
    expect(result).toMatchObject({ resumed: true, signed: 20, failed: 0, waiting: 0 });
    await expectSignedOnce(store, ids);
    // The jobs the killed process held were handed over as its lease's owner was gone, not run twice.
    const takenOver = listJobs(store.db, { kind: 'sign' }).filter((j) => jobHistory(store.db, j.id).some((h) => h.event === 'lease_expired'));
    for (const job of takenOver) expect(jobHistory(store.db, job.id).filter((h) => h.event === 'succeeded')).toHaveLength(1);
    store.close();
  }, 180_000);

  it('when the token is pulled out mid-batch, the rest waits for it; plugged back in, the batch continues without signing twice', async () => {
    const store = open(tempDir());
    const ids = drafts(store, 12).map((d) => d.id);
    const directory = tokenDirectory('VANTHU LEADER');
    const aside = path.join(path.dirname(pki.tokenDir), 'pulled-out');
    let pulled = false;
    const before = logins();
    const first = await bulkSign(store, ids, options({ concurrency: 1 }), pki.userPin, (p) => {
      if (!pulled && p.done >= 4) {
        renameSync(directory, aside);
        pulled = true;
      }
    });
    expect(pulled).toBe(true);
    expect(first.signed).toBeGreaterThanOrEqual(4);
    expect(first.signed).toBeLessThan(12);
    expect(first.waiting).toBe(12 - first.signed);
    expect(first.results.filter((r) => r.status === 'waiting').every((r) => r.waitingFor === 'token' || r.waitingFor === 'login')).toBe(true);
    expect(first.results.some((r) => r.waitingFor === 'token')).toBe(true);

    renameSync(aside, directory);
    const second = await bulkSign(store, ids, options({ concurrency: 1 }), pki.userPin);
    expect(second).toMatchObject({ resumed: true, signed: 12, waiting: 0, failed: 0 });
    expect(logins() - before).toBe(2);
    await expectSignedOnce(store, ids);
    store.close();
  }, 120_000);

  it('with the TSA down signs B-B and queues upgrades; with the TSA back the upgrade jobs raise every document to B-T', async () => {
    const store = open(tempDir());
    const ids = drafts(store, 5).map((d) => d.id);
    tsa.mode = 'http-500';
    const result = await bulkSign(store, ids, options({ level: 'B-T', tsaUrl: tsa.url, logoutAfter: false }), pki.userPin);
    expect(result).toMatchObject({ signed: 5, failed: 0 });
    for (const r of result.results) {
      expect(r).toMatchObject({ status: 'signed', level: 'B-B', pendingLevel: 'B-T', upgradeJobId: expect.any(Number) });
      expect(getJob(store.db, r.upgradeJobId!)).toMatchObject({ kind: 'upgrade', state: 'pending', documentId: r.documentId });
    }
    await expectSignedOnce(store, ids, 'B-B');

    // Still down: the upgrades retry later with backoff, the documents keep their valid B-B signature.
    const keys = new TokenKeySource({ chain: chain() });
    const worker = createOutboxWorker(store, { keys, trust, pollMs: 20, backoff: { baseMs: 60_000, maxMs: 600_000 } });
    await worker.drain();
    for (const r of result.results) {
      const job = getJob(store.db, r.upgradeJobId!);
      expect(job).toMatchObject({ state: 'pending', attempts: 1, lastError: { code: 'TSA_HTTP_ERROR' } });
      expect(job.runAfter).toBeGreaterThan(Date.now());
      expect(getDocument(store.db, r.documentId).state).toBe('signed_by_leader');
    }

    tsa.mode = 'grant';
    expect(wakeUp(store.db, { kinds: ['upgrade'] })).toBe(5);
    await worker.drain();
    for (const r of result.results) {
      expect(getJob(store.db, r.upgradeJobId!)).toMatchObject({ state: 'done', attempts: 2, result: { level: 'B-T', revision: 3 } });
      const [file] = listFiles(store.db, r.documentId);
      expect(file!.revisions.map((rev) => [rev.signatureKind, rev.signatureLevel])).toEqual([
        ['none', 'none'],
        ['leader', 'B-B'],
        ['none', 'B-T'],
      ]);
      const report = await validatePdf(readLatest(store.db, store.blobs, file!.id), { trust, online: true });
      expect(report.verdict).toBe('valid');
      expect(report.signatures.map((s) => [s.kind, s.level])).toEqual([
        ['signature', 'B-T'],
        ['document-timestamp', expect.any(String)],
      ]);
    }
    await keys.logout(options().token);
    store.close();
  }, 120_000);
});

/** SoftHSM keeps each token in a directory whose token.object holds its label. */
function tokenDirectory(label: string): string {
  for (const entry of readdirSync(pki.tokenDir)) {
    const file = path.join(pki.tokenDir, entry, 'token.object');
    if (existsSync(file) && readFileSync(file).includes(Buffer.from(label))) return path.join(pki.tokenDir, entry);
  }
  throw new Error(`no token directory for ${label}`);
}
