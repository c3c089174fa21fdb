// The demo day's steps in Chromium, shared by the "Dùng thử" e2e test and `npm run screenshots` (the README's pictures): what a new user clicks.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { renderDraft } from '../../../src/core/drafting/index.js';

export const BANNER = 'Đang dùng thử: token, chứng thư và máy chủ đều là bản thử, không có giá trị pháp lý';
export const ROBOT_FIRST = 'đề nghị cử cán bộ tham gia lớp bồi dưỡng chuyển đổi số năm 2026';
export const ROBOT_SECOND = 'báo cáo tình hình sử dụng chữ ký số trong cơ quan nhà nước';
export const OURS = 'Về việc tổng kết công tác văn thư năm 2026';
export const LEADER_PIN = '111111';
export const AGENCY_PIN = '222222';

type Shot = (name: string) => Promise<unknown>;

export const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('button', { name, exact: true });

/** "Dùng thử" on the registers screen, then the banner once the demo runs. */
export async function chooseDemo(page: Page, shot: Shot): Promise<void> {
  await page.getByRole('region', { name: 'Dùng thử vanthu' }).waitFor({ timeout: 30_000 });
  await shot('offer');
  await page.getByRole('button', { name: 'Dùng thử', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Đang tạo token' }).waitFor();
  await page.getByText(BANNER).waitFor({ timeout: 180_000 });
}

/** The clerk logs in to the demo exchange with the agency token's demo PIN (shown on the banner). */
export async function logIn(page: Page): Promise<void> {
  await nav(page, 'Văn bản đến').click();
  const bar = page.getByRole('region', { name: 'Kết nối máy chủ trao đổi' });
  const unit = bar.getByText('Đơn vị: UBND tỉnh Dùng Thử (000.00.00.T99)');
  const pin = bar.getByLabel('Mã PIN token đơn vị');
  // Logged in already this session (the token stays unlocked), or asked for the PIN.
  await unit.or(pin).first().waitFor({ timeout: 30_000 });
  if (await unit.isVisible()) return;
  await pin.fill(AGENCY_PIN);
  await bar.getByRole('button', { name: 'Đăng nhập máy chủ' }).click();
  await unit.waitFor({ timeout: 30_000 });
}

/** Opens an incoming document from the robot, waits for its signature check to say valid, and accepts it; returns the check's words. */
export async function receiveAndAccept(page: Page, subject: string, shot: Shot): Promise<{ rowText: string; checkText: string }> {
  const open = page.getByRole('button', { name: `Mở văn bản “${subject}”` });
  await open.waitFor({ timeout: 60_000 });
  const rowText = (await page.getByRole('row', { name: new RegExp(subject) }).textContent()) ?? '';
  await open.click();
  const detail = page.getByRole('article', { name: subject });
  const verification = detail.getByRole('region', { name: 'Kiểm tra chữ ký số' });
  await verification.getByRole('heading', { name: 'Kiểm tra chữ ký số: Hợp lệ' }).waitFor({ timeout: 30_000 });
  const checkText = (await verification.textContent()) ?? '';
  await shot('incoming-verified');
  await detail.getByRole('button', { name: 'Tiếp nhận', exact: true }).click();
  await detail.getByRole('status').filter({ hasText: 'Đã tiếp nhận và báo cho cơ quan gửi.' }).waitFor();
  await shot('incoming-accepted');
  return { rowText, checkText };
}

/** Composes our document to the robot agency, the leader signs it, the clerk numbers, seals and sends it, and waits for the robot's "Đã tiếp nhận". */
export async function composeSignSend(page: Page, shot: Shot): Promise<void> {
  await nav(page, 'Soạn văn bản').click();
  await page.getByRole('heading', { name: 'Soạn văn bản' }).waitFor();
  // The issuing agency comes from the exchange login: the demo's own agency.
  const organ = page.getByLabel('Cơ quan ban hành', { exact: true });
  for (const deadline = Date.now() + 30_000; (await organ.inputValue()) !== 'UBND tỉnh Dùng Thử'; ) {
    if (Date.now() > deadline) throw new Error(`the issuing agency is "${await organ.inputValue()}", not the demo agency`);
    await page.waitForTimeout(200);
  }
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
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'vanthu-demo-day-')), 'cong-van-dung-thu.pdf');
  writeFileSync(file, await renderDraft(draft));
  await page.getByLabel('Tệp chính (PDF)').setInputFiles(file);
  await page.getByLabel('Tìm cơ quan nhận (tên hoặc mã định danh)').fill('so noi vu');
  await page.getByRole('button', { name: 'Thêm Sở Nội vụ tỉnh Dùng Thử' }).click();
  await shot('compose');
  await page.getByRole('button', { name: 'Lưu dự thảo' }).click();
  await page.getByRole('heading', { name: OURS, level: 2 }).waitFor();
  await page.locator('canvas[data-rendered-page="1"]').waitFor({ timeout: 30_000 });

  await page.getByRole('button', { name: 'Tự động đặt vị trí' }).click();
  await page.getByRole('status').filter({ hasText: 'Đã đặt vị trí chữ ký ở trang 1.' }).waitFor();
  await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Ký số', exact: true }).click();
  const sign = page.getByRole('dialog', { name: 'Ký số văn bản' });
  await sign.getByRole('radio', { name: /Nguyễn Văn An — RSA 2048 — Token “DUNG THU LANH DAO”/ }).check();
  await sign.getByLabel('Mã PIN của USB token').fill(LEADER_PIN);
  await shot('sign');
  await sign.getByRole('button', { name: 'Ký số', exact: true }).click();
  await page.locator('.document-metadata').getByText('Lãnh đạo đã ký').waitFor({ timeout: 60_000 });

  await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Cấp số và đóng dấu', exact: true }).click();
  const issue = page.getByRole('dialog', { name: 'Cấp số và đóng dấu cơ quan' });
  await issue.getByRole('radio', { name: /UBND tỉnh Dùng Thử — RSA 2048 — Token “DUNG THU DON VI”/ }).check();
  await issue.getByLabel('Mã PIN của USB token').fill(AGENCY_PIN);
  await issue.getByRole('button', { name: 'Cấp số và đóng dấu', exact: true }).click();
  await page.getByRole('status').filter({ hasText: /Đã cấp số 01 ngày .* và đóng dấu cơ quan\./ }).waitFor({ timeout: 60_000 });
  await shot('issued');
  await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Gửi', exact: true }).click();
  await page.getByRole('status').filter({ hasText: /Đã đưa văn bản vào hàng đợi gửi/ }).waitFor();

  await nav(page, 'Văn bản').click();
  await page.getByRole('tab', { name: 'Đã gửi' }).click();
  const row = page.getByRole('list', { name: 'Danh sách văn bản' }).getByRole('button', { name: new RegExp(OURS) });
  await row.getByText('Sở Nội vụ tỉnh Dùng Thử: Đã tiếp nhận').waitFor({ timeout: 90_000 });
  await shot('sent-accepted');
}
