// Certificates as people know them, in Chromium on SoftHSM at 1366×768 and 1920×1080: serial tails and revocation marks in the sign dialog, the per-certificate image before the PIN, a text-only stamp that pdfsig accepts, and bulk signing that removes what it signed.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDraft } from '../../../src/core/drafting/index.js';
import { addFile, createDocument, getDocument, JsonFileSettingsStore, listFiles, readLatest } from '../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../src/core/trust/index.js';
import { startRuntime, type AppRuntime } from '../../../src/main/runtime.js';
import { discPng, pdfsig, writeTemp } from '../../kit/pdf-tools.js';
import { tokenNamed, usePrivateTokens } from '../../kit/pki.js';
import { buildRendererOnce } from '../kit/build-renderer.js';
import { openRenderer, type Harness } from '../kit/browser-harness.js';

const pki = usePrivateTokens();
// A Công văn as the drafting engine lays it out, with the signer's printed name for the automatic placement.
const DRAFT = {
  type: 'cong-van',
  organName: 'Ủy ban nhân dân tỉnh Cao Bằng',
  organId: '000.00.14.H14',
  issuedPlace: 'Cao Bằng',
  pdfDate: '2026-03-05T10:15:30+07:00',
  codeNotation: 'UBND-VP',
  subject: 'thử chứng thư số',
  addressees: ['Các sở, ban, ngành tỉnh'],
  signer: { authority: 'TM.', onBehalfOf: 'Ủy ban nhân dân', position: 'Chủ tịch', fullName: 'Nguyễn Thị Hồng Nhung' },
  recipientsList: ['Như trên', 'Lưu: VT, VP'],
  body: [{ kind: 'paragraph', text: 'Đề nghị các cơ quan, đơn vị nghiêm túc thực hiện./.' }],
};
let harness: Harness;
let runtime: AppRuntime;
let trust: TrustStore;
let settings: JsonFileSettingsStore;
const docs: { id: number; fileId: number; subject: string }[] = [];

const shot = (name: string) => harness.page.screenshot({ path: `.tmp/screenshots/certs-${name}.png`, fullPage: true });
const nav = (name: string) => harness.page.getByRole('navigation').getByRole('button', { name, exact: true });
const tailOf = (serial: string) => serial.replace(/[^0-9a-f]/gi, '').toUpperCase().slice(-6);
const leaderObjects = () => tokenNamed(pki, 'VANTHU LEADER').objects;
const tail = (label: string) => tailOf(leaderObjects().find((o) => o.label === label)!.certSerial);

async function draft(subject: string, priority: 0 | 1 | 2): Promise<void> {
  const { id } = createDocument(runtime.store.db, 'outgoing', {
    organId: '000.00.14.H14',
    organName: 'Ủy ban nhân dân tỉnh Cao Bằng',
    codeNotation: 'UBND-VP',
    typeName: 'Công văn',
    subject,
    priority,
    signerFullName: 'Nguyễn Thị Hồng Nhung',
    signerPosition: 'Chủ tịch',
    recipients: [{ organId: '000.00.00.G22', organName: 'Văn phòng Chính phủ' }],
  });
  const { fileId } = addFile(runtime.store.db, runtime.store.blobs, id, { role: 'main', name: 'cong-van.pdf', bytes: await renderDraft(DRAFT) });
  docs.push({ id, fileId, subject });
}

beforeAll(async () => {
  buildRendererOnce();
  mkdirSync('.tmp/screenshots', { recursive: true });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-e2e-certs-'));
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  runtime = await startRuntime({ dataDir, modulePaths: [pki.module], trust, tokenPollMs: 60_000 });
  // No machine-wide signature image: each certificate gets its own, or the text-only stamp.
  settings = new JsonFileSettingsStore(path.join(dataDir, 'settings.json'));
  await draft('Về việc thử dấu chỉ có chữ', 0);
  await draft('Về việc phòng chống bão số 3', 2);
  await draft('Về việc kiểm kê tài sản cuối năm', 1);
  await draft('Về việc thử hộp thoại ký ở màn hình lớn', 0);
  harness = await openRenderer({ version: 'test', userModulePaths: () => [pki.module], runtime, settings, trust });
}, 180_000);
afterAll(async () => {
  await harness?.close();
  await runtime?.close();
  await finalizeAllModules();
});

describe('certificate picker', { timeout: 120_000 }, () => {
  it('1366×768: tails tell the two same-name certificates apart, the revoked one is marked and not chosen, the image comes before the PIN, and the text-only stamp validates', async () => {
    const { page } = harness;
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole('button', { name: new RegExp(docs[0]!.subject) }).first().click();
    await page.getByRole('heading', { name: docs[0]!.subject }).waitFor();
    await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Ký số' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ký số văn bản' });
    const rsa = dialog.getByRole('listitem').filter({ hasText: 'RSA 2048' }).filter({ hasText: 'Nguyễn Thị Hồng Nhung' });
    const ec = dialog.getByRole('listitem').filter({ hasText: 'ECDSA' }).filter({ hasText: 'Nguyễn Thị Hồng Nhung' });
    await rsa.getByText(`…${tail('leader-rsa')}`).waitFor();
    await ec.getByText(`…${tail('leader-ec')}`).waitFor();
    expect(tail('leader-rsa')).not.toBe(tail('leader-ec'));
    const revoked = dialog.getByRole('listitem').filter({ hasText: 'Lê Thị Thu Hà' });
    await revoked.getByText('Đã bị thu hồi').waitFor({ timeout: 30_000 });
    await rsa.getByText('Còn hiệu lực').waitFor({ timeout: 30_000 });
    await expect(revoked.getByRole('radio').isChecked()).resolves.toBe(false);
    await expect(rsa.getByText(/Hiệu lực: \d{2}\/\d{2}\/\d{4} – \d{2}\/\d{2}\/\d{4}/).count()).resolves.toBe(1);
    await shot('picker-1366');

    // The EC certificate gets its own image, chosen here with our file button; the PIN waits for it.
    await ec.getByRole('radio').check();
    await dialog.getByText('Chứng thư số này chưa có ảnh chữ ký.').waitFor();
    const pin = dialog.getByLabel('Mã PIN của USB token');
    await expect(pin.isDisabled()).resolves.toBe(true);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), dialog.getByRole('button', { name: 'Chọn ảnh chữ ký (PNG nền trong suốt)' }).click()]);
    await chooser.setFiles({ name: 'chu-ky.png', mimeType: 'image/png', buffer: Buffer.from(discPng(120, [20, 40, 200])) });
    await dialog.getByRole('img', { name: 'Ảnh chữ ký sẽ đặt lên văn bản' }).waitFor();
    await dialog.getByText('Ảnh chữ ký riêng của chứng thư số này').waitFor();
    await expect(pin.isDisabled()).resolves.toBe(false);
    expect(Object.keys(settings.get().signatureImages ?? {})).toHaveLength(1);
    await shot('image-before-pin-1366');

    // The RSA certificate has none: the text-only stamp is offered, and signs.
    await rsa.getByRole('radio').check();
    await dialog.getByText('Chứng thư số này chưa có ảnh chữ ký.').waitFor();
    await expect(pin.isDisabled()).resolves.toBe(true);
    await dialog.getByLabel('Ký không có ảnh: dấu chỉ có chữ (người ký và thời gian ký)').check();
    await dialog.getByText('Dấu sẽ ghi: “Ký bởi: Nguyễn Thị Hồng Nhung” và thời gian ký.').waitFor();
    await pin.fill(pki.userPin);
    await shot('text-only-1366');
    await dialog.getByRole('button', { name: 'Ký số' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã ký: phiên bản 2' }).waitFor({ timeout: 60_000 });
    expect(getDocument(runtime.store.db, docs[0]!.id).state).toBe('signed_by_leader');
    const bytes = readLatest(runtime.store.db, runtime.store.blobs, docs[0]!.fileId);
    expect(pdfsig(writeTemp('text-only.pdf', bytes), pki.nssDbSpec).map((s) => s.signatureValidation)).toEqual(['Signature is Valid.']);
    expect(await page.content()).not.toContain(pki.userPin);
  });

  it('1920×1080: the bulk list shows number, date, urgency and subject, opens a document, and drops the rows it signed', async () => {
    const { page } = harness;
    await page.setViewportSize({ width: 1920, height: 1080 });
    // The sign dialog at this size: tails, marks, and the EC certificate's own image before the PIN.
    await nav('Văn bản').click();
    await page.getByRole('button', { name: new RegExp(docs[3]!.subject) }).first().click();
    await page.getByRole('heading', { name: docs[3]!.subject }).waitFor();
    await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Ký số' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ký số văn bản' });
    await dialog.getByRole('listitem').filter({ hasText: 'Lê Thị Thu Hà' }).getByText('Đã bị thu hồi').waitFor({ timeout: 30_000 });
    const ec = dialog.getByRole('listitem').filter({ hasText: 'ECDSA' }).filter({ hasText: 'Nguyễn Thị Hồng Nhung' });
    await ec.getByText(`…${tail('leader-ec')}`).waitFor();
    await ec.getByRole('radio').check();
    await dialog.getByRole('img', { name: 'Ảnh chữ ký sẽ đặt lên văn bản' }).scrollIntoViewIfNeeded();
    await shot('dialog-1920');
    await dialog.getByRole('button', { name: 'Hủy' }).click();

    await nav('Ký hàng loạt').click();
    const row = (subject: string) => page.locator('.bulk-candidates tbody tr').filter({ has: page.getByRole('button', { name: `Mở văn bản “${subject}”` }) });
    await row(docs[1]!.subject).waitFor();
    await expect(row(docs[1]!.subject).getByRole('cell').allTextContents()).resolves.toEqual(expect.arrayContaining(['Chưa cấp số (…/UBND-VP)', 'Thượng khẩn']));
    await expect(row(docs[2]!.subject).getByRole('cell').nth(3).textContent()).resolves.toBe('Khẩn');
    await expect(row(docs[2]!.subject).getByRole('cell').nth(2).textContent()).resolves.toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    const certificate = page.getByLabel('Chứng thư số', { exact: true });
    // This page checks revocation again ("Đang kiểm tra" meanwhile): wait for its answer, as the dialog above does.
    await certificate.locator('option', { hasText: 'Lê Thị Thu Hà' }).filter({ hasText: '[Đã bị thu hồi]' }).waitFor({ state: 'attached', timeout: 30_000 });
    await shot('bulk-1920');

    // A row opens its document, and the way back keeps the list.
    await page.getByRole('button', { name: `Mở văn bản “${docs[1]!.subject}”` }).click();
    await page.getByRole('heading', { name: docs[1]!.subject }).waitFor();
    await nav('Ký hàng loạt').click();
    await row(docs[1]!.subject).waitFor();

    const rsaOption = await certificate.locator('option', { hasText: `…${tail('leader-rsa')}` }).getAttribute('value');
    await certificate.selectOption(rsaOption!);
    await row(docs[1]!.subject).getByRole('checkbox').check();
    await row(docs[2]!.subject).getByRole('checkbox').check();
    await page.getByLabel('Mức chữ ký').selectOption('B-B');
    await page.getByLabel('Mã PIN (một lần cho cả lượt)').fill(pki.userPin);
    await page.getByRole('button', { name: 'Ký 2 văn bản' }).click();
    await page.getByText(/Đã xong lượt ký: 2 đã ký/).waitFor({ timeout: 90_000 });
    await expect(row(docs[1]!.subject).count()).resolves.toBe(0);
    await expect(row(docs[2]!.subject).count()).resolves.toBe(0);
    await shot('bulk-done-1920');
    for (const doc of docs.slice(1, 3)) expect(listFiles(runtime.store.db, doc.id)[0]!.revisions.map((r) => r.signatureKind)).toEqual(['none', 'leader']);


    // Settings list each certificate's image: the EC one has its own (chosen in the dialog), the RSA one none.
    await nav('Cài đặt').click();
    const ecImage = page.getByRole('group', { name: new RegExp(`…${tail('leader-ec')}$`) });
    await ecImage.getByText('Ảnh chữ ký riêng của chứng thư số này').waitFor();
    await ecImage.getByRole('img', { name: 'Ảnh chữ ký sẽ đặt lên văn bản' }).waitFor();
    await page.getByRole('group', { name: new RegExp(`…${tail('leader-rsa')}$`) }).getByText('Chứng thư số này chưa có ảnh chữ ký.').waitFor();
    await ecImage.scrollIntoViewIfNeeded();
    await shot('settings-images-1920');
  });
});
