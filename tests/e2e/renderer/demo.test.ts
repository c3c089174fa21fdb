// "Dùng thử" on a fresh machine, through `npm start`'s browser preview in Chromium: no token → the offer → chosen → the banner on every screen;
// the robot agency's signed document arrives, verifies as valid and is accepted; a document composed, signed, sealed and sent gets the robot's "Đã tiếp nhận";
// leaving removes the demo. At 1366×768 and 1920×1080, screenshots in .tmp/screenshots/demo-*.png.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDraft } from '../../../src/core/drafting/index.js';
import { writeTemp } from '../../kit/pdf-tools.js';
import { CHROMIUM_FLAGS } from '../kit/browser-harness.js';
import { buildRendererOnce } from '../kit/build-renderer.js';
import { startPreview, type PreviewProcess } from '../kit/preview-process.js';

const SHOTS = '.tmp/screenshots';
const BANNER = 'Đang dùng thử: token, chứng thư và máy chủ đều là bản thử, không có giá trị pháp lý';
const FIRST = 'đề nghị cử cán bộ tham gia lớp bồi dưỡng chuyển đổi số năm 2026';
const SECOND = 'báo cáo tình hình sử dụng chữ ký số trong cơ quan nhà nước';
const OURS = 'Về việc tổng kết công tác văn thư năm 2026';

let preview: PreviewProcess;
let browser: Browser;
let page: Page;
const errors: string[] = [];

const nav = (name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true });
const shot = (name: string) => page.screenshot({ path: `${SHOTS}/demo-${name}.png` });

/** The clerk logs in to the demo exchange with the agency token's demo PIN (shown on the banner). */
async function logIn(): Promise<void> {
  await nav('Văn bản đến').click();
  const bar = page.getByRole('region', { name: 'Kết nối máy chủ trao đổi' });
  const unit = bar.getByText('Đơn vị: UBND tỉnh Dùng Thử (000.00.00.T99)');
  const pin = bar.getByLabel('Mã PIN token đơn vị');
  // Logged in already this session (the token stays unlocked), or asked for the PIN.
  await unit.or(pin).first().waitFor({ timeout: 30_000 });
  if (await unit.isVisible()) return;
  await pin.fill('222222');
  await bar.getByRole('button', { name: 'Đăng nhập máy chủ' }).click();
  await unit.waitFor({ timeout: 30_000 });
}

/** Opens an incoming document from the robot, sees its signature valid, and accepts it. */
async function receiveAndAccept(subject: string, size: string): Promise<void> {
  const open = page.getByRole('button', { name: `Mở văn bản “${subject}”` });
  await open.waitFor({ timeout: 60_000 });
  await expect(page.getByRole('row', { name: new RegExp(subject) }).textContent()).resolves.toContain('Hợp lệ');
  await open.click();
  const detail = page.getByRole('article', { name: subject });
  const verification = detail.getByRole('region', { name: 'Kiểm tra chữ ký số' });
  await verification.getByRole('heading', { name: 'Kiểm tra chữ ký số: Hợp lệ' }).waitFor({ timeout: 30_000 });
  await expect(verification.textContent()).resolves.toContain('Người ký: Sở Nội vụ tỉnh Dùng Thử');
  await shot(`${size}-incoming-verified`);
  await detail.getByRole('button', { name: 'Tiếp nhận', exact: true }).click();
  await detail.getByRole('status').filter({ hasText: 'Đã tiếp nhận và báo cho cơ quan gửi.' }).waitFor();
  await shot(`${size}-incoming-accepted`);
}

beforeAll(async () => {
  buildRendererOnce();
  mkdirSync(SHOTS, { recursive: true });
  preview = await startPreview();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(preview.url);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await preview?.stop();
});

describe('Dùng thử on a fresh machine', { timeout: 240_000 }, () => {
  it('with no token, the registers screen offers "Dùng thử"; nothing of the demo exists yet', async () => {
    const offer = page.getByRole('region', { name: 'Dùng thử vanthu' });
    await offer.waitFor({ timeout: 30_000 });
    await expect(offer.textContent()).resolves.toContain('không đụng đến USB token thật');
    await expect(page.getByText(BANNER).count()).resolves.toBe(0);
    await shot('1366-offer');
    expect(existsSync(path.join(preview.dataDir, 'demo'))).toBe(false);
  });

  it('choosing it makes the demo and shows the banner, with the demo PINs, on every screen', async () => {
    await page.getByRole('button', { name: 'Dùng thử', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Đang tạo token' }).waitFor();
    await page.getByText(BANNER).waitFor({ timeout: 180_000 });
    const banner = page.getByRole('region', { name: 'Bản dùng thử' });
    await expect(banner.textContent()).resolves.toMatch(/“DUNG THU LANH DAO” \(Nguyễn Văn An\) là 111111.*“DUNG THU DON VI” \(UBND tỉnh Dùng Thử\) là 222222/);
    // The offer is gone: the demo runs.
    await expect(page.getByRole('region', { name: 'Dùng thử vanthu' }).count()).resolves.toBe(0);
    for (const screen of ['USB token', 'Văn bản đến', 'Cài đặt']) {
      await nav(screen).click();
      await banner.waitFor();
    }
    await nav('USB token').click();
    await page.getByText('DUNG THU LANH DAO').first().waitFor();
    await shot('1366-tokens');
  });

  it('1366×768: the robot agency’s signed document arrives, verifies as valid, and is accepted', async () => {
    await logIn();
    await receiveAndAccept(FIRST, '1366');
  });

  it('1366×768: a document composed, signed by the leader, numbered and sealed, and sent gets the robot’s "Đã tiếp nhận"', async () => {
    await nav('Soạn văn bản').click();
    await page.getByRole('heading', { name: 'Soạn văn bản' }).waitFor();
    await expect.poll(() => page.getByLabel('Cơ quan ban hành', { exact: true }).inputValue(), { timeout: 30_000 }).toBe('UBND tỉnh Dùng Thử');
    await page.getByLabel('Ký hiệu (ví dụ UBND-VP)').fill('UBND-VP');
    await page.getByLabel('Trích yếu').fill(OURS);
    await page.getByLabel('Chức vụ người ký').fill('Chủ tịch');
    await page.getByLabel('Họ và tên người ký').fill('Nguyễn Văn An');
    await page.getByLabel('Địa danh').fill('Dùng Thử');
    const draft = {
      type: 'cong-van', organName: 'Ủy ban nhân dân tỉnh Dùng Thử', issuedPlace: 'Dùng Thử', codeNotation: 'UBND-VP', subject: 'tổng kết công tác văn thư năm 2026',
      addressees: ['Sở Nội vụ tỉnh Dùng Thử'], signer: { authority: 'TM.', onBehalfOf: 'Ủy ban nhân dân', position: 'Chủ tịch', fullName: 'Nguyễn Văn An' },
      recipientsList: ['Như trên', 'Lưu: VT, VP'], body: [{ kind: 'paragraph', text: 'Ủy ban nhân dân tỉnh đề nghị Sở Nội vụ tổng kết công tác văn thư năm 2026./.' }],
    };
    await page.getByLabel('Tệp chính (PDF)').setInputFiles(writeTemp('cong-van-dung-thu.pdf', await renderDraft(draft)));
    await page.getByLabel('Tìm cơ quan nhận (tên hoặc mã định danh)').fill('so noi vu');
    await page.getByRole('button', { name: 'Thêm Sở Nội vụ tỉnh Dùng Thử' }).click();
    await shot('1366-compose');
    await page.getByRole('button', { name: 'Lưu dự thảo' }).click();
    await page.getByRole('heading', { name: OURS, level: 2 }).waitFor();
    await page.locator('canvas[data-rendered-page="1"]').waitFor({ timeout: 30_000 });

    await page.getByRole('button', { name: 'Tự động đặt vị trí' }).click();
    await page.getByRole('status').filter({ hasText: 'Đã đặt vị trí chữ ký ở trang 1.' }).waitFor();
    await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Ký số', exact: true }).click();
    const sign = page.getByRole('dialog', { name: 'Ký số văn bản' });
    await sign.getByRole('radio', { name: /Nguyễn Văn An — RSA 2048 — Token “DUNG THU LANH DAO”/ }).check();
    await sign.getByLabel('Mã PIN của USB token').fill('111111');
    await shot('1366-sign');
    await sign.getByRole('button', { name: 'Ký số', exact: true }).click();
    await page.locator('.document-metadata').getByText('Lãnh đạo đã ký').waitFor({ timeout: 60_000 });

    await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Cấp số và đóng dấu', exact: true }).click();
    const issue = page.getByRole('dialog', { name: 'Cấp số và đóng dấu cơ quan' });
    await issue.getByRole('radio', { name: /UBND tỉnh Dùng Thử — RSA 2048 — Token “DUNG THU DON VI”/ }).check();
    await issue.getByLabel('Mã PIN của USB token').fill('222222');
    await issue.getByRole('button', { name: 'Cấp số và đóng dấu', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /Đã cấp số 01 ngày .* và đóng dấu cơ quan\./ }).waitFor({ timeout: 60_000 });
    await shot('1366-issued');
    await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Gửi', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /Đã đưa văn bản vào hàng đợi gửi/ }).waitFor();

    await nav('Văn bản').click();
    await page.getByRole('tab', { name: 'Đã gửi' }).click();
    const row = page.getByRole('list', { name: 'Danh sách văn bản' }).getByRole('button', { name: new RegExp(OURS) });
    await row.getByText('Sở Nội vụ tỉnh Dùng Thử: Đã tiếp nhận').waitFor({ timeout: 90_000 });
    await shot('1366-sent-accepted');
  });

  it('1920×1080: the second document from the robot is received and accepted', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    await logIn();
    await receiveAndAccept(SECOND, '1920');
  });

  it('leaving the demo removes it and goes back to the real setup: no banner, the offer again', async () => {
    await page.getByRole('region', { name: 'Bản dùng thử' }).getByRole('button', { name: 'Thoát bản dùng thử' }).click();
    await page.getByRole('button', { name: 'Xóa và thoát' }).click();
    await page.getByRole('region', { name: 'Dùng thử vanthu' }).waitFor({ timeout: 60_000 });
    await expect(page.getByText(BANNER).count()).resolves.toBe(0);
    expect(existsSync(path.join(preview.dataDir, 'demo'))).toBe(false);
    // The real data folder holds only what the real setup made, none of the demo's documents.
    expect(readdirSync(preview.dataDir)).not.toContain('demo');
    await shot('1920-left');
    expect(errors).toEqual([]);
  });
});
