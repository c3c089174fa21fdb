// Two agencies' app runtimes against the real exchange server on loopback: a send arrives through the runtime's pulling, the recipient accepts through the handlers, the sender sees 03 live.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagHeld } from '../../../src/core/exchange/index.js';
import { signPdf } from '../../../src/core/signing/index.js';
import { getDocument, JsonFileSettingsStore } from '../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../src/core/trust/index.js';
import { createDispatcher, type Dispatch } from '../../../src/main/ipc/dispatcher.js';
import { startRuntime, type AppRuntime } from '../../../src/main/runtime.js';
import { createHandlers } from '../../../src/main/services.js';
import type { IpcEventName } from '../../../src/shared/ipc-contract.js';
import { discPng, fixture } from '../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../kit/pki.js';
import { encodeGreyPng } from '../../kit/png.js';
import { logoutAll } from '../../kit/signing-key.js';
import { CAO_BANG, NOI_VU, ORIGIN, startTestServer, testKeys, type TestServer } from '../server/kit.js';
import { issuedDocument } from '../core/exchange/issued-document.js';

const pki = usePrivateTokens();
let server: TestServer;
let url: string;
let trust: TrustStore;
let goodPdf: Uint8Array;
/** More sealed copies: a sending is known by its files, so each document sent in this file has its own. */
let misaddressedPdf: Uint8Array;
let afterLogoutPdf: Uint8Array;
let subCa: Uint8Array;
const dirs: string[] = [];

interface Agency {
  runtime: AppRuntime;
  dispatch: Dispatch;
  events: { name: IpcEventName; payload: unknown }[];
  settings: JsonFileSettingsStore;
}
const agencies: Agency[] = [];

const derOfPem = (pem: string): Uint8Array => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));

const waitFor = async (check: () => boolean, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

async function call<T>(agency: Agency, channel: string, request: unknown): Promise<T> {
  const result = await agency.dispatch(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.messageEn}`);
  return result.value as T;
}

/** One agency's app: its own data dir and settings, logging in to the server with `cert` on `token`. */
async function startAgency(token: string, cert: string): Promise<Agency> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-agency-'));
  dirs.push(dataDir);
  const settings = new JsonFileSettingsStore(path.join(dataDir, 'settings.json'));
  settings.set({ serverUrl: url, exchangeLogin: { module: pki.module, label: token, cert } });
  const runtime = await startRuntime({ dataDir, modulePaths: [pki.module], trust, tokenPollMs: 60_000, settings: settings.get(), chain: [subCa], exchange: { origin: ORIGIN, pollMs: 300 } });
  const events: Agency['events'] = [];
  const dispatch = createDispatcher(createHandlers({ version: 'test', userModulePaths: () => [pki.module], runtime, settings, trust, emit: (name, payload) => void events.push({ name, payload }) }));
  const agency = { runtime, dispatch, events, settings };
  agencies.push(agency);
  return agency;
}

beforeAll(async () => {
  const keys = await testKeys(pki);
  const byLeader = await signPdf(fixture('classic-xref.pdf'), keys.leader, { reason: 'Phê duyệt' });
  goodPdf = (await signPdf(byLeader.bytes, keys.agency, {})).bytes;
  misaddressedPdf = (await signPdf(byLeader.bytes, keys.agency, { reason: 'Gửi nhầm nơi nhận' })).bytes;
  afterLogoutPdf = (await signPdf(byLeader.bytes, keys.agency, { reason: 'Gửi sau khi đăng nhập lại' })).bytes;
  // The apps unlock their tokens themselves (sync.login); the kit's logins are undone first.
  await logoutAll();
  server = await startTestServer(pki, keys, 'sqlite');
  url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  subCa = derOfPem(readFileSync(pki.subCaPem, 'utf8'));
}, 120_000);

afterAll(async () => {
  for (const agency of agencies) await agency.runtime.close();
  await server?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await finalizeAllModules();
});

describe('the app runtime with the exchange server', () => {
  it('sends from A, B receives by pulling, verifies, registers and accepts; A sees 03 and hears of it', async () => {
    const a = await startAgency('VANTHU AGENCY', 'agency-rsa');
    const b = await startAgency('VANTHU SPARE', 'spare-rsa');
    // Configured but locked: the screen asks for the PIN.
    expect(await call(a, 'sync.status', {})).toMatchObject({ configured: true, needsLogin: true, agency: null });

    expect(await call(a, 'sync.login', { pin: pki.userPin })).toMatchObject({ configured: true, online: true, needsLogin: false, agency: { organId: CAO_BANG } });
    expect(await call(b, 'sync.login', { pin: pki.userPin })).toMatchObject({ agency: { organId: NOI_VU } });
    // The login also caches the server's directory, so compose can address agencies offline.
    expect((await call<{ agencies: unknown[] }>(a, 'directory.list', { query: 'noi vu' })).agencies).toEqual([expect.objectContaining({ organId: NOI_VU })]);

    const documentId = issuedDocument(a.runtime.store, 'Gửi qua ứng dụng', goodPdf);
    a.runtime.exchange.engine!.send(documentId);
    await waitFor(() => getDocument(a.runtime.store.db, documentId).state === 'sent');

    // B's runtime pulls on the server's poke (or its poll) and tells the renderer.
    await waitFor(() => b.events.some((e) => e.name === 'inbox.arrived'));
    const arrived = b.events.find((e) => e.name === 'inbox.arrived')!.payload as { count: number; documentIds: number[] };
    expect(arrived.count).toBe(1);
    const incomingId = arrived.documentIds[0]!;

    const list = await call<{ items: { documentId: number; subject: string; state: string }[] }>(b, 'inbox.list', {});
    expect(list.items).toEqual([expect.objectContaining({ documentId: incomingId, subject: 'Gửi qua ứng dụng', state: 'registered' })]);
    const detail = await call<{ organName: string; files: { name: string; report: { verdict: string; signatures: { signerName: string; trustedChain: boolean; coversWholeFile: boolean }[] } }[] }>(b, 'inbox.get', { documentId: incomingId });
    expect(detail.organName).toBe('UBND tỉnh Cao Bằng');
    expect(detail.files[0]!.report.verdict).toBe('valid');
    expect(detail.files[0]!.report.signatures.map((s) => s.signerName)).toEqual(['Nguyễn Thị Hồng Nhung', 'UBND tỉnh Cao Bằng']);
    expect(detail.files[0]!.report.signatures.at(-1)).toMatchObject({ trustedChain: true, coversWholeFile: true });

    // Held for a re-check (as a pull does when a responder is silent): listed so, and "Kiểm tra lại ngay" clears it through the engine.
    flagHeld(b.runtime.store.db, { documentId: incomingId, messageId: 'held-for-test', reason: 'cong-van.pdf: indeterminate (REVOCATION_UNKNOWN) — x' });
    const heldList = await call<{ items: { held: { outcome: string; reason: string } | null; verifiedOnArrival: boolean }[] }>(b, 'inbox.list', {});
    expect(heldList.items[0]).toMatchObject({ held: { outcome: 'indeterminate', reason: expect.stringContaining('REVOCATION_UNKNOWN') as unknown }, verifiedOnArrival: false });
    expect(await call(b, 'inbox.recheck', { documentId: incomingId })).toEqual({ held: null, state: 'registered' });
    expect((await call<{ held: unknown }>(b, 'inbox.get', { documentId: incomingId })).held).toBeNull();

    // Taken in with its incoming number already: "register" answers the same number.
    expect(await call(b, 'inbox.register', { documentId: incomingId })).toMatchObject({ arrivalNumber: 1 });
    expect(await call(b, 'inbox.accept', { documentId: incomingId })).toEqual({ state: 'accepted' });
    expect(getDocument(b.runtime.store.db, incomingId).state).toBe('accepted');

    // A's status feed (poked by the server, or polled) moves the recipient to 03 and the renderer hears it.
    await waitFor(() => a.events.some((e) => e.name === 'documents.statusChanged' && (e.payload as { code: string }).code === '03'));
    expect(a.events.filter((e) => e.name === 'documents.statusChanged').map((e) => e.payload)).toContainEqual({ documentId, recipient: NOI_VU, code: '03' });
    expect(getDocument(a.runtime.store.db, documentId).recipients[0]).toMatchObject({ organId: NOI_VU, status: '03' });
    expect(a.events.some((e) => e.name === 'sync.changed')).toBe(true);
  }, 90_000);

  it('rejects with a reason: the sender sees 02 with it', async () => {
    const [a, b] = agencies as [Agency, Agency];
    const documentId = issuedDocument(a.runtime.store, 'Gửi nhầm nơi nhận', misaddressedPdf);
    a.runtime.exchange.engine!.send(documentId);
    const before = b.events.filter((e) => e.name === 'inbox.arrived').length;
    await waitFor(() => b.events.filter((e) => e.name === 'inbox.arrived').length > before);
    const { documentIds } = b.events.filter((e) => e.name === 'inbox.arrived').at(-1)!.payload as { documentIds: number[] };
    const refused = await b.dispatch('inbox.reject', { documentId: documentIds[0], reason: '' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await call(b, 'inbox.reject', { documentId: documentIds[0], reason: 'Gửi nhầm cơ quan' })).toEqual({ state: 'rejected' });
    await waitFor(() => getDocument(a.runtime.store.db, documentId).recipients[0]?.status === '02');
    expect(getDocument(a.runtime.store.db, documentId).recipients[0]).toMatchObject({ status: '02' });
  }, 60_000);

  it('a send whose token was logged out waits, the screen is told to ask for the PIN, and the PIN sends it', async () => {
    const [a] = agencies as [Agency];
    const choice = a.settings.get().exchangeLogin!;
    // The token forgot its login (pulled out, logged out) and the server's bearer is gone too.
    await a.runtime.keys.logout(choice);
    a.runtime.exchange.engine!.client.logout();
    const documentId = issuedDocument(a.runtime.store, 'Gửi khi token đã đăng xuất', afterLogoutPdf);
    const seen = a.events.length;
    a.runtime.exchange.engine!.send(documentId);
    await waitFor(() => a.events.slice(seen).some((e) => e.name === 'sync.changed' && (e.payload as { needsLogin: boolean }).needsLogin));
    expect(await call(a, 'sync.status', {})).toMatchObject({ needsLogin: true, queued: 2 });
    expect(getDocument(a.runtime.store.db, documentId).state).toBe('queued');

    expect(await call(a, 'sync.login', { pin: pki.userPin })).toMatchObject({ needsLogin: false, agency: { organId: CAO_BANG } });
    await waitFor(() => getDocument(a.runtime.store.db, documentId).state === 'sent');
  }, 60_000);

  it('settings refuse a signature image without transparency and keep one with it', async () => {
    const [a] = agencies as [Agency];
    const opaque = encodeGreyPng({ width: 40, height: 20, pixels: new Uint8Array(800).fill(200) });
    const refused = await a.dispatch('settings.set', { signatureImage: Buffer.from(opaque).toString('base64') });
    expect(refused).toMatchObject({ ok: false, error: { code: 'PDF_IMAGE_INVALID' } });
    if (!refused.ok) expect(refused.error.messageVi).toContain('không có nền trong suốt');
    expect(a.settings.get().signatureImagePath).toBeNull();

    const transparent = discPng(60, [20, 40, 200]);
    const saved = await call<{ signatureImage: { path: string; pngBase64: string } }>(a, 'settings.set', { signatureImage: Buffer.from(transparent).toString('base64'), receiptConfirmation: 'manual' });
    expect(saved.signatureImage.path).toBe(path.join(a.runtime.store.dataDir, 'images', 'signature.png'));
    expect(Buffer.from(saved.signatureImage.pngBase64, 'base64').equals(Buffer.from(transparent))).toBe(true);
    expect(a.settings.get().signatureImagePath).toBe(saved.signatureImage.path);
  });

  it('verify.file says in words that a signed PDF is valid and a tampered one is not', async () => {
    const [a] = agencies as [Agency];
    const good = await call<{ verdict: string; summaryVi: string }>(a, 'verify.file', { name: 'cong-van.pdf', contentBase64: Buffer.from(goodPdf).toString('base64') });
    expect(good.verdict).toBe('valid');

    // One byte of the signed content changed (inside the first signed range, outside the signature value).
    const tampered = Buffer.from(goodPdf);
    const at = tampered.indexOf('Tj', 0, 'latin1') - 3;
    tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
    const bad = await call<{ verdict: string; summaryVi: string; signatures: { intact: boolean; findings: { messageVi: string }[] }[] }>(a, 'verify.file', { name: 'da-sua.pdf', contentBase64: tampered.toString('base64') });
    expect(bad.verdict).toBe('invalid');
    expect(bad.signatures.some((s) => !s.intact)).toBe(true);
    expect(bad.signatures.flatMap((s) => s.findings.map((f) => f.messageVi)).join(' ')).toContain('đã bị thay đổi sau khi ký');

    const tooBig = await a.dispatch('verify.file', { name: 'x.pdf', contentBase64: 'not base64!' });
    expect(tooBig).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });

  it('diagnostics report the token module, the server reachable and the store', async () => {
    const [a] = agencies as [Agency];
    const report = await call<{ modules: { path: string; loaded: boolean; tokens: number }[]; server: { reachable: boolean }; tsa: { configured: boolean }; store: { ok: boolean; documents: number } }>(a, 'diagnostics.report', {});
    expect(report.server.reachable).toBe(true);
    expect(report.tsa.configured).toBe(false);
    expect(report.store).toMatchObject({ ok: true });
    expect(report.store.documents).toBeGreaterThanOrEqual(1);
    expect(report.modules.find((m) => m.path === pki.module)).toMatchObject({ loaded: true });
  });
});
