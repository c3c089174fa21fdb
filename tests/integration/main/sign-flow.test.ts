// signDirectly (the seal at issuing, the copy stamp) signs into the blob store and adopts the file: the outcome names the stored revision, which is valid; a failure stores nothing and leaves no temp file.
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDraft } from '../../../src/core/drafting/index.js';
import { listJobs, type TokenChoice } from '../../../src/core/outbox/index.js';
import { addFile, addRevision, createDocument, getDocument, listFiles, sha256Hex } from '../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../src/core/trust/index.js';
import { validatePdf } from '../../../src/core/validation/index.js';
import { fileOf, signDirectly, type DirectSignRequest, type SignOutcome } from '../../../src/main/handlers/signing/sign-flow.js';
import { startRuntime, type AppRuntime } from '../../../src/main/runtime.js';
import { samples } from '../../fixtures/drafting/samples.js';
import { startFakeTsa, type FakeTsa } from '../../kit/fake-tsa.js';
import { discPng, fixture, pdfsig } from '../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../kit/pki.js';

// Logs in and out of the agency token, so this file has its own copy of the tokens.
const pki = usePrivateTokens();
let runtime: AppRuntime;
let trust: TrustStore;
let tsa: FakeTsa;
const agency: TokenChoice = { module: pki.module, label: 'VANTHU AGENCY', cert: 'agency-rsa' };

beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  tsa = await startFakeTsa(pki);
  runtime = await startRuntime({ dataDir: mkdtempSync(path.join(tmpdir(), 'vanthu-sign-flow-')), modulePaths: [pki.module], trust, tokenPollMs: 60_000 });
  await runtime.keys.login(agency, pki.userPin);
}, 60_000);
afterAll(async () => {
  await runtime?.keys.logout(agency).catch(() => undefined);
  await runtime?.close();
  await tsa?.close();
  await finalizeAllModules();
});

function draft(pdf: Uint8Array): { id: number; fileId: number } {
  const { id } = createDocument(runtime.store.db, 'outgoing', { organId: '000.00.14.H14', organName: 'Ủy ban nhân dân tỉnh Cao Bằng', codeNotation: 'UBND-VP', subject: 'Về việc ký số trực tiếp' });
  const { fileId } = addFile(runtime.store.db, runtime.store.blobs, id, { role: 'main', name: `van-ban-${id}.pdf`, bytes: pdf });
  return { id, fileId };
}

const copyStamp = (documentId: number, overrides: Partial<DirectSignRequest> = {}): DirectSignRequest => ({
  store: runtime.store,
  runtime,
  documentId,
  file: fileOf(runtime.store, documentId, undefined),
  choice: agency,
  level: 'B-B',
  trust,
  kind: 'copy',
  appearance: { appearance: 'copy', copyType: 'SAO Y', copyingAgency: 'Văn phòng Ủy ban nhân dân tỉnh Cao Bằng' },
  transitionTo: null,
  ...overrides,
});

/** The outcome names the latest revision; its stored file has that hash and size, and begins with the revision before it. */
function storedFileOf(documentId: number, outcome: SignOutcome): Buffer {
  const revisions = listFiles(runtime.store.db, documentId)[0]!.revisions;
  const latest = revisions.at(-1)!;
  expect(latest).toMatchObject({ revision: outcome.revision, sha256: outcome.sha256, size: outcome.size });
  const file = runtime.store.blobs.pathOf(outcome.sha256);
  const bytes = readFileSync(file);
  expect(sha256Hex(bytes)).toBe(outcome.sha256);
  expect(statSync(file).size).toBe(outcome.size);
  const before = readFileSync(runtime.store.blobs.pathOf(revisions.at(-2)!.sha256));
  expect(bytes.subarray(0, before.length).equals(before)).toBe(true);
  expect(bytes.length).toBeGreaterThan(before.length);
  return bytes;
}

const blobCount = (): number => runtime.store.db.prepare<unknown[], number>('SELECT count(*) FROM blobs').pluck().get()!;

describe('signDirectly writes through the blob store', () => {
  it('a B-B copy stamp: the outcome is the stored revision (hash, size), valid for our validator and pdfsig, the state unchanged, no temp file left', async () => {
    const doc = draft(fixture('xref-stream.pdf'));
    const outcome = await signDirectly(copyStamp(doc.id));
    expect(outcome).toMatchObject({ revision: 2, level: 'B-B', pendingLevel: null });
    expect(outcome).not.toHaveProperty('bytes');
    const bytes = storedFileOf(doc.id, outcome);
    expect(listFiles(runtime.store.db, doc.id)[0]!.revisions.map((r) => [r.signatureKind, r.signer])).toEqual([
      ['none', null],
      ['copy', 'UBND tỉnh Cao Bằng'],
    ]);
    expect(getDocument(runtime.store.db, doc.id).state).toBe('draft');
    expect((await validatePdf(bytes, { trust, online: true })).verdict).toBe('valid');
    expect(pdfsig(runtime.store.blobs.pathOf(outcome.sha256), pki.nssDbSpec)).toEqual([
      expect.objectContaining({ signatureValidation: 'Signature is Valid.', totalDocumentSigned: true }),
    ]);
    expect(readdirSync(runtime.store.blobs.tmpDir)).toEqual([]);
  });

  it('a B-LT seal with the number and date written in (page text read, validation data appended after the signature), valid offline', async () => {
    const doc = draft(await renderDraft(samples['cong-van']));
    const outcome = await signDirectly(
      copyStamp(doc.id, {
        level: 'B-LT',
        tsaUrl: tsa.url,
        kind: 'seal',
        appearance: { appearance: 'seal', image: discPng(110, [210, 20, 20]), page: 1, rect: [60, 80, 100, 100], issuing: { number: '12/UBND-VP', date: '2026-12-07' } },
        reason: 'Phát hành số 12/UBND-VP',
      }),
    );
    expect(outcome).toMatchObject({ revision: 2, level: 'B-LT', pendingLevel: null });
    const report = await validatePdf(storedFileOf(doc.id, outcome), { trust, online: false });
    expect(report.verdict).toBe('valid');
    expect(report.signatures[0]).toMatchObject({ level: 'B-LT', revocation: { status: 'good' } });
    expect(listJobs(runtime.store.db, { documentId: doc.id })).toEqual([]);
    expect(readdirSync(runtime.store.blobs.tmpDir)).toEqual([]);
  });

  it('a file pdf-lib cannot read: refused, nothing stored, no temp file left', async () => {
    const doc = draft(new TextEncoder().encode('%PDF-1.7\nnot really a PDF at all\n'));
    const blobs = blobCount();
    await expect(signDirectly(copyStamp(doc.id))).rejects.toMatchObject({ code: expect.stringMatching(/^PDF_/) });
    expect(listFiles(runtime.store.db, doc.id)[0]!.revisions).toHaveLength(1);
    expect(blobCount()).toBe(blobs);
    expect(readdirSync(runtime.store.blobs.tmpDir)).toEqual([]);
  });

  it('a revision stored meanwhile is not overwritten: refused as changed, that revision stays the latest, no temp file left', async () => {
    const doc = draft(fixture('classic-xref.pdf'));
    const request = copyStamp(doc.id);
    // Someone stores revision 2 after the request took revision 1 to sign.
    const other = addRevision(runtime.store.db, runtime.store.blobs, doc.fileId, { bytes: fixture('object-streams.pdf') });
    await expect(signDirectly(request)).rejects.toMatchObject({ code: 'OUTBOX_FILE_CHANGED' });
    expect(listFiles(runtime.store.db, doc.id)[0]!.revisions.map((r) => [r.revision, r.sha256])).toEqual([
      [1, expect.any(String)],
      [2, other.sha256],
    ]);
    expect(getDocument(runtime.store.db, doc.id).state).toBe('draft');
    expect(readdirSync(runtime.store.blobs.tmpDir)).toEqual([]);
  });
});
