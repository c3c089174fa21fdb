// Nothing fails silently, in Chromium with the real runtime, SoftHSM token and exchange server: a refused send shows why on the row, the
// document page and the notification area; edit-and-resend ends sent, cancel takes it out of the outbox, retry after the server is back ends sent.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listJobs } from '../../../src/core/outbox/index.js';
import { getDocument, JsonFileSettingsStore, type Store } from '../../../src/core/store/index.js';
import { signPdf } from '../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../src/core/trust/index.js';
import { startRuntime, type AppRuntime } from '../../../src/main/runtime.js';
import { startFaultProxy, type FaultProxy } from '../../kit/fault-proxy.js';
import { discPng, fixture } from '../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../kit/pki.js';
import { logoutAll } from '../../kit/signing-key.js';
import { issuedDocument } from '../../integration/core/exchange/issued-document.js';
import { CAO_BANG, NOI_VU, ORIGIN, startTestServer, testKeys, withContentAddedAfterSigning, type TestServer } from '../../integration/server/kit.js';
import { buildRendererOnce } from '../kit/build-renderer.js';
import { openRenderer, type Harness } from '../kit/browser-harness.js';

const pki = usePrivateTokens();
const SHOTS = '.tmp/screenshots';
const UNKNOWN = '000.00.77.H14';
const WRONG = 'Về việc báo cáo chuyển đổi số gửi nhầm nơi nhận';
const CHANGED = 'Về việc kế hoạch năm 2027 có tệp sửa sau khi ký';
const OFFLINE = 'Về việc lịch họp gửi khi máy chủ tạm ngừng';
const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];

let server: TestServer;
let proxy: FaultProxy;
let trust: TrustStore;
let runtime: AppRuntime;
let harness: Harness;
const ids: Record<string, number> = {};
const dirs: string[] = [];

const derOfPem = (pem: string): Uint8Array => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
const shots = async (page: Page, name: string): Promise<void> => {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `${SHOTS}/attention-${name}-${size.width}x${size.height}.png`, fullPage: false });
  }
  await page.setViewportSize(SIZES[0]!);
};
const liveJobs = (store: Store, id: number) => listJobs(store.db, { documentId: id }).filter((j) => !['done', 'cancelled'].includes(j.state));

beforeAll(async () => {
  buildRendererOnce();
  mkdirSync(SHOTS, { recursive: true });
  const keys = await testKeys(pki);
  // The documents to send, sealed by the agency's certificate before the kit's logins are undone.
  // Three different files: a send's message id comes from its files and recipients.
  const sealed = async (name: string): Promise<Uint8Array> => (await signPdf(fixture(name), keys.agency, { reason: 'Phát hành' })).bytes;
  const wrongPdf = await sealed('xref-stream.pdf');
  const changedPdf = await withContentAddedAfterSigning(await sealed('classic-xref.pdf'));
  const offlinePdf = await sealed('object-streams.pdf');
  await logoutAll();
  server = await startTestServer(pki, keys, 'sqlite');
  const url = new URL(await server.app.listen({ port: 0, host: '127.0.0.1' }));
  proxy = await startFaultProxy({ host: url.hostname, port: Number(url.port) });
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });

  const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-e2e-attention-'));
  dirs.push(dataDir);
  writeFileSync(path.join(dataDir, 'con-dau.png'), discPng(110, [210, 20, 20]));
  const settings = new JsonFileSettingsStore(path.join(dataDir, 'settings.json'));
  settings.set({ serverUrl: proxy.url, exchangeLogin: { module: pki.module, label: 'VANTHU AGENCY', cert: 'agency-rsa' }, sealImagePath: path.join(dataDir, 'con-dau.png') });
  runtime = await startRuntime({
    dataDir,
    modulePaths: [pki.module],
    trust,
    chain: [derOfPem(readFileSync(pki.subCaPem, 'utf8'))],
    tokenPollMs: 60_000,
    settings: settings.get(),
    exchange: { origin: ORIGIN, pollMs: 300 },
  });
  const { store } = runtime;
  ids.wrong = issuedDocument(store, WRONG, wrongPdf);
  store.db.prepare('UPDATE document_recipients SET organ_id = ?, organ_name = ? WHERE document_id = ?').run(UNKNOWN, 'Sở Khoa học tỉnh Bắc Kạn', ids.wrong);
  ids.changed = issuedDocument(store, CHANGED, changedPdf);
  ids.offline = issuedDocument(store, OFFLINE, offlinePdf);
  harness = await openRenderer({ version: 'test', userModulePaths: () => [pki.module], runtime, settings, trust });
  await harness.page.setViewportSize(SIZES[0]!);
}, 180_000);

afterAll(async () => {
  await harness?.close();
  await runtime?.close();
  await proxy?.close();
  await server?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await finalizeAllModules();
});

const nav = (name: string) => harness.page.getByRole('navigation').getByRole('button', { name, exact: true });

async function openDocument(subject: string): Promise<void> {
  const { page } = harness;
  await nav('Văn bản').click();
  await page.getByRole('tab', { name: 'Văn bản đi' }).click();
  await page.getByRole('list', { name: 'Danh sách văn bản' }).getByRole('button', { name: new RegExp(subject) }).click();
  await page.getByRole('heading', { name: subject }).waitFor();
}

/** Gửi, then the confirmation that lists the recipients. */
async function send(recipientLine: string): Promise<void> {
  const { page } = harness;
  await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Gửi', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Gửi văn bản?' });
  await expect(dialog.getByRole('listitem').allTextContents()).resolves.toEqual([recipientLine]);
  await dialog.getByRole('button', { name: 'Gửi', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Đã đưa văn bản vào hàng đợi gửi' }).waitFor();
}

describe('nothing fails silently', { timeout: 120_000 }, () => {
  it('the clerk logs in to the exchange server (the directory comes with it)', async () => {
    const { page } = harness;
    await nav('Văn bản đến').click();
    const bar = page.getByRole('region', { name: 'Kết nối máy chủ trao đổi' });
    await bar.getByLabel('Mã PIN token đơn vị').fill(pki.userPin);
    await bar.getByRole('button', { name: 'Đăng nhập máy chủ' }).click();
    await bar.getByText(`Đơn vị: UBND tỉnh Cao Bằng (${CAO_BANG})`).waitFor({ timeout: 30_000 });
  });

  it('a recipient the server does not know: the reason on the document page, the row and the notification', async () => {
    const { page } = harness;
    await openDocument(WRONG);
    await send(`Sở Khoa học tỉnh Bắc Kạn Mã định danh: ${UNKNOWN}`);
    const panel = page.getByRole('region', { name: 'Cần xử lý', exact: true });
    await panel.waitFor({ timeout: 30_000 });
    const words = (await panel.textContent())!;
    expect(words).toContain(`Máy chủ trao đổi không biết cơ quan nhận (mã định danh ${UNKNOWN})`);
    expect(words).toMatch(/Lúc: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}/);
    expect(words).not.toMatch(/SERVER_|EXCHANGE_|[0-9a-f]{8}-[0-9a-f]{4}-/);
    await expect(panel.getByRole('group', { name: 'Việc có thể làm' }).getByRole('button').allTextContents()).resolves.toEqual([
      'Sửa nơi nhận và gửi lại',
      'Liên hệ cơ quan nhận',
      'Hủy gửi',
    ]);
    const states = page.getByRole('region', { name: 'Tình trạng từng nơi nhận' });
    await states.getByText('Chưa gửi được').waitFor();
    await panel.getByRole('button', { name: 'Liên hệ cơ quan nhận' }).click();
    await panel.getByText('Không có trong danh bạ của máy chủ trao đổi').waitFor();
    await shots(page, 'document');
    // The same panel in English.
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    const english = page.getByRole('region', { name: 'Needs attention', exact: true });
    await expect(english.textContent()).resolves.toContain(`The exchange server does not know the recipient (organ id ${UNKNOWN})`);
    await english.getByRole('button', { name: 'Edit recipients and resend' }).waitFor();
    await page.getByLabel('Language').selectOption('vi');

    // The notification area in the frame lists it and opens it.
    const bell = page.getByRole('button', { name: 'Thông báo: 1 văn bản cần xử lý' });
    await bell.waitFor({ timeout: 15_000 });
    await bell.click();
    const notices = page.getByRole('region', { name: 'Văn bản cần xử lý' });
    await expect(notices.textContent()).resolves.toContain(`Máy chủ trao đổi không biết cơ quan nhận (mã định danh ${UNKNOWN}).`);
    await shots(page, 'notification');
    await notices.getByRole('button', { name: new RegExp(WRONG) }).click();
    await page.getByRole('heading', { name: WRONG }).waitFor();

    // The register row carries the short reason under its state.
    await nav('Văn bản').click();
    const row = page.getByRole('list', { name: 'Danh sách văn bản' }).getByRole('button', { name: new RegExp(WRONG) });
    await expect(row.textContent()).resolves.toContain('Cần xử lý');
    await expect(row.textContent()).resolves.toContain(`Máy chủ trao đổi không biết cơ quan nhận (mã định danh ${UNKNOWN}).`);
    await shots(page, 'row');
  });

  it('edit and resend to the right agency ends sent', async () => {
    const { page } = harness;
    await openDocument(WRONG);
    const panel = page.getByRole('region', { name: 'Cần xử lý', exact: true });
    await panel.getByRole('button', { name: 'Sửa nơi nhận và gửi lại' }).click();
    await panel.getByRole('button', { name: 'Bỏ Sở Khoa học tỉnh Bắc Kạn' }).click();
    await panel.getByLabel('Tìm cơ quan nhận (tên hoặc mã định danh)').fill('Nội vụ');
    await panel.getByRole('button', { name: 'Thêm Sở Nội vụ tỉnh Cao Bằng' }).click();
    await panel.getByRole('button', { name: 'Gửi lại tới các nơi nhận này' }).click();
    await expect.poll(() => getDocument(runtime.store.db, ids.wrong!).state, { timeout: 60_000 }).toBe('sent');
    expect(getDocument(runtime.store.db, ids.wrong!).recipients.map((r) => r.organId)).toEqual([NOI_VU]);
    const states = page.getByRole('region', { name: 'Tình trạng từng nơi nhận' });
    await states.getByRole('listitem').filter({ hasText: 'Sở Nội vụ tỉnh Cao Bằng' }).filter({ hasText: /Đã gửi|Đã đến/ }).waitFor({ timeout: 30_000 });
    await expect(page.getByRole('region', { name: 'Cần xử lý', exact: true }).count()).resolves.toBe(0);
    await shots(page, 'resent');
  });

  it('a file whose signature does not cover it: the reason says sign again; cancel takes it out of the outbox', async () => {
    const { page } = harness;
    await openDocument(CHANGED);
    await send(`Sở Nội vụ tỉnh Cao Bằng Mã định danh: ${NOI_VU}`);
    const panel = page.getByRole('region', { name: 'Cần xử lý', exact: true });
    await panel.waitFor({ timeout: 30_000 });
    await expect(panel.textContent()).resolves.toContain('có nội dung thêm vào sau chữ ký cuối cùng');
    await expect(panel.getByRole('group', { name: 'Việc có thể làm' }).getByRole('button').allTextContents()).resolves.toEqual(['Mở để ký lại', 'Hủy gửi']);
    await shots(page, 'file-refused');
    page.once('dialog', (dialog) => void dialog.accept());
    await panel.getByRole('button', { name: 'Hủy gửi' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã hủy gửi. Văn bản vẫn được giữ cùng lịch sử xử lý.' }).waitFor();
    expect(getDocument(runtime.store.db, ids.changed!).state).toBe('issued');
    expect(liveJobs(runtime.store, ids.changed!)).toEqual([]);
    await nav('Văn bản').click();
    await page.getByRole('tab', { name: 'Hàng đợi gửi' }).click();
    await expect(page.getByRole('list', { name: 'Danh sách văn bản' }).getByRole('button', { name: new RegExp(CHANGED) }).count()).resolves.toBe(0);
  });

  it('the server cannot be reached: the next automatic try is shown; retry after it is back ends sent', async () => {
    const { page } = harness;
    proxy.setDown(true);
    await openDocument(OFFLINE);
    await send(`Sở Nội vụ tỉnh Cao Bằng Mã định danh: ${NOI_VU}`);
    const panel = page.getByRole('region', { name: 'Đang chờ gửi lại' });
    await panel.waitFor({ timeout: 30_000 });
    await expect(panel.textContent()).resolves.toContain('Chưa kết nối được máy chủ trao đổi');
    await expect(panel.textContent()).resolves.toMatch(/Tự thử lại lúc: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}/);
    await shots(page, 'retrying');
    proxy.setDown(false);
    await panel.getByRole('button', { name: 'Thử lại' }).click();
    await expect.poll(() => getDocument(runtime.store.db, ids.offline!).state, { timeout: 90_000, interval: 500 }).toBe('sent');
    await page.getByRole('region', { name: 'Tình trạng từng nơi nhận' }).getByRole('listitem').filter({ hasText: /Đã gửi|Đã đến/ }).waitFor({ timeout: 30_000 });
  });
});
