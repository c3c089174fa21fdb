// Sign and upgrade jobs on SoftHSM tokens: waiting for a login and resuming after it, a refused certificate, a bad PDF, a file changed under the job.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cancelJob,
  createOutboxWorker,
  enqueueSign,
  getJob,
  jobHistory,
  listJobs,
  queueCounts,
  resumeWaiting,
  TokenKeySource,
  type TokenChoice,
} from '../../../../src/core/outbox/index.js';
import { addFile, addRevision, assignOutgoingNumber, getDocument, listFiles, open, readLatest, transition } from '../../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { discPng, fixture } from '../../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../../kit/pki.js';
import { draftWithPdf, tempDir } from './kit.js';

// Logs in and out of the tokens on purpose, so this file has its own copy of them.
const pki = usePrivateTokens();
let trust: TrustStore;
beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
});
afterAll(finalizeAllModules);

const leader: TokenChoice = { module: pki.module, label: 'VANTHU LEADER', cert: 'leader-rsa' };
const image = discPng(120, [20, 40, 200]);
const redSeal = discPng(110, [210, 20, 20]);
const placement = { page: 1, rect: [350, 100, 150, 75] as [number, number, number, number] };
const chain = (): Uint8Array[] => [new Uint8Array(readFileSync(pki.subCaDer))];

describe('sign jobs', () => {
  it('wait in "needs login" without spending attempts, then sign once the user logs in', async () => {
    const store = open(tempDir());
    const keys = new TokenKeySource({ chain: chain() });
    await keys.logout(leader);
    const docs = [draftWithPdf(store, fixture('classic-xref.pdf')), draftWithPdf(store, fixture('xref-stream.pdf'))];
    const jobs = docs.map((d) => enqueueSign(store, { documentId: d.id, token: leader, appearance: 'leader', level: 'B-B', image, ...placement, reason: 'Phê duyệt' }));
    const worker = createOutboxWorker(store, { keys, pollMs: 20 });

    await worker.drain();
    for (const job of jobs) {
      expect(getJob(store.db, job.id)).toMatchObject({ state: 'waiting', waitingFor: 'login', attempts: 0, lastError: { code: 'TOKEN_NOT_LOGGED_IN' } });
    }
    expect(queueCounts(store.db)).toMatchObject({ waiting: 2, waitingForLogin: 2 });
    for (const d of docs) expect(getDocument(store.db, d.id).state).toBe('draft');
    // Waiting jobs are not claimed again by themselves: nothing burns while the user is away.
    await worker.drain();
    expect(jobHistory(store.db, jobs[0]!.id).filter((h) => h.event === 'leased')).toHaveLength(1);

    await keys.login(leader, pki.userPin);
    expect(resumeWaiting(store.db, { waitingFor: 'login' })).toBe(2);
    await worker.drain();
    for (const [i, d] of docs.entries()) {
      expect(getJob(store.db, jobs[i]!.id)).toMatchObject({ state: 'done', attempts: 1, result: { revision: 2, level: 'B-B', pendingLevel: null } });
      expect(getDocument(store.db, d.id).state).toBe('signed_by_leader');
      const [file] = listFiles(store.db, d.id);
      expect(file!.revisions.map((r) => [r.revision, r.signatureKind, r.signatureLevel])).toEqual([
        [1, 'none', 'none'],
        [2, 'leader', 'B-B'],
      ]);
      expect(file!.revisions[1]!.signer).toBe('Nguyễn Thị Hồng Nhung');
      const report = await validatePdf(readLatest(store.db, store.blobs, d.fileId), { trust, online: true });
      expect(report.verdict).toBe('valid');
      expect(report.signatures.filter((s) => s.kind === 'signature')).toHaveLength(1);
    }
    await keys.logout(leader);
    store.close();
  });

  it("follows Decree 30's order in one lane: leader, then (after the number) the agency seal over it and the attachment stamp", async () => {
    const store = open(tempDir());
    const agency: TokenChoice = { module: pki.module, label: 'VANTHU AGENCY', cert: 'agency-rsa' };
    const keys = new TokenKeySource({ chain: chain() });
    await keys.login(leader, pki.userPin);
    await keys.login(agency, pki.userPin);
    const worker = createOutboxWorker(store, { keys, pollMs: 20 });
    const doc = draftWithPdf(store, fixture('object-streams.pdf'));
    const { fileId: attachmentId } = addFile(store.db, store.blobs, doc.id, { role: 'attachment', name: 'phu-luc.pdf', bytes: fixture('classic-xref.pdf') });

    enqueueSign(store, { documentId: doc.id, token: leader, appearance: 'leader', level: 'B-B', image, ...placement });
    // Queued behind the leader's signature, before any number exists: refused without a signature spent.
    const tooEarly = enqueueSign(store, { documentId: doc.id, token: agency, appearance: 'seal', level: 'B-B', image: redSeal });
    await worker.drain();
    expect(getDocument(store.db, doc.id).state).toBe('needs_attention');
    expect(getJob(store.db, tooEarly.id)).toMatchObject({ state: 'needs_attention', lastError: { code: 'STORE_TRANSITION_NOT_ALLOWED' } });
    expect(listFiles(store.db, doc.id)[0]!.revisions.map((r) => r.signatureKind)).toEqual(['none', 'leader']);
    cancelJob(store.db, tooEarly.id);

    // The clerk puts it back, the register gives the number, then seal and attachment stamp run in order.
    transition(store.db, doc.id, 'signed_by_leader', { reason: 'đã xử lý' });
    const { codeNumber } = assignOutgoingNumber(store.db, doc.id);
    const seal = enqueueSign(store, { documentId: doc.id, token: agency, appearance: 'seal', level: 'B-B', image: redSeal });
    const stamp = enqueueSign(store, {
      documentId: doc.id,
      fileId: attachmentId,
      token: agency,
      appearance: 'attachment',
      level: 'B-B',
      documentNotation: `${codeNumber}/UBND-VP`,
    });
    await worker.drain();
    expect(getJob(store.db, seal.id).state).toBe('done');
    expect(getJob(store.db, stamp.id).state).toBe('done');
    expect(getDocument(store.db, doc.id).state).toBe('issued');
    const [main, attachment] = listFiles(store.db, doc.id);
    expect(main!.revisions.map((r) => [r.signatureKind, r.signer])).toEqual([
      ['none', null],
      ['leader', 'Nguyễn Thị Hồng Nhung'],
      ['seal', 'UBND tỉnh Cao Bằng'],
    ]);
    expect(attachment!.revisions.map((r) => r.signatureKind)).toEqual(['none', 'attachment']);
    const mainReport = await validatePdf(readLatest(store.db, store.blobs, main!.id), { trust, online: true });
    expect(mainReport.verdict).toBe('valid');
    expect(mainReport.signatures.map((s) => s.signer?.subject.commonName)).toEqual(['Nguyễn Thị Hồng Nhung', 'UBND tỉnh Cao Bằng']);
    const attachmentReport = await validatePdf(readLatest(store.db, store.blobs, attachment!.id), { trust, online: true });
    expect(attachmentReport.verdict).toBe('valid');
    expect(attachmentReport.signatures).toHaveLength(1);
    await keys.logout(leader);
    await keys.logout(agency);
    store.close();
  });

  it('runs two signatures queued together on one file, each on the revision the step before stored', async () => {
    const store = open(tempDir());
    const keys = new TokenKeySource({ chain: chain() });
    await keys.login(leader, pki.userPin);
    const doc = draftWithPdf(store, fixture('xref-stream.pdf'));
    const first = enqueueSign(store, { documentId: doc.id, token: leader, appearance: 'leader', level: 'B-B', invisible: true });
    // A co-signer (the EC key) queued at the same time: same base revision, runs after the first.
    const second = enqueueSign(store, { documentId: doc.id, token: { ...leader, cert: 'leader-ec' }, appearance: 'leader', level: 'B-B', invisible: true, transitionTo: null });
    expect(second.payload.baseRevision).toBe(first.payload.baseRevision);
    await createOutboxWorker(store, { keys, pollMs: 20 }).drain();
    expect(getJob(store.db, first.id).result).toMatchObject({ revision: 2 });
    expect(getJob(store.db, second.id).result).toMatchObject({ revision: 3 });
    const report = await validatePdf(readLatest(store.db, store.blobs, doc.fileId), { trust, online: true });
    expect(report.signatures.map((s) => [s.verdict, s.signer?.publicKey.type])).toEqual([
      ['valid', 'rsa'],
      ['valid', 'ec'],
    ]);
    await keys.logout(leader);
    store.close();
  });

  it('sends a bad PDF and a refused certificate to needs_attention with the reason; a file changed after queueing is not signed', async () => {
    const store = open(tempDir());
    const keys = new TokenKeySource({ chain: chain(), trust });
    await keys.login(leader, pki.userPin);
    const broken = draftWithPdf(store, new TextEncoder().encode('%PDF-1.7\nnot really a PDF at all\n'));
    const changed = draftWithPdf(store, fixture('classic-xref.pdf'));
    const brokenJob = enqueueSign(store, { documentId: broken.id, token: leader, appearance: 'leader', level: 'B-B', invisible: true });
    const changedJob = enqueueSign(store, { documentId: changed.id, token: leader, appearance: 'leader', level: 'B-B', invisible: true });
    // Someone stores another version of the file after the signature was queued.
    addRevision(store.db, store.blobs, changed.fileId, { bytes: fixture('with-form.pdf') });
    const revoked = draftWithPdf(store, fixture('object-streams.pdf'));
    const revokedJob = enqueueSign(store, {
      documentId: revoked.id,
      token: { module: pki.module, label: 'VANTHU REVOKED', cert: pki.revoked.label },
      appearance: 'leader',
      level: 'B-B',
      invisible: true,
    });

    await createOutboxWorker(store, { keys, pollMs: 20 }).drain();
    expect(getJob(store.db, brokenJob.id)).toMatchObject({ state: 'needs_attention', attempts: 1, lastError: { code: expect.stringMatching(/^PDF_/) } });
    expect(getDocument(store.db, broken.id).state).toBe('needs_attention');
    expect(getJob(store.db, changedJob.id)).toMatchObject({ state: 'needs_attention', lastError: { code: 'OUTBOX_FILE_CHANGED' } });
    expect(listFiles(store.db, changed.id)[0]!.revisions.map((r) => r.signatureKind)).toEqual(['none', 'none']);
    const refused = getJob(store.db, revokedJob.id);
    expect(refused).toMatchObject({ state: 'needs_attention', lastError: { code: 'SIGNING_CERTIFICATE_REFUSED' } });
    expect(refused.lastError!.messageVi).toContain('Không ký bằng chứng thư số');
    expect(refused.lastError!.messageEn).toMatch(/revoked/i);
    expect(getDocument(store.db, revoked.id).state).toBe('needs_attention');
    expect(listFiles(store.db, revoked.id)[0]!.revisions).toHaveLength(1);
    // Nothing was stored for any of them.
    expect(listJobs(store.db, { state: 'done' })).toEqual([]);
    await keys.logout(leader);
    store.close();
  });
});
