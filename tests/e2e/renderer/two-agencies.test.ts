// Two agencies, each with its own app (renderer in Chromium, real runtime, store and SoftHSM tokens), through the real exchange server:
// A's clerk composes, the leader signs, the clerk issues and seals and sends; B receives, verifies and accepts; A sees "Đã tiếp nhận";
// then B submits it to the leader, records the assignment with a deadline, marks it in progress and done, and A sees "Đã phân công", "Đang xử lý", "Hoàn thành".
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDraft } from '../../../src/core/drafting/index.js';
import { getDocument, JsonFileSettingsStore, listDocuments, listFiles, readLatest } from '../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../src/core/trust/index.js';
import { validatePdf } from '../../../src/core/validation/index.js';
import { startRuntime, type AppRuntime } from '../../../src/main/runtime.js';
import { vietnamDate, vietnamToday } from '../../../src/shared/vietnam-date.js';
import { discPng, pdfsig, writeTemp } from '../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../kit/pki.js';
import { logoutAll } from '../../kit/signing-key.js';
import { CAO_BANG, NOI_VU, ORIGIN, startTestServer, testKeys, type TestServer } from '../../integration/server/kit.js';
import { buildRendererOnce } from '../kit/build-renderer.js';
import { openRenderer, type Harness } from '../kit/browser-harness.js';

const pki = usePrivateTokens();
const SUBJECT = 'Về việc chuẩn bị hội nghị tổng kết chuyển đổi số năm 2026';
const SHOTS = '.tmp/screenshots';
const DRAFT = {
  type: 'cong-van',
  organName: 'Ủy ban nhân dân tỉnh Cao Bằng',
  organId: CAO_BANG,
  issuedPlace: 'Cao Bằng',
  pdfDate: '2026-11-25T09:00:00+07:00',
  codeNotation: 'UBND-VP',
  subject: 'chuẩn bị hội nghị tổng kết chuyển đổi số năm 2026',
  addressees: ['Sở Nội vụ tỉnh Cao Bằng'],
  signer: { authority: 'TM.', onBehalfOf: 'Ủy ban nhân dân', position: 'Chủ tịch', fullName: 'Nguyễn Thị Hồng Nhung' },
  recipientsList: ['Như trên', 'Lưu: VT, VP'],
  body: [{ kind: 'paragraph', text: 'Ủy ban nhân dân tỉnh đề nghị Sở Nội vụ chuẩn bị nội dung hội nghị tổng kết chuyển đổi số năm 2026./.' }],
};

interface Agency {
  runtime: AppRuntime;
  harness: Harness;
}

let server: TestServer;
let trust: TrustStore;
let a: Agency;
let b: Agency;
const dirs: string[] = [];

const derOfPem = (pem: string): Uint8Array => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));

/** One agency's app: its own data folder, settings (server, exchange login certificate, signature and seal images), runtime and window. */
async function startAgency(url: string, exchangeToken: string, exchangeCert: string): Promise<Agency> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-e2e-two-agencies-'));
  dirs.push(dataDir);
  writeFileSync(path.join(dataDir, 'chu-ky.png'), discPng(120, [20, 40, 200]));
  writeFileSync(path.join(dataDir, 'con-dau.png'), discPng(110, [210, 20, 20]));
  const settings = new JsonFileSettingsStore(path.join(dataDir, 'settings.json'));
  settings.set({
    serverUrl: url,
    exchangeLogin: { module: pki.module, label: exchangeToken, cert: exchangeCert },
    signatureImagePath: path.join(dataDir, 'chu-ky.png'),
    sealImagePath: path.join(dataDir, 'con-dau.png'),
  });
  const runtime = await startRuntime({
    dataDir,
    modulePaths: [pki.module],
    trust,
    chain: [derOfPem(readFileSync(pki.subCaPem, 'utf8'))],
    tokenPollMs: 60_000,
    settings: settings.get(),
    exchange: { origin: ORIGIN, pollMs: 300 },
  });
  const harness = await openRenderer({ version: 'test', userModulePaths: () => [pki.module], runtime, settings, trust });
  return { runtime, harness };
}

const nav = (agency: Agency, name: string) => agency.harness.page.getByRole('navigation').getByRole('button', { name, exact: true });
const shot = (agency: Agency, name: string) => agency.harness.page.screenshot({ path: `${SHOTS}/two-agencies-${name}.png`, fullPage: true });

/** The clerk's exchange login on the inbox screen: the agency token's PIN, once per session. */
async function logInToExchange(agency: Agency, unit: string): Promise<void> {
  const { page } = agency.harness;
  await nav(agency, 'Văn bản đến').click();
  const bar = page.getByRole('region', { name: 'Kết nối máy chủ trao đổi' });
  await bar.getByLabel('Mã PIN token đơn vị').fill(pki.userPin);
  await bar.getByRole('button', { name: 'Đăng nhập máy chủ' }).click();
  await bar.getByText(unit).waitFor({ timeout: 30_000 });
}

beforeAll(async () => {
  buildRendererOnce();
  mkdirSync(SHOTS, { recursive: true });
  const keys = await testKeys(pki);
  // Each app unlocks its own tokens through its screens: the kit's logins are undone.
  await logoutAll();
  server = await startTestServer(pki, keys, 'sqlite');
  const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  a = await startAgency(url, 'VANTHU AGENCY', 'agency-rsa');
  b = await startAgency(url, 'VANTHU SPARE', 'spare-rsa');
}, 180_000);

afterAll(async () => {
  for (const agency of [a, b]) {
    await agency?.harness.close();
    await agency?.runtime.close();
  }
  await server?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await finalizeAllModules();
});

describe('two agencies exchange a signed document through the apps', { timeout: 120_000 }, () => {
  it('both clerks log in to the exchange server; A gets the directory for addressing', async () => {
    await logInToExchange(a, `Đơn vị: UBND tỉnh Cao Bằng (${CAO_BANG})`);
    await logInToExchange(b, `Đơn vị: Sở Nội vụ tỉnh Cao Bằng (${NOI_VU})`);
    await shot(b, 'b-inbox-empty');
  });

  it('A: the clerk composes the document with its PDF and addresses Sở Nội vụ from the directory', async () => {
    const { page } = a.harness;
    await nav(a, 'Soạn văn bản').click();
    await page.getByRole('heading', { name: 'Soạn văn bản' }).waitFor();
    // A PDF made elsewhere: the upload tab (the drafting form is tested in compose-draft.test.ts).
    await page.getByRole('tab', { name: 'Tải tệp lên' }).click();
    // The issuing agency comes from the exchange login; the clerk adds the notation the number is printed with.
    await expect.poll(() => page.getByLabel('Cơ quan ban hành', { exact: true }).inputValue()).toBe('UBND tỉnh Cao Bằng');
    await expect(page.getByLabel('Mã định danh cơ quan ban hành').inputValue()).resolves.toBe(CAO_BANG);
    await page.getByLabel('Ký hiệu (ví dụ UBND-VP)').fill('UBND-VP');
    await page.getByLabel('Trích yếu').fill(SUBJECT);
    await page.getByLabel('Chức vụ người ký').fill('Chủ tịch');
    await page.getByLabel('Họ và tên người ký').fill('Nguyễn Thị Hồng Nhung');
    await page.getByLabel('Địa danh').fill('Cao Bằng');
    await page.getByRole('group', { name: 'Tệp chính (PDF)', exact: true }).locator('input[type="file"]').setInputFiles(writeTemp('cong-van.pdf', await renderDraft(DRAFT)));
    await page.getByLabel('Tìm cơ quan nhận (tên hoặc mã định danh)').fill('so noi vu');
    await page.getByRole('button', { name: 'Thêm Sở Nội vụ tỉnh Cao Bằng' }).click();
    await expect(page.getByRole('list', { name: 'Nơi nhận đã chọn' }).textContent()).resolves.toContain(`Sở Nội vụ tỉnh Cao Bằng (${NOI_VU})`);
    await shot(a, 'a-compose');
    await page.getByRole('button', { name: 'Lưu dự thảo' }).click();
    await page.getByRole('heading', { name: SUBJECT, level: 2 }).waitFor();
    await page.locator('canvas[data-rendered-page="1"]').waitFor({ timeout: 30_000 });
    await page.locator('.document-metadata').getByText('Dự thảo').waitFor();
  });

  it('A: the clerk reopens the draft to raise its urgency, and it is saved', async () => {
    const { page } = a.harness;
    await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Sửa dự thảo' }).click();
    await page.getByRole('heading', { name: 'Sửa dự thảo' }).waitFor();
    await expect.poll(() => page.getByLabel('Trích yếu').inputValue()).toBe(SUBJECT);
    await page.getByLabel('Độ khẩn').selectOption({ label: 'Khẩn' });
    await page.getByRole('button', { name: 'Lưu dự thảo' }).click();
    await page.getByRole('heading', { name: SUBJECT, level: 2 }).waitFor();
    await page.locator('canvas[data-rendered-page="1"]').waitFor({ timeout: 30_000 });
    const [draft] = listDocuments(a.runtime.store.db, { direction: 'outgoing', limit: 1 }).items;
    expect(getDocument(a.runtime.store.db, draft!.id)).toMatchObject({ subject: SUBJECT, priority: 1, codeNotation: 'UBND-VP' });
    expect(listFiles(a.runtime.store.db, draft!.id).map((f) => f.role)).toEqual(['main']);
  });

  it('A: the leader signs at the place of the printed name with the PIN', async () => {
    const { page } = a.harness;
    await expect(page.getByRole('button', { name: 'Sửa dự thảo' }).count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Tự động đặt vị trí' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã đặt vị trí chữ ký ở trang 1.' }).waitFor();
    await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Ký số', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Ký số văn bản' });
    await dialog.getByRole('radio', { name: /Nguyễn Thị Hồng Nhung — RSA 2048 — Token “VANTHU LEADER”/ }).check();
    await dialog.getByLabel('Mã PIN của USB token').fill(pki.userPin);
    await shot(a, 'a-sign-dialog');
    await dialog.getByRole('button', { name: 'Ký số', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /Đã ký: phiên bản 2, mức B-B\./ }).waitFor({ timeout: 60_000 });
    await page.locator('.document-metadata').getByText('Lãnh đạo đã ký').waitFor();
    // Signed: the draft is no longer editable.
    await expect(page.getByRole('button', { name: 'Sửa dự thảo' }).count()).resolves.toBe(0);
    await expect(page.content()).resolves.not.toContain(pki.userPin);
  });

  it('A: the clerk issues (number and date) and seals with the agency token, then sends', async () => {
    const { page } = a.harness;
    await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Cấp số và đóng dấu', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Cấp số và đóng dấu cơ quan' });
    await dialog.getByRole('radio', { name: /UBND tỉnh Cao Bằng — RSA 2048 — Token “VANTHU AGENCY”/ }).check();
    await dialog.getByLabel('Mã PIN của USB token').fill(pki.userPin);
    await dialog.getByRole('button', { name: 'Cấp số và đóng dấu', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /Đã cấp số 01 ngày .* và đóng dấu cơ quan\./ }).waitFor({ timeout: 60_000 });
    const panel = page.getByRole('region', { name: 'Chữ ký số trên văn bản' }).or(page.locator('section', { has: page.getByRole('heading', { name: 'Chữ ký số trên văn bản' }) }));
    await panel.getByRole('listitem', { name: 'UBND tỉnh Cao Bằng' }).waitFor({ timeout: 30_000 });
    await shot(a, 'a-issued');

    await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Gửi', exact: true }).click();
    // Sending asks first, listing the recipients.
    await page.getByRole('dialog', { name: 'Gửi văn bản?' }).getByRole('button', { name: 'Gửi', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /Đã đưa văn bản vào hàng đợi gửi/ }).waitFor();
    const [document] = listDocuments(a.runtime.store.db, { direction: 'outgoing', limit: 1 }).items;
    await expect.poll(() => getDocument(a.runtime.store.db, document!.id).state, { timeout: 60_000 }).toBe('sent');
  });

  it('B: the document arrives by itself, its signatures verify in words, and the clerk accepts it', async () => {
    const { page } = b.harness;
    await page.getByRole('button', { name: `Mở văn bản “${SUBJECT}”` }).waitFor({ timeout: 60_000 });
    await expect(page.getByRole('row', { name: new RegExp(SUBJECT) }).textContent()).resolves.toContain('Hợp lệ');
    await page.getByRole('button', { name: `Mở văn bản “${SUBJECT}”` }).click();
    const detail = page.getByRole('article', { name: SUBJECT });
    const verification = detail.getByRole('region', { name: 'Kiểm tra chữ ký số' });
    await verification.getByRole('heading', { name: 'Kiểm tra chữ ký số: Hợp lệ' }).waitFor({ timeout: 30_000 });
    const words = await verification.textContent();
    expect(words).toContain('Người ký: Nguyễn Thị Hồng Nhung');
    expect(words).toContain('Người ký: UBND tỉnh Cao Bằng');
    expect(words).toContain('Chữ ký bao trùm toàn bộ văn bản.');
    await shot(b, 'b-verified');
    await detail.getByRole('button', { name: 'Tiếp nhận', exact: true }).click();
    await detail.getByRole('status').filter({ hasText: 'Đã tiếp nhận và báo cho cơ quan gửi.' }).waitFor();
    await shot(b, 'b-accepted');

    // What B holds is what A sealed: two signatures, the last covering the whole file, judged by pdfsig too.
    const [incoming] = listDocuments(b.runtime.store.db, { direction: 'incoming', limit: 1 }).items;
    expect(getDocument(b.runtime.store.db, incoming!.id)).toMatchObject({ subject: SUBJECT, state: 'accepted', codeNumber: '01', codeNotation: 'UBND-VP' });
    const main = listFiles(b.runtime.store.db, incoming!.id).find((f) => f.role === 'main')!;
    const bytes = readLatest(b.runtime.store.db, b.runtime.store.blobs, main.id);
    const report = await validatePdf(bytes, { trust, online: true });
    expect(report.signatures.map((s) => [s.signer?.subject.commonName, s.verdict])).toEqual([
      ['Nguyễn Thị Hồng Nhung', 'valid'],
      ['UBND tỉnh Cao Bằng', 'valid'],
    ]);
    const judged = pdfsig(writeTemp('received.pdf', bytes), pki.nssDbSpec);
    expect(judged.map((s) => s.signatureValidation)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    expect(judged.at(-1)?.totalDocumentSigned).toBe(true);
  });

  it('A: the sent register shows that Sở Nội vụ accepted it ("Đã tiếp nhận")', async () => {
    const { page } = a.harness;
    await nav(a, 'Văn bản').click();
    await page.getByRole('tab', { name: 'Đã gửi' }).click();
    const row = page.getByRole('list', { name: 'Danh sách văn bản' }).getByRole('button', { name: new RegExp(SUBJECT) });
    await row.getByText('Sở Nội vụ tỉnh Cao Bằng: Đã tiếp nhận').waitFor({ timeout: 60_000 });
    await expect(row.textContent()).resolves.toMatch(/^01\/UBND-VP/);
    await shot(a, 'a-sent-accepted');
  });

  it('B: the clerk submits it to the leader and records the assignment with a deadline; the inbox tracks it', async () => {
    const { page } = b.harness;
    const detail = page.getByRole('article', { name: SUBJECT });
    const panel = detail.getByRole('region', { name: 'Xử lý văn bản' });
    await panel.getByText('Chưa trình lãnh đạo.').waitFor();
    await panel.getByRole('button', { name: 'Trình lãnh đạo', exact: true }).click();
    await panel.getByLabel('Lãnh đạo nhận văn bản').fill('Giám đốc Trần Văn Bình');
    await panel.getByRole('button', { name: 'Trình', exact: true }).click();
    await detail.getByRole('status').filter({ hasText: 'Đã trình lãnh đạo.' }).waitFor();
    await panel.getByRole('list', { name: 'Quá trình xử lý' }).getByText(/Trình lãnh đạo: Giám đốc Trần Văn Bình/).waitFor();

    await panel.getByRole('button', { name: 'Ghi ý kiến phân công', exact: true }).click();
    const form = panel.getByRole('form', { name: 'Ý kiến phân phối, chỉ đạo giải quyết' });
    await expect(form.getByLabel('Lãnh đạo cho ý kiến').inputValue()).resolves.toBe('Giám đốc Trần Văn Bình');
    // A past deadline is refused on the form, nothing sent.
    await form.getByLabel('Đơn vị hoặc người chủ trì xử lý').fill('Phòng Tổ chức cán bộ');
    await form.getByLabel('Hạn xử lý').fill('01/01/2020');
    await form.getByRole('button', { name: 'Lưu phân công' }).click();
    await form.getByText('Hạn xử lý đã qua. Hãy chọn hôm nay hoặc một ngày sau.').waitFor();
    await form.getByLabel('Hạn xử lý').fill(DEADLINE_TEXT);
    await form.getByLabel('Ý kiến chỉ đạo').fill('Giao Phòng Tổ chức cán bộ chủ trì, báo cáo Giám đốc trước hạn.');
    await shots(b, 'b-assignment-form');
    await form.getByRole('button', { name: 'Lưu phân công' }).click();
    await detail.getByRole('status').filter({ hasText: 'Đã ghi phân công.' }).waitFor();
    const record = await panel.getByRole('list', { name: 'Quá trình xử lý' }).textContent();
    expect(record).toContain(`Lãnh đạo phân công: Phòng Tổ chức cán bộ — hạn xử lý ${DEADLINE_TEXT}`);
    expect(record).toContain('Ý kiến: Giao Phòng Tổ chức cán bộ chủ trì, báo cáo Giám đốc trước hạn.');
    await detail.locator('.inbox-metadata').getByText('Đã phân công').waitFor();

    // The list shows the deadline; "Đang theo dõi" holds it.
    const row = page.getByRole('row', { name: new RegExp(SUBJECT) });
    await expect.poll(() => row.textContent()).toContain(DEADLINE_TEXT);
    await page.getByRole('button', { name: 'Đang theo dõi (1)' }).click();
    // The filter asks the store: wait for its answer (the header row and this document).
    await expect.poll(() => page.getByRole('table', { name: 'Danh sách văn bản đến' }).getByRole('row').count()).toBe(2);
    await shots(b, 'b-tracking');
  });

  it('A: the sent register shows "Đã phân công"', async () => {
    await sentRowSays('Sở Nội vụ tỉnh Cao Bằng: Đã phân công');
    await shots(a, 'a-assigned');
  });

  it('B: the clerk marks it in progress; A shows "Đang xử lý"', async () => {
    const panel = b.harness.page.getByRole('article', { name: SUBJECT }).getByRole('region', { name: 'Xử lý văn bản' });
    await panel.getByRole('button', { name: 'Đang xử lý', exact: true }).click();
    await b.harness.page.getByRole('status').filter({ hasText: 'Đã ghi nhận đang xử lý.' }).waitFor();
    await sentRowSays('Sở Nội vụ tỉnh Cao Bằng: Đang xử lý');
    await shots(a, 'a-processing');
  });

  it('B: the clerk marks it done with the result; A shows "Hoàn thành"', async () => {
    const { page } = b.harness;
    const panel = page.getByRole('article', { name: SUBJECT }).getByRole('region', { name: 'Xử lý văn bản' });
    await panel.getByRole('button', { name: 'Hoàn thành', exact: true }).click();
    await panel.getByLabel('Kết quả xử lý (không bắt buộc)').fill('Đã báo cáo Giám đốc bằng Tờ trình số 15/TTr-TCCB.');
    await panel.getByRole('button', { name: 'Xác nhận hoàn thành' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã hoàn thành.' }).waitFor();
    await expect(panel.getByRole('list', { name: 'Quá trình xử lý' }).textContent()).resolves.toContain('Kết quả: Đã báo cáo Giám đốc bằng Tờ trình số 15/TTr-TCCB.');
    await shots(b, 'b-done');
    await sentRowSays('Sở Nội vụ tỉnh Cao Bằng: Hoàn thành');
    await shots(a, 'a-done');
    const [sent] = listDocuments(a.runtime.store.db, { direction: 'outgoing', limit: 1 }).items;
    expect(getDocument(a.runtime.store.db, sent!.id).recipients[0]).toMatchObject({ organId: NOI_VU, status: '06' });
    const [incoming] = listDocuments(b.runtime.store.db, { direction: 'incoming', limit: 1 }).items;
    expect(getDocument(b.runtime.store.db, incoming!.id).state).toBe('done');
  });
});

/** Five days from today in Vietnam, as typed: dd/MM/yyyy. */
const DEADLINE_TEXT = vietnamDate(vietnamToday(new Date(Date.now() + 5 * 86_400_000)));

/** A's sent list, reopened, until Sở Nội vụ's status reads `words`. */
async function sentRowSays(words: string): Promise<void> {
  const { page } = a.harness;
  await nav(a, 'Văn bản').click();
  await page.getByRole('tab', { name: 'Đã gửi' }).click();
  const row = page.getByRole('list', { name: 'Danh sách văn bản' }).getByRole('button', { name: new RegExp(SUBJECT) });
  await row.getByText(words).waitFor({ timeout: 60_000 });
}

/** The screen at both sizes the issue asks for: incoming-<name>-1366.png and incoming-<name>-1920.png. */
async function shots(agency: Agency, name: string): Promise<void> {
  const { page } = agency.harness;
  for (const [width, height] of [[1366, 768], [1920, 1080]] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `${SHOTS}/incoming-${name}-${width}.png`, fullPage: true });
  }
}
