// The document page in Chromium against the real services: pdf.js draws page 1, auto-placement, the leader signs with a PIN, the clerk issues with the agency token, then sends.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDraft } from '../../../src/core/drafting/index.js';
import { listJobs } from '../../../src/core/outbox/index.js';
import { addFile, createDocument, getDocument, JsonFileSettingsStore, listFiles, readLatest } from '../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../src/core/trust/index.js';
import { validatePdf } from '../../../src/core/validation/index.js';
import { startRuntime, type AppRuntime } from '../../../src/main/runtime.js';
import { discPng } from '../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../kit/pki.js';
import { buildRendererOnce } from '../kit/build-renderer.js';
import { openRenderer, type Harness } from '../kit/browser-harness.js';

// Wrong PINs are typed on purpose: this file has its own copy of the tokens.
const pki = usePrivateTokens();
const SUBJECT = 'Về việc triển khai ký số văn bản điện tử';
const WRONG_PIN = '000000';
// A Công văn as the drafting engine lays it out: "Số: …/UBND-VP" and "ngày … tháng …" blanks, the signer's printed name.
const DRAFT = {
  type: 'cong-van',
  organName: 'Ủy ban nhân dân tỉnh Cao Bằng',
  organId: '000.00.14.H14',
  issuedPlace: 'Cao Bằng',
  pdfDate: '2026-03-05T10:15:30+07:00',
  codeNotation: 'UBND-VP',
  subject: 'triển khai ký số văn bản điện tử',
  addressees: ['Các sở, ban, ngành tỉnh', 'Ủy ban nhân dân các huyện, thành phố'],
  signer: { authority: 'TM.', onBehalfOf: 'Ủy ban nhân dân', position: 'Chủ tịch', fullName: 'Nguyễn Thị Hồng Nhung' },
  recipientsList: ['Như trên', 'Văn phòng Chính phủ', 'Lưu: VT, VP'],
  body: [
    { kind: 'paragraph', text: 'Thực hiện Nghị định số 30/2020/NĐ-CP của Chính phủ về công tác văn thư, Ủy ban nhân dân tỉnh đề nghị các cơ quan triển khai ký số văn bản điện tử.' },
    { kind: 'paragraph', text: 'Đề nghị các cơ quan, đơn vị nghiêm túc thực hiện./.' },
  ],
};
let harness: Harness;
let runtime: AppRuntime;
let trust: TrustStore;
let documentId: number;
let fileId: number;

const shot = (name: string) => harness.page.screenshot({ path: `.tmp/screenshots/${name}.png`, fullPage: true });

beforeAll(async () => {
  buildRendererOnce();
  mkdirSync('.tmp/screenshots', { recursive: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-e2e-signing-'));
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  runtime = await startRuntime({ dataDir, modulePaths: [pki.module], trust, tokenPollMs: 60_000 });
  writeFileSync(path.join(dataDir, 'chu-ky.png'), discPng(120, [20, 40, 200]));
  writeFileSync(path.join(dataDir, 'con-dau.png'), discPng(110, [210, 20, 20]));
  const settings = new JsonFileSettingsStore(path.join(dataDir, 'settings.json'));
  settings.set({ signatureImagePath: path.join(dataDir, 'chu-ky.png'), sealImagePath: path.join(dataDir, 'con-dau.png') });
  // A stored draft, as compose leaves it: metadata, recipients and the rendered PDF.
  documentId = createDocument(runtime.store.db, 'outgoing', {
    organId: '000.00.14.H14',
    organName: 'Ủy ban nhân dân tỉnh Cao Bằng',
    codeNotation: 'UBND-VP',
    typeName: 'Công văn',
    subject: SUBJECT,
    signerFullName: 'Nguyễn Thị Hồng Nhung',
    signerPosition: 'Chủ tịch',
    recipients: [{ organId: '000.00.00.G22', organName: 'Văn phòng Chính phủ' }],
  }).id;
  fileId = addFile(runtime.store.db, runtime.store.blobs, documentId, { role: 'main', name: 'cong-van.pdf', bytes: await renderDraft(DRAFT) }).fileId;
  harness = await openRenderer({ version: 'test', userModulePaths: () => [pki.module], runtime, settings, trust });
}, 180_000);
afterAll(async () => {
  await harness?.close();
  await runtime?.close();
  await finalizeAllModules();
});

describe('document page', { timeout: 90_000 }, () => {
  it('opens a stored document from the register and draws page 1 with pdf.js', async () => {
    const { page } = harness;
    await page.getByRole('button', { name: new RegExp(SUBJECT) }).first().click();
    await page.getByRole('heading', { name: SUBJECT }).waitFor();
    await page.locator('.document-metadata').getByText('Dự thảo').waitFor();
    const canvas = page.getByRole('img', { name: 'Trang 1 của văn bản' });
    await page.locator('canvas[data-rendered-page="1"]').waitFor({ timeout: 30_000 });
    // Non-blank: the page's text is drawn (dark pixels), not only a white sheet.
    const dark = await canvas.evaluate((element) => {
      const c = element as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let count = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! < 128 && data[i + 1]! < 128 && data[i + 2]! < 128) count++;
      return count;
    });
    expect(dark).toBeGreaterThan(2_000);
    await page.getByText('Trang 1/1').waitFor();
    await page.getByRole('navigation', { name: 'Các trang' }).getByRole('button', { name: 'Trang 1' }).waitFor();
    await page.getByRole('heading', { name: 'Chữ ký số trên văn bản' }).waitFor();
    await page.getByText('Văn bản chưa có chữ ký số.').waitFor();
    await shot('document-page');
  });

  it('places the signature box at the signer name, and the keyboard moves it', async () => {
    const { page } = harness;
    await page.getByRole('button', { name: 'Tự động đặt vị trí' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã đặt vị trí chữ ký ở trang 1.' }).waitFor();
    const box = page.getByRole('button', { name: /^Vị trí chữ ký trên trang 1/ });
    const before = (await page.locator('.signature-box').getAttribute('data-rect'))!.split(',').map(Number);
    await box.focus();
    await page.keyboard.press('ArrowUp');
    const after = (await page.locator('.signature-box').getAttribute('data-rect'))!.split(',').map(Number);
    expect(after[1]! - before[1]!).toBeCloseTo(5, 1);
    await page.keyboard.press('ArrowDown');
    // Dragged with the mouse: 40 CSS pixels right moves it right by 40 / scale points, on the page.
    const area = (await page.locator('.signature-box').boundingBox())!;
    await page.mouse.move(area.x + area.width / 2, area.y + area.height / 2);
    await page.mouse.down();
    await page.mouse.move(area.x + area.width / 2 + 40, area.y + area.height / 2, { steps: 4 });
    await page.mouse.up();
    const dragged = (await page.locator('.signature-box').getAttribute('data-rect'))!.split(',').map(Number);
    expect(dragged[0]!).toBeGreaterThan(before[0]! + 10);
    await shot('document-placed');
  });

  it('signs as the leader: a wrong PIN is refused with the warning and the field emptied, the right one signs, and the panel shows the signature', async () => {
    const { page } = harness;
    await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Ký số' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ký số văn bản' });
    await dialog.getByLabel(/Nguyễn Thị Hồng Nhung — RSA 2048/).check();
    await expect(dialog.getByLabel('Hình thức chữ ký').inputValue()).resolves.toBe('leader');
    await dialog.getByText('Trang 1, vị trí đã chọn trên trang').waitFor();
    const pin = dialog.getByLabel('Mã PIN của USB token');
    await expect(pin.getAttribute('type')).resolves.toBe('password');
    await pin.fill(WRONG_PIN);
    await shot('sign-dialog');
    await dialog.getByRole('button', { name: 'Ký số' }).click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toContain('Mã PIN không đúng');
    await dialog.getByText('Cảnh báo: đã nhập sai PIN').waitFor();
    await expect(pin.inputValue()).resolves.toBe('');
    expect(getDocument(runtime.store.db, documentId).state).toBe('draft');
    await shot('sign-dialog-wrong-pin');

    await pin.fill(pki.userPin);
    await dialog.getByRole('button', { name: 'Ký số' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã ký: phiên bản 2, mức B-B.' }).waitFor({ timeout: 60_000 });
    await expect(dialog.count()).resolves.toBe(0);
    await page.locator('.document-metadata').getByText('Lãnh đạo đã ký').waitFor();
    const panel = page.locator('.signatures-panel');
    const signature = panel.getByRole('listitem', { name: 'Nguyễn Thị Hồng Nhung' });
    await signature.waitFor();
    await expect(signature.textContent()).resolves.toMatch(/Hợp lệ.*Test CA.*Toàn vẹn.*Phủ toàn bộ văn bản.*Chứng thư tin cậy/s);
    // The PIN is nowhere in the page once the dialog is gone.
    const html = await page.content();
    expect(html).not.toContain(pki.userPin);
    expect(html).not.toContain(WRONG_PIN);
    await shot('document-signed');
  });

  it('issues as the clerk with the agency token: number and date, the seal, both signatures valid', async () => {
    const { page } = harness;
    await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Cấp số và đóng dấu' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cấp số và đóng dấu cơ quan' });
    await dialog.getByLabel(/UBND tỉnh Cao Bằng — RSA/).check();
    await dialog.getByLabel('Mã PIN của USB token').fill(pki.userPin);
    await shot('issue-dialog');
    await dialog.getByRole('button', { name: 'Cấp số và đóng dấu' }).click();
    await page.getByRole('status').filter({ hasText: /Đã cấp số \d+ ngày/ }).waitFor({ timeout: 60_000 });
    await page.locator('.document-metadata').getByText('Đã ban hành').waitFor();
    const codeNumber = getDocument(runtime.store.db, documentId).codeNumber!;
    await page.locator('.document-metadata').getByText(`${codeNumber}/UBND-VP`).waitFor();
    await page.locator('.signatures-panel').getByRole('listitem', { name: 'UBND tỉnh Cao Bằng' }).waitFor();
    await expect(page.locator('.signatures-panel .signature-item').count()).resolves.toBe(2);
    await page.locator('canvas[data-rendered-page="1"]').waitFor();
    await shot('document-issued');

    expect(listFiles(runtime.store.db, documentId)[0]!.revisions.map((r) => r.signatureKind)).toEqual(['none', 'leader', 'seal']);
    const report = await validatePdf(readLatest(runtime.store.db, runtime.store.blobs, fileId), { trust, online: true });
    expect(report.verdict).toBe('valid');
    expect(report.signatures.map((s) => s.signer?.subject.commonName)).toEqual(['Nguyễn Thị Hồng Nhung', 'UBND tỉnh Cao Bằng']);
  });

  it('sends: the outbox holds the send with its message id', async () => {
    const { page } = harness;
    await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Gửi' }).click();
    // Sending asks first, listing the recipients.
    await page.getByRole('dialog', { name: 'Gửi văn bản?' }).getByRole('button', { name: 'Gửi', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Đã đưa văn bản vào hàng đợi gửi' }).waitFor();
    expect(listJobs(runtime.store.db, { documentId }).map((j) => j.kind)).toEqual(expect.arrayContaining(['upload', 'submit']));
    await shot('document-sent');
  });

  it('speaks English on the same page', async () => {
    const { page } = harness;
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByRole('heading', { name: 'Digital signatures on the document' }).waitFor();
    await page.getByRole('group', { name: 'Actions' }).getByRole('button', { name: 'Number and seal' }).waitFor();
    await page.getByText('Page 1 of 1').waitFor();
    await page.getByLabel('Language').selectOption('vi');
  });
});
