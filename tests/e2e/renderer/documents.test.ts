// The registers and compose screens in Chromium against the real store: compose with a PDF and two recipients from the cached directory, find the draft.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveDirectory } from '../../../src/core/exchange/records.js';
import { assignOutgoingNumber, createDocument, getDocument, listDocuments, listFiles, setRecipientStatus, transition } from '../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom } from '../../../src/core/trust/index.js';
import { startRuntime, type AppRuntime } from '../../../src/main/runtime.js';
import { fixture } from '../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../kit/pki.js';
import { buildRendererOnce } from '../kit/build-renderer.js';
import { openRenderer, type Harness } from '../kit/browser-harness.js';

const pki = usePrivateTokens();
let runtime: AppRuntime;
let harness: Harness;
let sentId: number;
const SUBJECT = 'Về việc triển khai chữ ký số trong cơ quan nhà nước năm 2027';
/** The hidden input behind one of the compose screen's file buttons. */
const fileSlot = (page: Page, name: string) => page.getByRole('group', { name, exact: true }).locator('input[type="file"]');
const shot = (name: string) => harness.page.screenshot({ path: `.tmp/screenshots/${name}.png`, fullPage: true });
/** The document page (signing feature) shows the draft: its subject as heading and the first page drawn, before the test moves on. */
const documentPageShown = async () => {
  await harness.page.getByRole('heading', { name: SUBJECT, level: 2 }).waitFor();
  await harness.page.locator('canvas[data-rendered-page]').first().waitFor({ timeout: 20_000 });
};

beforeAll(async () => {
  buildRendererOnce();
  mkdirSync('.tmp/screenshots', { recursive: true });
  const trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  runtime = await startRuntime({ dataDir: mkdtempSync(path.join(tmpdir(), 'vanthu-e2e-documents-')), modulePaths: [pki.module], trust, tokenPollMs: 60_000 });
  // The directory cache as a sync with the exchange server leaves it.
  saveDirectory(runtime.store.db, [
    { organId: 'H09.01', name: 'UBND tỉnh Cao Bằng', parent: null },
    { organId: 'H09.02', name: 'Sở Tài chính tỉnh Cao Bằng', parent: 'H09.01' },
    { organId: 'H09.03', name: 'Sở Nội vụ tỉnh Cao Bằng', parent: 'H09.01' },
    { organId: 'G01.05', name: 'Bộ Nội vụ', parent: null },
    { organId: 'H32.10', name: 'Ủy ban nhân dân thành phố Đà Nẵng', parent: null },
  ]);
  for (let i = 1; i <= 30; i++) createDocument(runtime.store.db, 'outgoing', { subject: `Thông báo kết luận cuộc họp giao ban tuần ${i}`, recipients: [{ organId: 'G01.05', organName: 'Bộ Nội vụ' }] });
  for (let i = 1; i <= 5; i++) createDocument(runtime.store.db, 'incoming', { subject: `Giấy mời dự hội nghị số ${i}`, organName: 'Bộ Nội vụ', codeNumber: String(10 + i), codeNotation: 'BNV-VP', issuedDate: '2026-11-20' });
  // One document through the whole outgoing flow, as the signing and exchange features leave it: sent, the ministry's copy arrived.
  const sent = createDocument(runtime.store.db, 'outgoing', {
    organId: 'H09.01',
    organName: 'UBND tỉnh Cao Bằng',
    codeNotation: 'UBND-VP',
    subject: 'Báo cáo tình hình triển khai văn bản điện tử quý IV',
    recipients: [
      { organId: 'G01.05', organName: 'Bộ Nội vụ' },
      { organId: 'H09.02', organName: 'Sở Tài chính tỉnh Cao Bằng' },
    ],
  });
  sentId = sent.id;
  transition(runtime.store.db, sentId, 'signed_by_leader');
  assignOutgoingNumber(runtime.store.db, sentId);
  for (const state of ['issued', 'queued', 'sending'] as const) transition(runtime.store.db, sentId, state);
  transition(runtime.store.db, sentId, 'sent', { receipt: '{"test":"receipt"}' });
  setRecipientStatus(runtime.store.db, sentId, 'G01.05', '01');
  harness = await openRenderer({ version: 'test', userModulePaths: () => [pki.module], runtime, trust });
}, 120_000);
afterAll(async () => {
  await harness?.close();
  await runtime?.close();
  await finalizeAllModules();
});

describe('registers and compose', () => {
  it('opens on the outgoing register with its rows, and switches views', async () => {
    const { page } = harness;
    await page.getByRole('heading', { name: 'Sổ văn bản' }).waitFor();
    await page.getByRole('status').filter({ hasText: /^31 văn bản$/ }).waitFor();
    const list = page.getByRole('list', { name: 'Danh sách văn bản' });
    await list.getByRole('button', { name: /Thông báo kết luận cuộc họp giao ban tuần 30/ }).waitFor();
    await expect(list.getByRole('button').nth(1).textContent()).resolves.toContain('Bộ Nội vụ: Chưa có trạng thái');
    await shot('documents-outgoing');
    await page.getByRole('tab', { name: 'Văn bản đến' }).click();
    await page.getByRole('status').filter({ hasText: /^5 văn bản$/ }).waitFor();
    await expect(list.getByRole('button').first().textContent()).resolves.toContain('15/BNV-VP');
    await shot('documents-incoming');
  });

  it('shows a sent document with each recipient status in words, and updates it live', async () => {
    const { page } = harness;
    await page.getByRole('tab', { name: 'Đã gửi' }).click();
    const row = page.getByRole('list', { name: 'Danh sách văn bản' }).getByRole('button', { name: /Báo cáo tình hình triển khai văn bản điện tử quý IV/ });
    await expect(row.textContent()).resolves.toMatch(/^01\/UBND-VP/);
    await row.getByText('Bộ Nội vụ: Đã đến').waitFor();
    await row.getByText('Sở Tài chính tỉnh Cao Bằng: Chưa có trạng thái').waitFor();
    await expect(row.textContent()).resolves.toContain('Đã gửi');
    // The ministry registers it: the exchange feature stores the status and tells the renderer.
    setRecipientStatus(runtime.store.db, sentId, 'G01.05', '03');
    await harness.emit('documents.statusChanged', { documentId: sentId, recipient: 'G01.05', code: '03' });
    await row.getByText('Bộ Nội vụ: Đã tiếp nhận').waitFor();
    await shot('documents-sent');
    await page.getByRole('tab', { name: 'Văn bản đi' }).click();
  });

  it('refuses a file that is not a PDF on the compose screen', async () => {
    const { page } = harness;
    await page.getByRole('main').getByRole('button', { name: 'Soạn văn bản' }).click();
    await page.getByRole('heading', { name: 'Soạn văn bản' }).waitFor();
    // The drafting form opens first; a PDF made elsewhere goes through the upload tab.
    await page.getByRole('tab', { name: 'Tải tệp lên' }).click();
    await fileSlot(page, 'Tệp chính (PDF)').setInputFiles({ name: 'to-trinh.doc', mimeType: 'application/octet-stream', buffer: Buffer.from('\xd0\xcf\x11\xe0 word') });
    await page.getByRole('alert').filter({ hasText: 'Tệp “to-trinh.doc” không phải là tệp PDF.' }).waitFor();
    await page.getByRole('button', { name: 'Lưu dự thảo' }).click();
    await page.getByText('Cần có tệp chính (PDF).').waitFor();
    await page.getByText('Bắt buộc nhập.').waitFor();
  });

  it('composes a draft with a PDF, an appendix and two recipients from the directory, and stores it', async () => {
    const { page } = harness;
    await page.getByLabel('Cơ quan ban hành', { exact: true }).fill('UBND tỉnh Cao Bằng');
    await page.getByLabel('Mã định danh cơ quan ban hành').fill('H09.01');
    await page.getByLabel('Ký hiệu (ví dụ UBND-VP)').fill('UBND-VP');
    await page.getByLabel('Trích yếu').fill(SUBJECT);
    await page.getByLabel('Chức vụ người ký').fill('Chủ tịch');
    await page.getByLabel('Họ và tên người ký').fill('Nguyễn Thị Hồng Nhung');
    await page.getByLabel('Địa danh').fill('Cao Bằng');
    await page.getByLabel('Độ khẩn').selectOption({ label: 'Khẩn' });
    await fileSlot(page, 'Tệp chính (PDF)').setInputFiles(path.resolve('tests/fixtures/pdf/classic-xref.pdf'));
    await fileSlot(page, 'Phụ lục (PDF)').setInputFiles(path.resolve('tests/fixtures/pdf/xref-stream.pdf'));
    await page.getByRole('button', { name: 'Bỏ tệp xref-stream.pdf' }).waitFor();

    const search = page.getByLabel('Tìm cơ quan nhận (tên hoặc mã định danh)');
    const results = page.getByRole('list', { name: 'Cơ quan trong danh bạ' }).getByRole('listitem');
    // The search narrows the directory (typed without diacritics, or an organ id prefix) before the pick.
    await search.fill('so tai chinh cao bang');
    await expect.poll(() => results.allTextContents()).toEqual([expect.stringContaining('Sở Tài chính tỉnh Cao Bằng')]);
    await page.getByRole('button', { name: 'Thêm Sở Tài chính tỉnh Cao Bằng' }).click();
    await search.fill('H09');
    await expect.poll(() => results.count()).toBe(3);
    await search.fill('G01');
    await expect.poll(() => results.allTextContents()).toEqual([expect.stringContaining('Bộ Nội vụ')]);
    await page.getByRole('button', { name: 'Thêm Bộ Nội vụ' }).click();
    const chosen = page.getByRole('list', { name: 'Nơi nhận đã chọn' });
    await expect(chosen.getByRole('listitem').allTextContents()).resolves.toEqual([
      expect.stringContaining('Sở Tài chính tỉnh Cao Bằng (H09.02)'),
      expect.stringContaining('Bộ Nội vụ (G01.05)'),
    ]);
    await shot('compose');

    await page.getByRole('button', { name: 'Lưu dự thảo' }).click();
    await documentPageShown();

    // What the store holds: the draft, its recipients, and the very bytes of both PDFs.
    const [draft] = listDocuments(runtime.store.db, { direction: 'outgoing', state: 'draft', limit: 1 }).items;
    const stored = getDocument(runtime.store.db, draft!.id);
    expect(stored).toMatchObject({ organId: 'H09.01', organName: 'UBND tỉnh Cao Bằng', codeNotation: 'UBND-VP', subject: SUBJECT, signerPosition: 'Chủ tịch', signerFullName: 'Nguyễn Thị Hồng Nhung', issuedPlace: 'Cao Bằng', priority: 1, typeName: 'Công văn' });
    expect(stored.recipients.map((r) => r.organId)).toEqual(['H09.02', 'G01.05']);
    const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    expect(listFiles(runtime.store.db, draft!.id).map((f) => [f.role, f.name, f.revisions[0]!.sha256])).toEqual([
      ['main', 'classic-xref.pdf', sha(fixture('classic-xref.pdf'))],
      ['appendix', 'xref-stream.pdf', sha(fixture('xref-stream.pdf'))],
    ]);
  });

  it('lists the draft under “Dự thảo”, finds it without diacritics, and opens it from the keyboard', async () => {
    const { page } = harness;
    await page.getByRole('navigation').getByRole('button', { name: 'Văn bản', exact: true }).click();
    await page.getByRole('tab', { name: 'Dự thảo' }).click();
    const list = page.getByRole('list', { name: 'Danh sách văn bản' });
    await list.getByRole('button', { name: new RegExp(SUBJECT) }).waitFor();
    await page.getByRole('status').filter({ hasText: /^31 văn bản$/ }).waitFor();

    await page.getByLabel('Tìm kiếm').fill('trien khai chu ky so co quan nha nuoc');
    await page.getByRole('status').filter({ hasText: /^1 văn bản$/ }).waitFor();
    await expect.poll(() => list.getByRole('button').count()).toBe(1);
    const row = list.getByRole('button', { name: new RegExp(SUBJECT) });
    await expect(row.textContent()).resolves.toContain('Sở Tài chính tỉnh Cao Bằng: Chưa có trạng thái');
    await expect(row.textContent()).resolves.toContain('Khẩn');
    await shot('documents-drafts-search');

    await page.getByLabel('Tìm kiếm').fill('khong co van ban nao nhu vay');
    await page.getByText('Không tìm thấy văn bản nào khớp “khong co van ban nao nhu vay”.').waitFor();
    await page.getByLabel('Tìm kiếm').fill('trien khai');
    await row.focus();
    await page.keyboard.press('Enter');
    await documentPageShown();
  });

  it('says everything in English too', async () => {
    const { page } = harness;
    const wait = { timeout: 5_000 };
    await page.getByLabel('Ngôn ngữ').selectOption('en');
    await page.getByRole('navigation').getByRole('button', { name: 'Documents', exact: true }).click(wait);
    await page.getByRole('heading', { name: 'Document registers' }).waitFor(wait);
    await page.getByRole('tab', { name: 'Drafts' }).click(wait);
    await page.getByRole('status').filter({ hasText: /^31 documents$/ }).waitFor(wait);
    await expect(page.getByRole('list', { name: 'Documents' }).getByRole('button').first().textContent(wait)).resolves.toContain('Draft');
    await page.getByLabel('Language').selectOption('vi');
  });
});
