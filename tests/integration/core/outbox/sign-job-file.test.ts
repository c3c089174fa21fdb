// The sign and upgrade jobs write their output as a file adopted by the blob store: what is recorded is what is stored, valid, built on the latest revision, with no temp file left.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxWorker, enqueueSign, getJob, TokenKeySource, wakeUp, type TokenChoice } from '../../../../src/core/outbox/index.js';
import { listFiles, open, sha256Hex, type Store } from '../../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { startFakeTsa, type FakeTsa } from '../../../kit/fake-tsa.js';
import { discPng, fixture, pdfsig } from '../../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../../kit/pki.js';
import { draftWithPdf, tempDir } from './kit.js';

// Logs in and out of the tokens, so this file has its own copy of them.
const pki = usePrivateTokens();
let trust: TrustStore;
let tsa: FakeTsa;
beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  tsa = await startFakeTsa(pki);
});
afterAll(async () => {
  await tsa?.close();
  await finalizeAllModules();
});

const leader: TokenChoice = { module: pki.module, label: 'VANTHU LEADER', cert: 'leader-rsa' };
const keys = (): TokenKeySource => new TokenKeySource({ chain: [new Uint8Array(readFileSync(pki.subCaDer))] });

/** The latest revision's stored file: its hash and size are those recorded, and it starts with the previous revision's bytes. */
function checkRecorded(store: Store, documentId: number): Buffer {
  const revisions = listFiles(store.db, documentId)[0]!.revisions;
  const latest = revisions.at(-1)!;
  const previous = revisions.at(-2)!;
  const file = store.blobs.pathOf(latest.sha256);
  const bytes = readFileSync(file);
  expect(sha256Hex(bytes)).toBe(latest.sha256);
  expect(statSync(file).size).toBe(latest.size);
  const before = readFileSync(store.blobs.pathOf(previous.sha256));
  expect(bytes.subarray(0, before.length).equals(before)).toBe(true);
  expect(bytes.length).toBeGreaterThan(before.length);
  expect(store.db.prepare<unknown[], number>('SELECT size FROM blobs WHERE sha256 = ?').pluck().get(latest.sha256)).toBe(bytes.length);
  return bytes;
}

describe('sign and upgrade jobs write through the blob store', () => {
  it('a visible B-B leader signature: recorded hash = stored file, valid for our validator and pdfsig, temp folder empty', async () => {
    const store = open(tempDir());
    const k = keys();
    await k.login(leader, pki.userPin);
    const doc = draftWithPdf(store, fixture('xref-stream.pdf'));
    const job = enqueueSign(store, { documentId: doc.id, token: leader, appearance: 'leader', level: 'B-B', image: discPng(120, [20, 40, 200]), page: 1, rect: [350, 100, 150, 75] });
    await createOutboxWorker(store, { keys: k, pollMs: 20 }).drain();

    expect(getJob(store.db, job.id)).toMatchObject({ state: 'done', result: { revision: 2, level: 'B-B' } });
    const bytes = checkRecorded(store, doc.id);
    const report = await validatePdf(bytes, { trust, online: true });
    expect(report.verdict).toBe('valid');
    expect(pdfsig(store.blobs.pathOf(sha256Hex(bytes)), pki.nssDbSpec)).toEqual([
      expect.objectContaining({ signatureValidation: 'Signature is Valid.', totalDocumentSigned: true }),
    ]);
    expect(readdirSync(store.blobs.tmpDir)).toEqual([]);
    await k.logout(leader);
    store.close();
  });

  it.each(['B-LT', 'B-LTA'] as const)('%s straight away (its updates appended to the file after the signature), valid offline', async (level) => {
    const store = open(tempDir());
    const k = keys();
    await k.login(leader, pki.userPin);
    const doc = draftWithPdf(store, fixture('classic-xref.pdf'));
    const job = enqueueSign(store, { documentId: doc.id, token: leader, appearance: 'leader', level, tsaUrl: tsa.url, invisible: true });
    await createOutboxWorker(store, { keys: k, trust, pollMs: 20 }).drain();

    expect(getJob(store.db, job.id)).toMatchObject({ state: 'done', result: { level, pendingLevel: null } });
    const report = await validatePdf(checkRecorded(store, doc.id), { trust, online: false });
    expect(report.verdict).toBe('valid');
    expect(report.signatures[0]).toMatchObject({ level, revocation: { status: 'good' } });
    expect(report.signatures.map((s) => s.kind)).toEqual(level === 'B-LTA' ? ['signature', 'document-timestamp'] : ['signature']);
    expect(readdirSync(store.blobs.tmpDir)).toEqual([]);
    await k.logout(leader);
    store.close();
  });

  it('with the TSA down signs B-B; the upgrade job then raises it to B-LT (document timestamp, then DSS) as a new stored revision', async () => {
    const store = open(tempDir());
    const k = keys();
    await k.login(leader, pki.userPin);
    const doc = draftWithPdf(store, fixture('object-streams.pdf'));
    tsa.mode = 'http-500';
    const job = enqueueSign(store, { documentId: doc.id, token: leader, appearance: 'leader', level: 'B-LT', tsaUrl: tsa.url, invisible: true });
    const worker = createOutboxWorker(store, { keys: k, trust, pollMs: 20, backoff: { baseMs: 60_000, maxMs: 600_000 } });
    try {
      await worker.drain();
    } finally {
      tsa.mode = 'grant';
    }
    const signed = getJob(store.db, job.id);
    expect(signed).toMatchObject({ state: 'done', result: { revision: 2, level: 'B-B', pendingLevel: 'B-LT', upgradeJobId: expect.any(Number) } });
    checkRecorded(store, doc.id);

    // Its first try, if it came while the TSA was down, waits out a long backoff: run it now.
    wakeUp(store.db, { kinds: ['upgrade'] });
    await worker.drain();
    const upgradeJobId = (signed.result as { upgradeJobId: number }).upgradeJobId;
    expect(getJob(store.db, upgradeJobId)).toMatchObject({ state: 'done', result: { level: 'B-LT', revision: 3, already: false } });
    expect(listFiles(store.db, doc.id)[0]!.revisions.map((r) => [r.revision, r.signatureKind, r.signatureLevel])).toEqual([
      [1, 'none', 'none'],
      [2, 'leader', 'B-B'],
      [3, 'none', 'B-LT'],
    ]);
    const report = await validatePdf(checkRecorded(store, doc.id), { trust, online: false });
    expect(report.verdict).toBe('valid');
    expect(report.signatures.map((s) => [s.kind, s.verdict])).toEqual([
      ['signature', 'valid'],
      ['document-timestamp', 'valid'],
    ]);
    expect(readdirSync(store.blobs.tmpDir)).toEqual([]);
    await k.logout(leader);
    store.close();
  });

  it('a job that fails (a file pdf-lib cannot read) stores nothing and leaves no temp file', async () => {
    const store = open(tempDir());
    const k = keys();
    await k.login(leader, pki.userPin);
    const broken = draftWithPdf(store, new TextEncoder().encode('%PDF-1.7\nnot really a PDF at all\n'));
    const job = enqueueSign(store, { documentId: broken.id, token: leader, appearance: 'leader', level: 'B-B', invisible: true });
    await createOutboxWorker(store, { keys: k, pollMs: 20 }).drain();
    expect(getJob(store.db, job.id)).toMatchObject({ state: 'needs_attention', lastError: { code: expect.stringMatching(/^PDF_/) } });
    expect(listFiles(store.db, broken.id)[0]!.revisions).toHaveLength(1);
    expect(readdirSync(store.blobs.tmpDir)).toEqual([]);
    expect(store.db.prepare<unknown[], number>('SELECT count(*) FROM blobs').pluck().get()).toBe(1);
    await k.logout(leader);
    store.close();
  });
});
