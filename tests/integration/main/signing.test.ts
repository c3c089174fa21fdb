// The document page's handlers under Node with SoftHSM tokens and a real store: leader signs, clerk issues with the agency key, refusals change nothing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDraft } from '../../../src/core/drafting/index.js';
import { listJobs } from '../../../src/core/outbox/index.js';
import { addFile, createDocument, getDocument, JsonFileSettingsStore, listFiles, readLatest, registerNumbers } from '../../../src/core/store/index.js';
import { finalizeAllModules, TokenSession } from '../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../src/core/trust/index.js';
import { validatePdf } from '../../../src/core/validation/index.js';
import { createDispatcher, type Dispatch } from '../../../src/main/ipc/dispatcher.js';
import { startRuntime, type AppRuntime } from '../../../src/main/runtime.js';
import { createHandlers } from '../../../src/main/services.js';
import type { IpcResult } from '../../../src/shared/ipc-contract.js';
import { samples } from '../../fixtures/drafting/samples.js';
import { discPng, fixture, pdfsig, writeTemp } from '../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../kit/pki.js';

// Wrong PINs are typed on purpose: this file has its own copy of the tokens.
const pki = usePrivateTokens();
let runtime: AppRuntime;
let trust: TrustStore;
let dispatch: Dispatch;
const events: { event: string; payload: unknown }[] = [];

const tokenRef = (label: string) => {
  const token = runtime.watcher.tokens.find((t) => t.label === label);
  if (!token) throw new Error(`no token ${label}`);
  return { modulePath: pki.module, serial: token.serial, label: token.label };
};
const leader = () => ({ token: tokenRef('VANTHU LEADER'), certificateId: 'leader-rsa' });
const agency = () => ({ token: tokenRef('VANTHU AGENCY'), certificateId: 'agency-rsa' });

async function ok<T = Record<string, unknown>>(result: Promise<IpcResult<unknown>>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new Error(`${settled.error.code}: ${settled.error.messageEn}`);
  return settled.value as T;
}

async function newDocument(): Promise<{ id: number; fileId: number }> {
  const { id } = createDocument(runtime.store.db, 'outgoing', {
    organId: '000.00.14.H14',
    organName: 'Ủy ban nhân dân tỉnh Cao Bằng',
    codeNotation: 'UBND-VP',
    subject: 'Về việc triển khai ký số văn bản điện tử',
    signerFullName: 'Nguyễn Thị Hồng Nhung',
    signerPosition: 'Chủ tịch',
    recipients: [{ organId: '000.00.00.G22', organName: 'Văn phòng Chính phủ' }],
  });
  const pdf = await renderDraft(samples['cong-van']);
  const { fileId } = addFile(runtime.store.db, runtime.store.blobs, id, { role: 'main', name: 'cong-van.pdf', bytes: pdf });
  return { id, fileId };
}

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-signing-'));
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  runtime = await startRuntime({ dataDir, modulePaths: [pki.module], trust, tokenPollMs: 60_000 });
  const images = mkdtempSync(path.join(tmpdir(), 'vanthu-images-'));
  writeFileSync(path.join(images, 'chu-ky.png'), discPng(120, [20, 40, 200]));
  writeFileSync(path.join(images, 'con-dau.png'), discPng(110, [210, 20, 20]));
  const settings = new JsonFileSettingsStore(path.join(dataDir, 'settings.json'));
  settings.set({ signatureImagePath: path.join(images, 'chu-ky.png'), sealImagePath: path.join(images, 'con-dau.png') });
  dispatch = createDispatcher(
    createHandlers({ version: 'test', userModulePaths: () => [], runtime, settings, trust, emit: (event, payload) => events.push({ event, payload }) }),
    (error) => console.error(error),
  );
}, 60_000);
afterAll(async () => {
  await runtime?.close();
  await finalizeAllModules();
});

describe('document page handlers', () => {
  it('refuses to issue before the leader signed, in both languages, and takes no number', async () => {
    const doc = await newDocument();
    const result = await dispatch('signing.issue', { documentId: doc.id, ...agency(), pin: pki.userPin });
    expect(result).toMatchObject({ ok: false, error: { code: 'SIGNING_NOT_SIGNED_BY_LEADER' } });
    if (result.ok) return;
    expect(result.error.messageVi).toContain('chưa được người có thẩm quyền ký');
    expect(result.error.messageEn).toContain('has not been signed by the competent person');
    expect(getDocument(runtime.store.db, doc.id)).toMatchObject({ state: 'draft' });
    expect(getDocument(runtime.store.db, doc.id).codeNumber).toBeUndefined();
  });

  it('refuses a wrong PIN with the tries-left warning and leaves the document as it was', async () => {
    const doc = await newDocument();
    const result = await dispatch('signing.sign', { documentId: doc.id, ...leader(), pin: '000000', appearance: 'leader', level: 'B-B' });
    expect(result).toMatchObject({ ok: false, error: { code: 'TOKEN_PIN_INCORRECT' } });
    if (result.ok) return;
    // SoftHSM raises CKF_USER_PIN_COUNT_LOW after a wrong PIN: the message says few tries are left.
    expect(result.error.messageVi).toContain('Còn ít lần thử');
    expect(JSON.stringify(result)).not.toContain('000000');
    expect(getDocument(runtime.store.db, doc.id).state).toBe('draft');
    expect(listFiles(runtime.store.db, doc.id)[0]!.revisions).toHaveLength(1);
    expect(listJobs(runtime.store.db, { documentId: doc.id })).toEqual([]);
    const flags = await ok<{ tokens: { label: string; flags: { userPinCountLow: boolean } }[] }[]>(dispatch('tokens.list', { modulePaths: [pki.module] }));
    expect(flags[0]!.tokens.find((t) => t.label === 'VANTHU LEADER')!.flags.userPinCountLow).toBe(true);
    // No progress event or anything else carries the PIN.
    expect(JSON.stringify(events)).not.toContain('000000');
  });

  it('signs as the leader at the suggested place, issues with the agency key, and both signatures validate (core and pdfsig)', async () => {
    const doc = await newDocument();
    const placed = await ok<{ page: number; rect: number[] }>(dispatch('signing.suggestPlacement', { documentId: doc.id, appearance: 'leader' }));
    expect(placed.page).toBe(1);
    expect(placed.rect[3]).toBeGreaterThan(40);

    const signed = await ok<{ revision: number; level: string; state: string; report: { verdict: string } }>(
      dispatch('signing.sign', { documentId: doc.id, ...leader(), pin: pki.userPin, appearance: 'leader', level: 'B-B', page: placed.page, rect: placed.rect as [number, number, number, number] }),
    );
    expect(signed).toMatchObject({ revision: 2, level: 'B-B', state: 'signed_by_leader', report: { verdict: 'valid' } });
    // The signature went through the outbox's durable sign job.
    expect(listJobs(runtime.store.db, { documentId: doc.id }).map((j) => [j.kind, j.state])).toEqual([['sign', 'done']]);
    // The login the dialog made is ended after the signature.
    const leaderSession = await TokenSession.open(pki.module, { label: 'VANTHU LEADER' });
    expect(await leaderSession.isLoggedIn()).toBe(false);
    expect(events.filter((e) => (e.payload as { documentId: number }).documentId === doc.id).map((e) => (e.payload as { step: string }).step)).toEqual([
      'certificate',
      'signing',
      'stored',
    ]);

    const panel = await ok<{ signatures: { signer: string; issuer: string; intact: boolean; trusted: boolean; coversWholeDocument: boolean }[] }>(
      dispatch('document.signatures', { documentId: doc.id, fileId: doc.fileId }),
    );
    expect(panel.signatures).toEqual([expect.objectContaining({ signer: 'Nguyễn Thị Hồng Nhung', intact: true, trusted: true, coversWholeDocument: true })]);

    const issued = await ok<{ codeNumber: string; issuedDate: string; state: string; revision: number; report: { verdict: string } }>(
      dispatch('signing.issue', { documentId: doc.id, ...agency(), pin: pki.userPin }),
    );
    expect(issued).toMatchObject({ state: 'issued', revision: 3, report: { verdict: 'valid' } });
    expect(issued.codeNumber).toMatch(/^\d{2,}$/);
    const year = Number(issued.issuedDate.slice(0, 4));
    expect(registerNumbers(runtime.store.db, 'outgoing', '000.00.14.H14', year)).toContain(Number(issued.codeNumber));
    expect(listFiles(runtime.store.db, doc.id)[0]!.revisions.map((r) => [r.signatureKind, r.signer])).toEqual([
      ['none', null],
      ['leader', 'Nguyễn Thị Hồng Nhung'],
      ['seal', 'UBND tỉnh Cao Bằng'],
    ]);

    const bytes = readLatest(runtime.store.db, runtime.store.blobs, doc.fileId);
    const report = await validatePdf(bytes, { trust, online: true });
    expect(report.verdict).toBe('valid');
    expect(report.signatures.map((s) => [s.signer?.subject.commonName, s.integrity.digestMatches && s.integrity.signatureValid])).toEqual([
      ['Nguyễn Thị Hồng Nhung', true],
      ['UBND tỉnh Cao Bằng', true],
    ]);
    const judged = pdfsig(writeTemp('issued.pdf', bytes), pki.nssDbSpec);
    expect(judged.map((s) => s.signatureValidation)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    expect(judged[1]!.totalDocumentSigned).toBe(true);

    // The viewer gets the issued revision; the details list every revision.
    const file = await ok<{ revision: number; contentBase64: string }>(dispatch('document.file', { documentId: doc.id, fileId: doc.fileId }));
    expect(file.revision).toBe(3);
    expect(Buffer.from(file.contentBase64, 'base64').equals(Buffer.from(bytes))).toBe(true);
    const details = await ok<{ state: string; codeNumber: string; files: { revisions: unknown[] }[] }>(dispatch('document.details', { documentId: doc.id }));
    expect(details).toMatchObject({ state: 'issued', codeNumber: issued.codeNumber });
    expect(details.files[0]!.revisions).toHaveLength(3);

    // An attachment sent as its own file gets the agency's stamp with the main document's number (Decree 30).
    const { fileId: attachmentId } = addFile(runtime.store.db, runtime.store.blobs, doc.id, { role: 'attachment', name: 'phu-luc.pdf', bytes: fixture('classic-xref.pdf') });
    const stamped = await ok<{ revision: number; state: string; report: { verdict: string } }>(
      dispatch('signing.sign', { documentId: doc.id, fileId: attachmentId, ...agency(), pin: pki.userPin, appearance: 'attachment', level: 'B-B' }),
    );
    expect(stamped).toMatchObject({ revision: 2, state: 'issued', report: { verdict: 'valid' } });
    expect(listFiles(runtime.store.db, doc.id)[1]!.revisions.map((r) => r.signatureKind)).toEqual(['none', 'attachment']);

    // Send: the outbox holds the upload and submit jobs, the document is queued.
    const sent = await ok<{ messageId: string; state: string }>(dispatch('document.send', { documentId: doc.id }));
    expect(sent.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(getDocument(runtime.store.db, doc.id).state).toBe('queued');
    expect(listJobs(runtime.store.db, { documentId: doc.id }).map((j) => j.kind)).toEqual(expect.arrayContaining(['upload', 'submit']));
  }, 120_000);

  it('refuses before the PIN a page without the signer name, and takes back a failed outbox job: cancelled, the document a draft again, the file untouched, the login ended', async () => {
    const { id } = createDocument(runtime.store.db, 'outgoing', { organId: '000.00.14.H14', subject: 'Văn bản không có tên người ký' });
    addFile(runtime.store.db, runtime.store.blobs, id, { role: 'main', name: 'khong-ten.pdf', bytes: fixture('classic-xref.pdf') });
    const unplaced = await dispatch('signing.sign', { documentId: id, ...leader(), pin: pki.userPin, appearance: 'leader', level: 'B-B' });
    expect(unplaced).toMatchObject({ ok: false, error: { code: 'APPEARANCE_SIGNER_NAME_NOT_FOUND' } });
    expect(listJobs(runtime.store.db, { documentId: id })).toEqual([]);

    const broken = createDocument(runtime.store.db, 'outgoing', { organId: '000.00.14.H14', subject: 'Tệp hỏng' }).id;
    addFile(runtime.store.db, runtime.store.blobs, broken, { role: 'main', name: 'hong.pdf', bytes: new TextEncoder().encode('%PDF-1.7\nnot really a PDF at all\n') });
    // With a box, the job runs and fails in the outbox (the file cannot be read) after the PIN.
    const failed = await dispatch('signing.sign', { documentId: broken, ...leader(), pin: pki.userPin, appearance: 'leader', level: 'B-B', page: 1, rect: [300, 100, 150, 75] });
    expect(failed).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^PDF_/) } });
    expect(getDocument(runtime.store.db, broken).state).toBe('draft');
    expect(listFiles(runtime.store.db, broken)[0]!.revisions).toHaveLength(1);
    expect(listJobs(runtime.store.db, { documentId: broken }).map((j) => j.state)).toEqual(['cancelled']);
    expect(await (await TokenSession.open(pki.module, { label: 'VANTHU LEADER' })).isLoggedIn()).toBe(false);
  });

  it('signs twice with the same certificate in one session (each after its own login)', async () => {
    for (let i = 0; i < 2; i++) {
      const doc = await newDocument();
      const signed = await ok<{ revision: number }>(dispatch('signing.sign', { documentId: doc.id, ...leader(), pin: pki.userPin, appearance: 'leader', level: 'B-B' }));
      expect(signed.revision).toBe(2);
    }
  });

  it('signs an electronic copy with the copy stamp, leaving the state as it is', async () => {
    const doc = await newDocument();
    const placed = await ok<{ page: number; rect: [number, number, number, number] }>(dispatch('signing.suggestPlacement', { documentId: doc.id, appearance: 'copy' }));
    expect(placed.page).toBe(1);
    expect(placed.rect[0]).toBeGreaterThan(300); // top right
    const copy = await ok<{ revision: number; state: string; report: { verdict: string } }>(
      dispatch('signing.sign', { documentId: doc.id, ...agency(), pin: pki.userPin, appearance: 'copy', copyType: 'SAO Y', level: 'B-B' }),
    );
    expect(copy).toMatchObject({ revision: 2, state: 'draft', report: { verdict: 'valid' } });
    expect(listFiles(runtime.store.db, doc.id)[0]!.revisions.map((r) => r.signatureKind)).toEqual(['none', 'copy']);
  });

  it('refuses requests outside the contract without echoing them', async () => {
    const big = await dispatch('signing.sign', { documentId: 1, ...leader(), pin: 'x'.repeat(65), appearance: 'leader', level: 'B-B' });
    expect(big).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(JSON.stringify(big)).not.toContain('xxxx');
    expect(await dispatch('document.file', { documentId: 1, fileId: 1, extra: true })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });
});
