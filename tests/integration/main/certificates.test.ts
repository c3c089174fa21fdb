// Certificates as the pickers see them, through the real handlers with SoftHSM tokens and the test PKI's OCSP/CRL: revocation status, a signature image per certificate, the text-only stamp.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDraft } from '../../../src/core/drafting/index.js';
import { addFile, createDocument, getDocument, JsonFileSettingsStore, listFiles, readLatest } from '../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../src/core/trust/index.js';
import { validatePdf } from '../../../src/core/validation/index.js';
import { createDispatcher, type Dispatch } from '../../../src/main/ipc/dispatcher.js';
import { startRuntime, type AppRuntime } from '../../../src/main/runtime.js';
import { createHandlers } from '../../../src/main/services.js';
import type { IpcResult } from '../../../src/shared/ipc-contract.js';
import { samples } from '../../fixtures/drafting/samples.js';
import { discPng, pdfsig, writeTemp } from '../../kit/pdf-tools.js';
import { usePki } from '../../kit/pki.js';

const pki = usePki();
let runtime: AppRuntime;
let trust: TrustStore;
let settings: JsonFileSettingsStore;
let dispatch: Dispatch;
let dataDir: string;

type Listed = { tokens: { label: string; serial: string; certificates: { id: string; label: string; certificate: { sha256: string; der: string; isCA: boolean } }[] }[] }[];

async function ok<T>(result: Promise<IpcResult<unknown>>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new Error(`${settled.error.code}: ${settled.error.messageEn}`);
  return settled.value as T;
}

async function certificateOn(label: string, id: string) {
  const listed = await ok<Listed>(dispatch('tokens.list', { modulePaths: [pki.module] }));
  const token = listed.flatMap((m) => m.tokens).find((t) => t.label === label)!;
  return { token: { modulePath: pki.module, serial: token.serial, label }, ...token.certificates.find((c) => c.label === id)!.certificate };
}

async function newDocument(): Promise<{ id: number; fileId: number }> {
  const { id } = createDocument(runtime.store.db, 'outgoing', {
    organId: '000.00.14.H14',
    organName: 'Ủy ban nhân dân tỉnh Cao Bằng',
    codeNotation: 'UBND-VP',
    subject: 'Về việc thử ảnh chữ ký theo chứng thư số',
    signerFullName: 'Nguyễn Thị Hồng Nhung',
    signerPosition: 'Chủ tịch',
    recipients: [{ organId: '000.00.00.G22', organName: 'Văn phòng Chính phủ' }],
  });
  const { fileId } = addFile(runtime.store.db, runtime.store.blobs, id, { role: 'main', name: 'cong-van.pdf', bytes: await renderDraft(samples['cong-van']) });
  return { id, fileId };
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-certs-'));
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  runtime = await startRuntime({ dataDir, modulePaths: [pki.module], trust, tokenPollMs: 60_000 });
  settings = new JsonFileSettingsStore(path.join(dataDir, 'settings.json'));
  dispatch = createDispatcher(createHandlers({ version: 'test', userModulePaths: () => [], runtime, settings, trust }), (error) => console.error(error));
}, 60_000);
afterAll(async () => {
  await runtime?.close();
  await finalizeAllModules();
});

describe('certificates.revocation', () => {
  it('says "revoked" for the test PKI revoked certificate and "good" for the leader, from OCSP, and keeps the answers', async () => {
    const revoked = await certificateOn(pki.revoked.token, pki.revoked.label);
    const leader = await certificateOn('VANTHU LEADER', 'leader-rsa');
    const statuses = await ok<{ sha256: string; status: string; revokedAt: string | null }[]>(dispatch('certificates.revocation', { certificates: [revoked.der, leader.der] }));
    expect(statuses).toEqual([
      { sha256: revoked.sha256, status: 'revoked', revokedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) },
      { sha256: leader.sha256, status: 'good', revokedAt: null },
    ]);
    // The answers were kept in the store's revocation cache (issue 14): the next picker asks no responder.
    const kept = runtime.store.db.prepare('SELECT COUNT(*) AS n FROM revocation_cache').get() as { n: number };
    expect(kept.n).toBeGreaterThan(0);
  }, 60_000);

  it('says "unknown" for a certificate that does not chain to a trusted root (no network asked for it)', async () => {
    const untrusted = createDispatcher(createHandlers({ version: 'test', userModulePaths: () => [], runtime, settings, trust: { roots: [] } }), () => undefined);
    const leader = await certificateOn('VANTHU LEADER', 'leader-rsa');
    const statuses = await ok<{ status: string }[]>(untrusted('certificates.revocation', { certificates: [leader.der] }));
    expect(statuses.map((s) => s.status)).toEqual(['unknown']);
  });
});

describe('signature image per certificate', () => {
  it('keeps one image per certificate, reports a vanished file before the PIN, and signs with the text-only stamp that validates (core and pdfsig)', async () => {
    const leader = await certificateOn('VANTHU LEADER', 'leader-rsa');
    const ec = await certificateOn('VANTHU LEADER', 'leader-ec');
    const blue = Buffer.from(discPng(120, [20, 40, 200])).toString('base64');
    const set = await ok<{ image: { pngBase64: string; perCertificate: boolean } | null; problem: unknown }>(
      dispatch('signing.setImage', { certificateSha256: leader.sha256, pngBase64: blue }),
    );
    expect(set).toEqual({ image: { pngBase64: blue, perCertificate: true }, problem: null });
    // The other certificate of the same person has none of its own.
    expect(await ok(dispatch('signing.image', { certificateSha256: ec.sha256 }))).toEqual({ image: null, problem: null });
    // Something that is not a PNG is refused and changes nothing.
    const refused = await dispatch('signing.setImage', { certificateSha256: ec.sha256, pngBase64: Buffer.from('not a picture at all').toString('base64') });
    expect(refused.ok).toBe(false);
    expect(settings.get().signatureImages).toEqual({ [leader.sha256]: path.join(dataDir, 'images', `signature-${leader.sha256}.png`) });

    // The file vanishes: the dialog hears it before the PIN, and signing is refused before the token is touched.
    rmSync(settings.get().signatureImages![leader.sha256]!);
    const view = await ok<{ image: unknown; problem: { vi: string } | null }>(dispatch('signing.image', { certificateSha256: leader.sha256 }));
    expect(view.image).toBeNull();
    expect(view.problem?.vi).toContain(`signature-${leader.sha256}.png`);
    const doc = await newDocument();
    const choice = { token: leader.token, certificateId: 'leader-rsa' };
    const missing = await dispatch('signing.sign', { documentId: doc.id, ...choice, pin: 'never-used', appearance: 'leader', level: 'B-B' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'SIGNING_IMAGE_FILE_MISSING' } });
    expect(getDocument(runtime.store.db, doc.id).state).toBe('draft');

    // The text-only stamp: no image at all, "Ký bởi" and the time above the printed name.
    const signed = await ok<{ state: string; report: { verdict: string } }>(
      dispatch('signing.sign', { documentId: doc.id, ...choice, pin: pki.userPin, appearance: 'leader', level: 'B-B', textOnly: true }),
    );
    expect(signed).toMatchObject({ state: 'signed_by_leader', report: { verdict: 'valid' } });
    const bytes = readLatest(runtime.store.db, runtime.store.blobs, doc.fileId);
    const imageCount = (pdf: Uint8Array) => Buffer.from(pdf).toString('latin1').split('/Subtype /Image').length - 1;
    // Text only: the signature added no image to the page.
    const unsigned = runtime.store.blobs.read(listFiles(runtime.store.db, doc.id)[0]!.revisions[0]!.sha256);
    expect(imageCount(bytes)).toBe(imageCount(unsigned));
    expect((await validatePdf(bytes, { trust, online: true })).verdict).toBe('valid');
    expect(pdfsig(writeTemp('text-stamp.pdf', bytes), pki.nssDbSpec).map((s) => s.signatureValidation)).toEqual(['Signature is Valid.']);
    expect(listFiles(runtime.store.db, doc.id)[0]!.revisions.map((r) => r.signatureKind)).toEqual(['none', 'leader']);
  }, 120_000);
});

describe('bulk signing with a certificate\'s own image', () => {
  it('draws the image of the chosen certificate, not the machine-wide one', async () => {
    const ec = await certificateOn('VANTHU LEADER', 'leader-ec');
    const red = Buffer.from(discPng(90, [200, 10, 10])).toString('base64');
    await ok(dispatch('signing.setImage', { certificateSha256: ec.sha256, pngBase64: red }));
    const doc = await newDocument();
    const before = readLatest(runtime.store.db, runtime.store.blobs, doc.fileId);
    const { runId } = await ok<{ runId: string }>(
      dispatch('bulk.start', { documentIds: [doc.id], token: { module: pki.module, label: 'VANTHU LEADER', serial: ec.token.serial, cert: 'leader-ec' }, pin: pki.userPin, appearance: 'leader', level: 'B-B' }),
    );
    expect(runId).toBeTruthy();
    const deadline = Date.now() + 60_000;
    while (getDocument(runtime.store.db, doc.id).state !== 'signed_by_leader' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(getDocument(runtime.store.db, doc.id).state).toBe('signed_by_leader');
    const after = readLatest(runtime.store.db, runtime.store.blobs, doc.fileId);
    const images = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1').split('/Subtype /Image').length - 1;
    // The signature's appearance carries an image XObject the unsigned draft did not have.
    expect(images(after)).toBeGreaterThan(images(before));
  }, 90_000);
});
