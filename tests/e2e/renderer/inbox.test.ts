// The inbox, verify, bulk and settings screens in Chromium, window.vanthu bound to agency B's real runtime; agency A sends through the real exchange server on loopback.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagHeld, heldDocument } from '../../../src/core/exchange/index.js';
import { signPdf } from '../../../src/core/signing/index.js';
import { getDocument, JsonFileSettingsStore, listFiles, readLatest, type Store } from '../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../src/core/trust/index.js';
import { validatePdf } from '../../../src/core/validation/index.js';
import { createDispatcher, type Dispatch } from '../../../src/main/ipc/dispatcher.js';
import { startRuntime, type AppRuntime } from '../../../src/main/runtime.js';
import { createHandlers } from '../../../src/main/services.js';
import { discPng, fixture } from '../../kit/pdf-tools.js';
import { tokenNamed, usePrivateTokens } from '../../kit/pki.js';
import { encodeGreyPng } from '../../kit/png.js';
import { logoutAll } from '../../kit/signing-key.js';
import { draftWithPdf } from '../../integration/core/outbox/kit.js';
import { CAO_BANG, ORIGIN, startTestServer, testKeys, type TestServer } from '../../integration/server/kit.js';
import { buildRendererOnce } from '../kit/build-renderer.js';
import { openRenderer, type Harness } from '../kit/browser-harness.js';
import { issuedDocument } from '../../integration/core/exchange/issued-document.js';

const pki = usePrivateTokens();
let server: TestServer;
let trust: TrustStore;
let goodPdf: Uint8Array;
/** Other sealed files: a send's id derives from its files, so each document sent here needs its own. */
let otherPdfs: Uint8Array[];
let tampered: Buffer;
let sender: { runtime: AppRuntime; dispatch: Dispatch };
let recipient: { runtime: AppRuntime; settings: JsonFileSettingsStore };
let harness: Harness;
const dirs: string[] = [];
const shots = '.tmp/screenshots';

const derOfPem = (pem: string): Uint8Array => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));

async function agencyRuntime(token: string, cert: string, url: string): Promise<{ runtime: AppRuntime; settings: JsonFileSettingsStore }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-e2e-agency-'));
  dirs.push(dataDir);
  const settings = new JsonFileSettingsStore(path.join(dataDir, 'settings.json'));
  settings.set({ serverUrl: url, exchangeLogin: { module: pki.module, label: token, cert } });
  const runtime = await startRuntime({
    dataDir, modulePaths: [pki.module], trust, chain: [derOfPem(readFileSync(pki.subCaPem, 'utf8'))], tokenPollMs: 60_000, settings: settings.get(), exchange: { origin: ORIGIN, pollMs: 300 },
  });
  return { runtime, settings };
}

beforeAll(async () => {
  buildRendererOnce();
  mkdirSync(shots, { recursive: true });
  const keys = await testKeys(pki);
  const byLeader = await signPdf(fixture('classic-xref.pdf'), keys.leader, { reason: 'Phê duyệt' });
  goodPdf = (await signPdf(byLeader.bytes, keys.agency, {})).bytes;
  otherPdfs = [(await signPdf(fixture('xref-stream.pdf'), keys.agency, {})).bytes, (await signPdf(fixture('object-streams.pdf'), keys.agency, {})).bytes];
  tampered = Buffer.from(goodPdf);
  const at = tampered.indexOf('Tj', 0, 'latin1') - 3;
  tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
  // Each app unlocks its own tokens; the kit's logins are undone.
  await logoutAll();
  server = await startTestServer(pki, keys, 'sqlite');
  const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });

  const a = await agencyRuntime('VANTHU AGENCY', 'agency-rsa', url);
  sender = { runtime: a.runtime, dispatch: createDispatcher(createHandlers({ version: 'test', userModulePaths: () => [pki.module], runtime: a.runtime, settings: a.settings, trust })) };
  recipient = await agencyRuntime('VANTHU SPARE', 'spare-rsa', url);
  harness = await openRenderer({ version: 'test', userModulePaths: () => [pki.module], runtime: recipient.runtime, settings: recipient.settings, trust });
}, 180_000);

afterAll(async () => {
  await harness?.close();
  await sender?.runtime.close();
  await recipient?.runtime.close();
  await server?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await finalizeAllModules();
});

const nav = (name: string) => harness.page.getByRole('navigation').getByRole('button', { name, exact: true });

describe('inbox screen', () => {
  it('logs in with the PIN, receives a sent document live, shows its signatures valid in words, and accepts it; the sender sees 03', async () => {
    const { page } = harness;
    await nav('Văn bản đến').click();
    await page.getByRole('heading', { name: 'Văn bản đến', level: 2 }).waitFor();
    const bar = page.getByRole('region', { name: 'Kết nối máy chủ trao đổi' });
    await bar.getByText('Cần nhập mã PIN của USB token đơn vị').waitFor();
    const pin = bar.getByLabel('Mã PIN token đơn vị');
    await expect(pin.getAttribute('type')).resolves.toBe('password');
    await pin.fill(pki.userPin);
    await bar.getByRole('button', { name: 'Đăng nhập máy chủ' }).click();
    await bar.getByText('Đơn vị: Sở Nội vụ tỉnh Cao Bằng (000.00.01.H14)').waitFor();
    await expect(pin.count()).resolves.toBe(0);
    await page.getByText('Chưa có văn bản đến.').waitFor();

    // Agency A sends; B's runtime pulls on the server's poke and the list updates by itself.
    const login = await sender.dispatch('sync.login', { pin: pki.userPin });
    expect(login).toMatchObject({ ok: true, value: { agency: { organId: CAO_BANG } } });
    const documentId = issuedDocument(sender.runtime.store, 'Về việc tổ chức hội nghị chuyển đổi số', goodPdf);
    sender.runtime.exchange.engine!.send(documentId);
    await page.getByRole('status').filter({ hasText: 'Có 1 văn bản mới đến.' }).waitFor({ timeout: 30_000 });
    const row = page.getByRole('row', { name: /Về việc tổ chức hội nghị chuyển đổi số/ });
    await expect(row.textContent()).resolves.toContain('UBND tỉnh Cao Bằng');
    await expect(row.textContent()).resolves.toContain('Hợp lệ');

    await page.getByRole('button', { name: 'Mở văn bản “Về việc tổ chức hội nghị chuyển đổi số”' }).click();
    const detail = page.getByRole('article', { name: 'Về việc tổ chức hội nghị chuyển đổi số' });
    const panel = detail.getByRole('region', { name: 'Kiểm tra chữ ký số' });
    await panel.getByRole('heading', { name: 'Kiểm tra chữ ký số: Hợp lệ' }).waitFor();
    const words = await panel.textContent();
    expect(words).toContain('Người ký: Nguyễn Thị Hồng Nhung');
    expect(words).toContain('Người ký: UBND tỉnh Cao Bằng');
    expect(words).toContain('Nhà cung cấp chứng thư (CA): Test CA Chuyên dùng Chính phủ');
    expect(words).toContain('Chữ ký bao trùm toàn bộ văn bản.');
    expect(words).toContain('Chứng thư số thuộc nhà cung cấp được tin cậy');
    // Taken in with its incoming number: the register shows it (no "Vào sổ" needed).
    await expect(detail.textContent()).resolves.toMatch(/Số đếnSố 1 ngày/);
    await expect(detail.getByRole('button', { name: 'Vào sổ' }).count()).resolves.toBe(0);
    await page.screenshot({ path: `${shots}/inbox-document.png`, fullPage: true });

    await detail.getByRole('button', { name: 'Tiếp nhận', exact: true }).click();
    await detail.getByRole('status').filter({ hasText: 'Đã tiếp nhận và báo cho cơ quan gửi.' }).waitFor();
    await detail.locator('[data-state="accepted"]').waitFor();
    await expect(detail.getByRole('button', { name: 'Từ chối' }).count()).resolves.toBe(0);

    const inbox = listIncoming(recipient.runtime.store);
    expect(inbox).toEqual([expect.objectContaining({ subject: 'Về việc tổ chức hội nghị chuyển đổi số', state: 'accepted' })]);
    // A's runtime hears status 03 through the status feed.
    await expect.poll(() => getDocument(sender.runtime.store.db, documentId).recipients[0]?.status, { timeout: 30_000 }).toBe('03');
    await page.screenshot({ path: `${shots}/inbox.png`, fullPage: true });
  }, 90_000);

  it('rejects a document with a reason; the sender sees 02', async () => {
    const { page } = harness;
    const documentId = issuedDocument(sender.runtime.store, 'Về việc gửi nhầm nơi nhận', otherPdfs[0]!);
    sender.runtime.exchange.engine!.send(documentId);
    const open = page.getByRole('button', { name: 'Mở văn bản “Về việc gửi nhầm nơi nhận”' });
    await open.waitFor({ timeout: 30_000 });
    await open.click();
    const detail = page.getByRole('article', { name: 'Về việc gửi nhầm nơi nhận' });
    await detail.getByRole('button', { name: 'Từ chối' }).click();
    const form = detail.getByRole('form', { name: 'Từ chối văn bản' });
    await form.getByRole('button', { name: 'Gửi từ chối' }).click();
    await form.getByText('Hãy nhập lý do (ít nhất 3 ký tự).').waitFor();
    await form.getByLabel('Lý do từ chối').fill('Văn bản không thuộc thẩm quyền của Sở');
    await form.getByRole('button', { name: 'Gửi từ chối' }).click();
    await detail.getByRole('status').filter({ hasText: 'Đã từ chối và báo cho cơ quan gửi.' }).waitFor();
    await detail.getByText('Lý do: Văn bản không thuộc thẩm quyền của Sở').waitFor();
    await expect.poll(() => getDocument(sender.runtime.store.db, documentId).recipients[0]?.status, { timeout: 30_000 }).toBe('02');
  }, 60_000);
});

describe('held documents', () => {
  it('shows a held document "Cần kiểm tra lại" with the reason in words; "Kiểm tra lại ngay" re-checks it and clears the flag', async () => {
    const { page } = harness;
    await nav('Văn bản đến').click();
    const subject = 'Về việc kiểm tra lại chữ ký';
    const documentId = issuedDocument(sender.runtime.store, subject, otherPdfs[1]!);
    sender.runtime.exchange.engine!.send(documentId);
    const open = page.getByRole('button', { name: `Mở văn bản “${subject}”` });
    await open.waitFor({ timeout: 30_000 });
    // Held as a pull holds a document whose responder was silent.
    const incomingId = recipient.runtime.store.db.prepare<[string], number>("SELECT id FROM documents WHERE direction = 'incoming' AND subject = ?").pluck().get(subject)!;
    flagHeld(recipient.runtime.store.db, { documentId: incomingId, messageId: 'held-e2e', reason: 'cong-van.pdf: indeterminate (REVOCATION_UNKNOWN) — revocation unknown' });
    await page.getByRole('button', { name: 'Đồng bộ ngay' }).click();
    const row = page.getByRole('row', { name: new RegExp(subject) });
    await row.getByText('Cần kiểm tra lại').waitFor();

    await open.click();
    const detail = page.getByRole('article', { name: subject });
    const banner = detail.getByRole('region', { name: 'Văn bản cần kiểm tra lại' });
    await banner.getByText(/cong-van\.pdf: chưa hỏi được tình trạng thu hồi chứng thư số/).waitFor();
    await expect(banner.textContent()).resolves.not.toContain('REVOCATION_UNKNOWN');
    await page.screenshot({ path: `${shots}/inbox-held.png`, fullPage: true });
    await banner.getByRole('button', { name: 'Kiểm tra lại ngay' }).click();
    await detail.getByRole('status').filter({ hasText: 'Đã kiểm tra lại: chữ ký hợp lệ' }).waitFor({ timeout: 30_000 });
    await expect(banner.count()).resolves.toBe(0);
    expect(heldDocument(recipient.runtime.store.db, incomingId)).toBeUndefined();
  }, 60_000);
});

function listIncoming(store: Store) {
  return store.db.prepare<[], { subject: string; state: string }>("SELECT subject, state FROM documents WHERE direction = 'incoming' ORDER BY id").all();
}

describe('verify screen', () => {
  const drop = async (name: string, bytes: Uint8Array): Promise<void> => {
    const { page } = harness;
    const dataTransfer = await page.evaluateHandle(
      ({ b64, name }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type: 'application/pdf' }));
        return transfer;
      },
      { b64: Buffer.from(bytes).toString('base64'), name },
    );
    await page.getByRole('region', { name: 'Vùng thả tệp PDF' }).dispatchEvent('drop', { dataTransfer });
  };

  const pick = async (file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> => {
    const { page } = harness;
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Chọn tệp PDF để kiểm tra' }).click()]);
    await chooser.setFiles(file);
  };

  it('says a dropped signed PDF is valid, and who signed it', async () => {
    const { page } = harness;
    await nav('Kiểm tra chữ ký').click();
    await page.getByRole('heading', { name: 'Kiểm tra chữ ký văn bản' }).waitFor();
    await drop('cong-van.pdf', goodPdf);
    const panel = page.getByRole('region', { name: 'Kiểm tra chữ ký số' });
    await panel.getByRole('heading', { name: 'Kiểm tra chữ ký số: Hợp lệ' }).waitFor();
    await expect(panel.textContent()).resolves.toContain('Người ký: Nguyễn Thị Hồng Nhung');
    await expect(page.getByText(/Tệp: cong-van\.pdf/).count()).resolves.toBe(1);
    await page.screenshot({ path: `${shots}/verify-valid.png`, fullPage: true });
  });

  it('says a tampered PDF is invalid: changed after signing', async () => {
    const { page } = harness;
    // Picked through our file button this time (the browser's chooser answers it).
    await pick({ name: 'da-sua.pdf', mimeType: 'application/pdf', buffer: tampered });
    const panel = page.getByRole('region', { name: 'Kiểm tra chữ ký số' });
    await panel.getByRole('heading', { name: 'Kiểm tra chữ ký số: Không hợp lệ' }).waitFor();
    await expect(panel.textContent()).resolves.toContain('Nội dung đã bị thay đổi sau khi ký.');
    await page.screenshot({ path: `${shots}/verify.png`, fullPage: true });
  });

  it('refuses a file that is not a PDF before sending it', async () => {
    const { page } = harness;
    const calls = harness.calls.filter((c) => c === 'verify.file').length;
    await pick({ name: 'anh.png', mimeType: 'image/png', buffer: Buffer.from(discPng(20, [0, 0, 0])) });
    await page.getByRole('alert').filter({ hasText: '“anh.png” không phải tệp PDF.' }).waitFor();
    expect(harness.calls.filter((c) => c === 'verify.file').length).toBe(calls);
  });
});

describe('bulk signing screen', () => {
  it('signs two drafts with one PIN and shows each result', async () => {
    const { page } = harness;
    const store = recipient.runtime.store;
    const first = draftWithPdf(store, fixture('classic-xref.pdf'), 'Tờ trình số 1 về kế hoạch năm');
    const second = draftWithPdf(store, fixture('classic-xref.pdf'), 'Tờ trình số 2 về ngân sách');
    await nav('Ký hàng loạt').click();
    await page.getByRole('heading', { name: 'Ký hàng loạt', level: 2 }).waitFor();
    await page.getByLabel('Chọn “Tờ trình số 1 về kế hoạch năm”').check();
    await page.getByLabel('Chọn “Tờ trình số 2 về ngân sách”').check();
    // Options name the certificate in full; the serial's tail picks the leader's RSA one among two of the same name.
    const rsaSerial = tokenNamed(pki, 'VANTHU LEADER').objects.find((o) => o.label === 'leader-rsa')!.certSerial;
    const rsaTail = rsaSerial.replace(/[^0-9a-f]/gi, '').toUpperCase().slice(-6);
    const certificate = page.getByLabel('Chứng thư số');
    await certificate.selectOption((await certificate.locator('option', { hasText: `…${rsaTail}` }).getAttribute('value'))!);
    await page.getByLabel('Kiểu chữ ký').selectOption('leader');
    await page.getByLabel('Mức chữ ký').selectOption('B-B');
    await page.getByText('Xem lại: sẽ ký 2 văn bản bằng “Nguyễn Thị Hồng Nhung — VANTHU LEADER”.').waitFor();
    await page.getByLabel('Mã PIN (một lần cho cả lượt)').fill(pki.userPin);
    await page.getByRole('button', { name: 'Ký 2 văn bản' }).click();
    const progress = page.getByRole('region', { name: 'Tiến độ ký' });
    await progress.getByText('Đã xong lượt ký: 2 đã ký, 0 lỗi, 0 chưa ký.').waitFor({ timeout: 60_000 });
    await expect(progress.getByRole('row').allTextContents()).resolves.toEqual(['Tờ trình số 1 về kế hoạch nămĐã ký', 'Tờ trình số 2 về ngân sáchĐã ký']);
    await expect(page.getByLabel('Mã PIN (một lần cho cả lượt)').inputValue()).resolves.toBe('');
    for (const { id } of [first, second]) {
      const [main] = listFiles(store.db, id);
      expect(main!.revisions.at(-1)).toMatchObject({ signatureKind: 'leader', signer: 'Nguyễn Thị Hồng Nhung' });
      const report = await validatePdf(new Uint8Array(readLatest(store.db, store.blobs, main!.id)), { trust, online: true });
      expect(report.verdict).toBe('valid');
    }
    await page.screenshot({ path: `${shots}/bulk.png`, fullPage: true });
  }, 90_000);
});

describe('settings screen', () => {
  it('refuses a signature image without transparency, keeps one with it, and runs diagnostics', async () => {
    const { page } = harness;
    await nav('Cài đặt').click();
    await page.getByRole('heading', { name: 'Cài đặt', level: 2 }).waitFor();
    await expect(page.getByLabel('Địa chỉ máy chủ trao đổi').inputValue()).resolves.toMatch(/^http:\/\/127\.0\.0\.1:/);
    const signature = page.getByRole('group', { name: 'Ảnh chữ ký tay' });
    // Our own file button (no browser "Choose File"): the file chooser it opens gets the file.
    const pickImage = async (file: { name: string; mimeType: string; buffer: Buffer }) => {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser'), signature.getByRole('button', { name: 'Chọn ảnh PNG cho Ảnh chữ ký tay' }).click()]);
      await chooser.setFiles(file);
    };
    await pickImage({ name: 'chu-ky.png', mimeType: 'image/png', buffer: Buffer.from(encodeGreyPng({ width: 40, height: 20, pixels: new Uint8Array(800).fill(220) })) });
    await signature.getByRole('alert').filter({ hasText: 'không có nền trong suốt' }).waitFor();
    await pickImage({ name: 'chu-ky.png', mimeType: 'image/png', buffer: Buffer.from(discPng(80, [20, 40, 200])) });
    await signature.getByRole('img', { name: 'Xem trước Ảnh chữ ký tay' }).waitFor();
    expect(recipient.settings.get().signatureImagePath).toBe(path.join(recipient.runtime.store.dataDir, 'images', 'signature.png'));

    await page.getByLabel('Địa chỉ máy chủ dấu thời gian (TSA)').fill('không phải địa chỉ');
    await page.getByRole('button', { name: 'Lưu cài đặt' }).click();
    await page.getByText('Địa chỉ không hợp lệ (phải bắt đầu bằng http:// hoặc https://).').waitFor();
    await page.getByLabel('Địa chỉ máy chủ dấu thời gian (TSA)').fill('');
    await page.getByLabel('Xác nhận đã nhận văn bản').selectOption('manual');
    await page.getByRole('button', { name: 'Lưu cài đặt' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã lưu cài đặt.' }).waitFor();

    await page.getByRole('button', { name: 'Chạy chẩn đoán' }).click();
    const diagnostics = page.getByRole('region', { name: 'Chẩn đoán' });
    await diagnostics.getByText(/Nạp được, \d+ token/).first().waitFor({ timeout: 30_000 });
    await expect(diagnostics.textContent()).resolves.toContain('Truy cập được (HTTP 200)');
    await page.screenshot({ path: `${shots}/settings.png`, fullPage: true });
  }, 60_000);
});
