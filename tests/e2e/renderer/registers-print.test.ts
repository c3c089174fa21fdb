// "In sổ", "Xuất Excel" and "In báo cáo kiểm tra" in Chromium against the real store and the test token's signature, at 1366×768 and 1920×1080.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf } from '../../../src/core/signing/index.js';
import { addFile, createDocument } from '../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom } from '../../../src/core/trust/index.js';
import { startRuntime, type AppRuntime } from '../../../src/main/runtime.js';
import { fixture } from '../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../kit/pki.js';
import { OUR_AGENCY, seedRegisters } from '../../kit/register-seed.js';
import { logoutAll, tokenSigningKey } from '../../kit/signing-key.js';
import { buildRendererOnce } from '../kit/build-renderer.js';
import { openRenderer, type Harness } from '../kit/browser-harness.js';

const pki = usePrivateTokens();
const SIGNED_SUBJECT = 'Về việc kiểm tra chữ ký số trên văn bản đến';
let runtime: AppRuntime;
let harness: Harness;
let signedFile: string;
const shot = (name: string) => harness.page.screenshot({ path: `.tmp/screenshots/registers-${name}.png`, fullPage: true });
// Registers read in reading order (a wrapped header cell stays whole); the report with -layout (a label and its value on one line).
const pdfText = (file: string, layout = false): string => execFileSync('pdftotext', [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');

/** The saved file's path, as the status line shows it. */
async function savedPath(name: RegExp): Promise<string> {
  const status = harness.page.getByRole('status').filter({ hasText: name });
  await status.waitFor({ timeout: 30_000 });
  const text = (await status.textContent()) ?? '';
  const match = /vào: (.+?) Lưu bản sao/.exec(text);
  if (!match?.[1]) throw new Error(`no path in "${text}"`);
  return match[1];
}

beforeAll(async () => {
  buildRendererOnce();
  mkdirSync('.tmp/screenshots', { recursive: true });
  const trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  runtime = await startRuntime({ dataDir: mkdtempSync(path.join(tmpdir(), 'vanthu-e2e-registers-')), modulePaths: [pki.module], trust, tokenPollMs: 60_000 });
  seedRegisters(runtime.store.db);
  // A file signed on the test token: stored as a document (its signatures panel) and on disk (the verify page).
  const key = await tokenSigningKey(pki, 'VANTHU LEADER', 'leader-rsa');
  const signed = (await signPdf(fixture('classic-xref.pdf'), key, { reason: 'Phê duyệt' })).bytes;
  await logoutAll();
  signedFile = path.join(mkdtempSync(path.join(tmpdir(), 'vanthu-e2e-signed-')), 'van-ban-da-ky.pdf');
  writeFileSync(signedFile, signed);
  const { id } = createDocument(runtime.store.db, 'outgoing', { ...OUR_AGENCY, subject: SIGNED_SUBJECT, recipients: [] });
  addFile(runtime.store.db, runtime.store.blobs, id, { role: 'main', name: 'van-ban-da-ky.pdf', bytes: signed });
  harness = await openRenderer({ version: 'test', userModulePaths: () => [pki.module], runtime, trust });
}, 120_000);
afterAll(async () => {
  await harness?.close();
  await runtime?.close();
  await finalizeAllModules();
});

describe('printing and exporting the registers', () => {
  it('prints the outgoing register of this year and exports it to Excel (1366×768)', { timeout: 90_000 }, async () => {
    const { page } = harness;
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole('heading', { name: 'Sổ văn bản' }).waitFor();
    const bar = page.getByRole('region', { name: 'In và xuất sổ' });
    await expect(bar.getByRole('combobox', { name: /^Năm/ }).inputValue()).resolves.toBe('2026');
    await bar.getByRole('button', { name: 'In sổ' }).click();
    const pdf = await savedPath(/so-van-ban-di-2026\.pdf/);
    expect(pdf.startsWith(path.join(runtime.store.dataDir, 'exports'))).toBe(true);
    const words = pdfText(pdf);
    for (const w of ['SỔ ĐĂNG KÝ VĂN BẢN ĐI', 'Năm 2026', 'Số, ký hiệu văn bản', '02/QĐ-UBND', 'Trang 1/1']) expect(words).toContain(w);
    await shot('print-1366');

    await bar.getByRole('button', { name: 'Xuất Excel' }).click();
    const xlsx = await savedPath(/so-van-ban-di-2026\.xlsx/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(xlsx) as unknown as ArrayBuffer);
    const ws = workbook.worksheets[0]!;
    expect(ws.getCell(5, 1).value).toBe('Số, ký hiệu văn bản');
    expect(ws.getCell(6, 1).value).toBe('01/UBND-VP');
    expect(ws.getCell(6, 2).value).toBeInstanceOf(Date);

    // A copy where the user chooses: a download named as the file.
    const [download] = await Promise.all([page.waitForEvent('download'), bar.getByRole('button', { name: 'Lưu bản sao ở nơi khác…' }).click()]);
    expect(download.suggestedFilename()).toBe(path.basename(xlsx));
    expect(readFileSync((await download.path())!)).toEqual(readFileSync(xlsx));
  });

  it('exports the incoming register of a period typed as dd/MM/yyyy, and refuses a period backwards (1920×1080)', async () => {
    const { page } = harness;
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.getByRole('tab', { name: 'Văn bản đến' }).click();
    const bar = page.getByRole('region', { name: 'In và xuất sổ' });
    await bar.getByLabel('Thời gian').selectOption({ label: 'Theo khoảng thời gian' });
    await bar.getByLabel('Từ ngày').fill('01/04/2026');
    await bar.getByLabel('Đến ngày').fill('01/01/2026');
    await bar.getByRole('button', { name: 'In sổ' }).click();
    await bar.getByRole('alert').filter({ hasText: 'Từ ngày phải trước hoặc trùng đến ngày.' }).waitFor();
    await bar.getByLabel('Từ ngày').fill('01/01/2026');
    await bar.getByLabel('Đến ngày').fill('31/12/2026');
    await bar.getByRole('button', { name: 'In sổ' }).click();
    const pdf = await savedPath(/so-van-ban-den-2026-01-01_2026-12-31\.pdf/);
    const words = pdfText(pdf);
    for (const w of ['SỔ ĐĂNG KÝ VĂN BẢN ĐẾN', 'Từ ngày 01/01/2026 đến ngày 31/12/2026', 'Ngày đến', 'Số đến', 'Tác giả', 'Sở Tư pháp tỉnh Cao Bằng']) expect(words).toContain(w);
    await shot('print-1920');
  });
});

describe('the printed verification report', () => {
  it('prints the report of a checked file on the verify page', async () => {
    const { page } = harness;
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole('button', { name: 'Kiểm tra chữ ký' }).click();
    await page.locator('input[type=file]').setInputFiles(signedFile);
    await page.getByRole('button', { name: 'In báo cáo kiểm tra' }).click();
    const pdf = await savedPath(/bao-cao-kiem-tra-van-ban-da-ky\.pdf/);
    const words = pdfText(pdf, true);
    for (const w of ['BÁO CÁO KIỂM TRA CHỮ KÝ SỐ', 'Tên tệp: van-ban-da-ky.pdf', 'Người ký: Nguyễn Thị Hồng Nhung', 'Tổ chức cấp chứng thư số:', 'Thời điểm kiểm tra:']) expect(words).toContain(w);
    expect(words).toMatch(/Kết quả: (HỢP LỆ|CHƯA XÁC ĐỊNH|KHÔNG HỢP LỆ) — /);
    await shot('report-verify');
  });

  it("prints the report from a document's signatures panel", { timeout: 90_000 }, async () => {
    const { page } = harness;
    await page.getByRole('navigation').getByRole('button', { name: 'Văn bản', exact: true }).click();
    await page.getByRole('tab', { name: 'Văn bản đi' }).click();
    await page.getByRole('button', { name: new RegExp(SIGNED_SUBJECT) }).click();
    const panel = page.locator('section.signatures-panel');
    await panel.getByRole('button', { name: 'In báo cáo kiểm tra' }).click({ timeout: 30_000 });
    const pdf = await savedPath(/bao-cao-kiem-tra-van-ban-da-ky( \(2\))?\.pdf/);
    expect(pdfText(pdf, true)).toContain('Người ký: Nguyễn Thị Hồng Nhung');
    await shot('report-document');
  });
});
