// Compose writes the document, in Chromium against the real services at 1366×768 and 1920×1080: the drafting form, the engine's PDF
// previewed page by page, save, reopen with the form restored, Trình ký, the leader signs on SoftHSM, and pdfsig judges the signature valid.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDocument, JsonFileSettingsStore, listDocuments, listFiles, readLatest } from '../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../src/core/trust/index.js';
import { startRuntime, type AppRuntime } from '../../../src/main/runtime.js';
import { discPng, pdfsig, writeTemp } from '../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../kit/pki.js';
import { buildRendererOnce } from '../kit/build-renderer.js';
import { openRenderer, type Harness } from '../kit/browser-harness.js';

const pki = usePrivateTokens();
const SHOTS = '.tmp/screenshots';
// Enough paragraphs for a second page: the preview shows both, and the signer goes where the text ends.
const BODY = [
  'Thực hiện **Nghị định số 30/2020/NĐ-CP** ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư, Ủy ban nhân dân tỉnh đề nghị:',
  ...Array.from({ length: 9 }, (_, i) => `${i + 1}. Các cơ quan, đơn vị rà soát chứng thư số của lãnh đạo và văn thư, bảo đảm *đủ điều kiện* ký số văn bản điện tử theo quy định; báo cáo kết quả về Sở Nội vụ trước ngày 15 hằng tháng.`),
  '- Giao Sở Nội vụ theo dõi, đôn đốc việc thực hiện.',
  'Đề nghị các cơ quan, đơn vị nghiêm túc thực hiện./.',
].join('\n');

let harness: Harness;
let runtime: AppRuntime;
let trust: TrustStore;

beforeAll(async () => {
  buildRendererOnce();
  mkdirSync(SHOTS, { recursive: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-e2e-compose-'));
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  runtime = await startRuntime({ dataDir, modulePaths: [pki.module], trust, tokenPollMs: 60_000 });
  writeFileSync(path.join(dataDir, 'chu-ky.png'), discPng(120, [20, 40, 200]));
  const settings = new JsonFileSettingsStore(path.join(dataDir, 'settings.json'));
  settings.set({ signatureImagePath: path.join(dataDir, 'chu-ky.png') });
  harness = await openRenderer({ version: 'test', userModulePaths: () => [pki.module], runtime, settings, trust });
}, 180_000);
afterAll(async () => {
  await harness?.close();
  await runtime?.close();
  await finalizeAllModules();
});

const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true });

describe.each([
  { width: 1366, height: 768, subject: 'Về việc triển khai ký số văn bản điện tử trong các cơ quan' },
  { width: 1920, height: 1080, subject: 'Về việc rà soát chứng thư số của lãnh đạo và văn thư' },
])('compose at $width×$height', { timeout: 180_000 }, ({ width, height, subject }) => {
  const shot = (name: string) => harness.page.screenshot({ path: `${SHOTS}/compose-${name}-${width}.png`, fullPage: true });
  let documentId: number;

  it('fills the drafting form and sees the engine PDF page by page', async () => {
    const { page } = harness;
    await page.setViewportSize({ width, height });
    await nav(page, 'Soạn văn bản').click();
    await page.getByRole('heading', { name: 'Soạn văn bản' }).waitFor();
    await expect(page.getByRole('tab', { name: 'Soạn thảo văn bản' }).getAttribute('aria-selected')).resolves.toBe('true');
    // Trình ký on an empty form: the required parts are marked, nothing is stored.
    await page.getByRole('button', { name: 'Trình ký' }).click();
    await page.getByText('Chưa lưu: hãy sửa các mục được đánh dấu.').waitFor();
    await expect(page.getByLabel('Trích yếu').getAttribute('aria-invalid')).resolves.toBe('true');
    await shot('errors');

    await page.getByLabel('Cơ quan chủ quản (nếu có)').fill('');
    await page.getByLabel('Cơ quan ban hành', { exact: true }).fill('Ủy ban nhân dân tỉnh Cao Bằng');
    await page.getByLabel('Mã định danh cơ quan ban hành').fill('000.00.14.H14');
    await page.getByLabel('Ký hiệu (ví dụ UBND-VP)').fill('UBND-VP');
    await page.getByLabel('Địa danh').fill('Cao Bằng');
    await page.getByLabel('Ngày ban hành').fill('07/12/2026');
    await page.getByLabel('Trích yếu').fill(subject);
    await page.getByLabel('Kính gửi (mỗi dòng một nơi, nếu có)').fill('Các sở, ban, ngành tỉnh\nỦy ban nhân dân các huyện, thành phố');
    await page.getByLabel('Nội dung văn bản').fill(BODY);
    await page.getByLabel('Thẩm quyền ký').selectOption('TM.');
    await page.getByLabel(/Thay mặt, ký thay cho/).fill('Ủy ban nhân dân');
    await page.getByLabel('Chức vụ người ký').fill('Chủ tịch');
    await page.getByLabel('Họ và tên người ký').fill('Nguyễn Thị Hồng Nhung');
    await page.getByLabel('Nơi nhận in trên văn bản (mỗi dòng một nơi)').fill('Như trên;\nVăn phòng Chính phủ;\nLưu: VT, VP.');
    await expect(page.getByLabel('Trích yếu').getAttribute('aria-invalid')).resolves.toBeNull();

    const preview = page.locator('.draft-preview');
    await preview.getByRole('status').filter({ hasText: 'Văn bản gồm 2 trang.' }).waitFor({ timeout: 30_000 });
    await preview.locator('canvas[data-rendered-page="1"]').waitFor({ timeout: 30_000 });
    const thumbnails = preview.getByRole('navigation', { name: 'Các trang' });
    await expect(thumbnails.getByRole('button').count()).resolves.toBe(2);
    await thumbnails.getByRole('button', { name: 'Trang 2' }).click();
    await preview.locator('canvas[data-rendered-page="2"]').waitFor({ timeout: 30_000 });
    // From the top: the sticky preview then sits beside the form's first fields.
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('form');
  });

  it('saves the draft, then reopens it from the register with the form restored', async () => {
    const { page } = harness;
    await page.getByRole('button', { name: 'Lưu dự thảo' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã lưu dự thảo (phiên bản 1).' }).waitFor({ timeout: 30_000 });
    const [saved] = listDocuments(runtime.store.db, { direction: 'outgoing', state: 'draft', limit: 1 }).items;
    documentId = saved!.id;
    expect(getDocument(runtime.store.db, documentId)).toMatchObject({ subject, codeNotation: 'UBND-VP', issuedPlace: 'Cao Bằng', signerFullName: 'Nguyễn Thị Hồng Nhung', typeName: 'Công văn', pageAmount: 2 });

    await nav(page, 'Văn bản').click();
    await page.getByRole('tab', { name: 'Dự thảo' }).click();
    await page.getByRole('list', { name: 'Danh sách văn bản' }).getByRole('button', { name: new RegExp(subject) }).click();
    await page.getByRole('heading', { name: subject, level: 2 }).waitFor();
    await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Sửa dự thảo' }).click();
    await page.getByRole('heading', { name: 'Sửa dự thảo' }).waitFor();
    await expect.poll(() => page.getByLabel('Trích yếu').inputValue()).toBe(subject);
    await expect(page.getByLabel('Nội dung văn bản').inputValue()).resolves.toBe(BODY);
    await expect(page.getByLabel('Thẩm quyền ký').inputValue()).resolves.toBe('TM.');
    await expect(page.getByLabel(/Thay mặt, ký thay cho/).inputValue()).resolves.toBe('Ủy ban nhân dân');
    await expect(page.getByLabel('Ngày ban hành').inputValue()).resolves.toBe('07/12/2026');
    await expect(page.getByLabel('Nơi nhận in trên văn bản (mỗi dòng một nơi)').inputValue()).resolves.toBe('Như trên;\nVăn phòng Chính phủ;\nLưu: VT, VP.');
    await page.locator('.draft-preview canvas[data-rendered-page="1"]').waitFor({ timeout: 30_000 });
    await shot('reopened');
  });

  it('Trình ký: the document page shows the rendered PDF, the leader signs it, and pdfsig says the signature is valid', async () => {
    const { page } = harness;
    await page.getByLabel('Độ khẩn').selectOption({ label: 'Khẩn' });
    await page.getByRole('button', { name: 'Trình ký' }).click();
    await page.getByRole('heading', { name: subject, level: 2 }).waitFor({ timeout: 30_000 });
    await page.locator('canvas[data-rendered-page="1"]').waitFor({ timeout: 30_000 });
    await page.getByText('Trang 1/2').waitFor();
    await page.locator('.document-metadata').getByText('Dự thảo').waitFor();
    expect(getDocument(runtime.store.db, documentId).priority).toBe(1);
    const [main] = listFiles(runtime.store.db, documentId);
    // The PDF on the page is the engine's: the clerk's date and the subject, with their diacritics.
    const words = execFileSync('pdftotext', [writeTemp(`compose-${width}.pdf`, readLatest(runtime.store.db, runtime.store.blobs, main!.id)), '-'], { encoding: 'utf8' });
    expect(words).toContain('Cao Bằng, ngày 07 tháng 12 năm 2026');
    expect(words.replace(/\s+/g, ' ')).toContain(subject.replace(/^Về việc /, ''));
    await shot('submitted');

    await page.getByRole('button', { name: 'Tự động đặt vị trí' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã đặt vị trí chữ ký ở trang 2.' }).waitFor();
    await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Ký số', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Ký số văn bản' });
    await dialog.getByRole('radio', { name: /Nguyễn Thị Hồng Nhung — RSA 2048/ }).check();
    await dialog.getByLabel('Mã PIN của USB token').fill(pki.userPin);
    await dialog.getByRole('button', { name: 'Ký số', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /Đã ký: phiên bản \d+, mức B-B\./ }).waitFor({ timeout: 60_000 });
    await page.locator('.document-metadata').getByText('Lãnh đạo đã ký').waitFor();
    await shot('signed');

    const signed = readLatest(runtime.store.db, runtime.store.blobs, main!.id);
    const judged = pdfsig(writeTemp(`compose-signed-${width}.pdf`, signed), pki.nssDbSpec);
    expect(judged.map((s) => s.signatureValidation)).toEqual(['Signature is Valid.']);
    expect(judged[0]?.totalDocumentSigned).toBe(true);
  });
});
