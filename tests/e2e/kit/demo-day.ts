// The demo day's steps in Chromium, shared by the "Dùng thử" e2e test and `npm run screenshots` (the README's pictures): what a new user clicks.
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { vietnamDate, vietnamToday } from '../../../src/shared/vietnam-date.js';

export const BANNER = 'Đang dùng thử: token, chứng thư và máy chủ đều là bản thử, không có giá trị pháp lý';
export const ROBOT_FIRST = 'đề nghị cử cán bộ tham gia lớp bồi dưỡng chuyển đổi số năm 2026';
export const ROBOT_SECOND = 'báo cáo tình hình sử dụng chữ ký số trong cơ quan nhà nước';
export const OURS = 'Về việc tổng kết công tác văn thư năm 2026';
export const OUR_BODY = [
  'Thực hiện **Nghị định số 30/2020/NĐ-CP** của Chính phủ về công tác văn thư, Ủy ban nhân dân tỉnh đề nghị Sở Nội vụ:',
  '1. Tổng kết công tác văn thư, lưu trữ năm 2026 của các cơ quan, đơn vị trên địa bàn tỉnh.',
  '2. Báo cáo kết quả về Ủy ban nhân dân tỉnh trước ngày 31 tháng 12 năm 2026./.',
].join('\n');
export const ROBOT = 'Sở Nội vụ tỉnh Dùng Thử';
/** The deadline the leader gives the incoming document: five days from today, as typed (dd/MM/yyyy). */
export const DEADLINE_TEXT = vietnamDate(vietnamToday(new Date(Date.now() + 5 * 86_400_000)));
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
  await shot('inbox');
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

/** The clerk takes the accepted incoming document to the end: submits it to the leader, records the assignment with a deadline, in progress, done. */
export async function processIncoming(page: Page, subject: string, shot: Shot): Promise<{ record: string; rowText: string }> {
  const detail = page.getByRole('article', { name: subject });
  const panel = detail.getByRole('region', { name: 'Xử lý văn bản' });
  await panel.getByRole('button', { name: 'Trình lãnh đạo', exact: true }).click();
  await panel.getByLabel('Lãnh đạo nhận văn bản').fill('Chủ tịch Nguyễn Văn An');
  await panel.getByRole('button', { name: 'Trình', exact: true }).click();
  await detail.getByRole('status').filter({ hasText: 'Đã trình lãnh đạo.' }).waitFor();

  await panel.getByRole('button', { name: 'Ghi ý kiến phân công', exact: true }).click();
  const form = panel.getByRole('form', { name: 'Ý kiến phân phối, chỉ đạo giải quyết' });
  await form.getByLabel('Đơn vị hoặc người chủ trì xử lý').fill('Văn phòng UBND tỉnh');
  await form.getByLabel('Hạn xử lý').fill(DEADLINE_TEXT);
  await form.getByLabel('Ý kiến chỉ đạo').fill('Giao Văn phòng chọn 02 cán bộ, gửi danh sách cho Sở Nội vụ đúng hạn.');
  await form.scrollIntoViewIfNeeded();
  await shot('assignment');
  await form.getByRole('button', { name: 'Lưu phân công' }).click();
  await detail.getByRole('status').filter({ hasText: 'Đã ghi phân công.' }).waitFor();

  // The inbox's tracking list holds it, with its deadline.
  const row = page.getByRole('row', { name: new RegExp(subject) });
  for (const deadline = Date.now() + 15_000; !((await row.textContent()) ?? '').includes(DEADLINE_TEXT); ) {
    if (Date.now() > deadline) throw new Error(`the inbox row does not show the deadline ${DEADLINE_TEXT}: ${await row.textContent()}`);
    await page.waitForTimeout(200);
  }
  await page.getByRole('button', { name: /^Đang theo dõi \(\d+\)$/ }).click();
  const rowText = (await row.textContent()) ?? '';
  await shot('tracking');

  await row.getByRole('button', { name: `Mở văn bản “${subject}”` }).click();
  await panel.getByRole('button', { name: 'Đang xử lý', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Đã ghi nhận đang xử lý.' }).waitFor();
  await panel.getByRole('button', { name: 'Hoàn thành', exact: true }).click();
  await panel.getByLabel('Kết quả xử lý (không bắt buộc)').fill('Đã cử 02 cán bộ, gửi danh sách cho Sở Nội vụ.');
  await panel.getByRole('button', { name: 'Xác nhận hoàn thành' }).click();
  await page.getByRole('status').filter({ hasText: 'Đã hoàn thành.' }).waitFor();
  const steps = panel.getByRole('list', { name: 'Quá trình xử lý' });
  await steps.getByText(/Kết quả: /).first().waitFor();
  const record = (await steps.textContent()) ?? '';
  await shot('incoming-done');
  return { record, rowText };
}

/**
 * The statuses our agency reported to the exchange server on each document from the robot agency, in the order the
 * documents came: what the robot's side of the exchange sees (read from the demo server's own database).
 */
export function statusesReportedToRobot(dataDir: string): string[][] {
  const db = new Database(path.join(dataDir, 'demo', 'exchange.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT message_id, code FROM status_events WHERE by_organ = ? ORDER BY seq').all('000.00.00.T99') as { message_id: string; code: string }[];
    const byMessage = new Map<string, string[]>();
    for (const row of rows) byMessage.set(row.message_id, [...(byMessage.get(row.message_id) ?? []), row.code]);
    return [...byMessage.values()];
  } finally {
    db.close();
  }
}

/**
 * Our document, written in the drafting form as a new user would: the demo filled in the agency, the place and the leader,
 * the user types the subject and body and picks the robot agency; preview, Trình ký, the leader signs, the clerk numbers,
 * seals and sends it (the confirmation names the recipient), and the robot answers "Đã tiếp nhận".
 */
export async function composeSignSend(page: Page, shot: Shot, subject = OURS): Promise<{ confirmText: string; rowText: string }> {
  await nav(page, 'Soạn văn bản').click();
  await page.getByRole('heading', { name: 'Soạn văn bản' }).waitFor();
  // The demo's draft defaults: the agency, its place and the leader are there already.
  const organ = page.getByLabel('Cơ quan ban hành', { exact: true });
  for (const deadline = Date.now() + 30_000; !/tỉnh Dùng Thử$/.test(await organ.inputValue()); ) {
    if (Date.now() > deadline) throw new Error(`the issuing agency is "${await organ.inputValue()}", not the demo agency`);
    await page.waitForTimeout(200);
  }
  for (const [label, value] of [['Địa danh', 'Dùng Thử'], ['Họ và tên người ký', 'Nguyễn Văn An'], ['Chức vụ người ký', 'Chủ tịch']] as const) {
    const typed = await page.getByLabel(label, { exact: true }).inputValue();
    if (typed !== value) throw new Error(`"${label}" starts as "${typed}", not "${value}"`);
  }
  await page.getByLabel('Trích yếu').fill(subject);
  await page.getByLabel('Nội dung văn bản').fill(OUR_BODY);
  await page.getByLabel('Tìm cơ quan nhận (tên hoặc mã định danh)').fill('so noi vu');
  await page.getByRole('button', { name: `Thêm ${ROBOT}` }).click();
  const printedList = await page.getByLabel('Nơi nhận in trên văn bản (mỗi dòng một nơi)').inputValue();
  if (!printedList.includes(ROBOT)) throw new Error(`"Nơi nhận" does not name the recipient: ${printedList}`);
  const preview = page.locator('.draft-preview');
  await preview.locator('canvas[data-rendered-page="1"]').waitFor({ timeout: 30_000 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('compose');
  await page.getByRole('button', { name: 'Trình ký' }).click();
  await page.getByRole('heading', { name: subject, level: 2 }).waitFor({ timeout: 30_000 });
  await page.locator('canvas[data-rendered-page="1"]').waitFor({ timeout: 30_000 });

  await page.getByRole('button', { name: 'Tự động đặt vị trí' }).click();
  await page.getByRole('status').filter({ hasText: /Đã đặt vị trí chữ ký ở trang \d+\./ }).waitFor();
  await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Ký số', exact: true }).click();
  const sign = page.getByRole('dialog', { name: 'Ký số văn bản' });
  await sign.getByRole('radio', { name: /Nguyễn Văn An — RSA 2048 — Token “DUNG THU LANH DAO”/ }).check();
  // The leader's own signature image shows before the PIN is asked.
  await sign.getByText('Ảnh chữ ký riêng của chứng thư số này').waitFor({ timeout: 15_000 });
  await shot('sign');
  await sign.getByLabel('Mã PIN của USB token').fill(LEADER_PIN);
  await sign.getByRole('button', { name: 'Ký số', exact: true }).click();
  await page.locator('.document-metadata').getByText('Lãnh đạo đã ký').waitFor({ timeout: 60_000 });

  await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Cấp số và đóng dấu', exact: true }).click();
  const issue = page.getByRole('dialog', { name: 'Cấp số và đóng dấu cơ quan' });
  await issue.getByRole('radio', { name: /UBND tỉnh Dùng Thử — RSA 2048 — Token “DUNG THU DON VI”/ }).check();
  await issue.getByLabel('Mã PIN của USB token').fill(AGENCY_PIN);
  await issue.getByRole('button', { name: 'Cấp số và đóng dấu', exact: true }).click();
  await page.getByRole('status').filter({ hasText: /Đã cấp số \d+ ngày .* và đóng dấu cơ quan\./ }).waitFor({ timeout: 60_000 });
  await shot('issued');
  await page.getByRole('group', { name: 'Thao tác' }).getByRole('button', { name: 'Gửi', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: 'Gửi văn bản?' });
  const confirmText = (await confirm.textContent()) ?? '';
  await shot('send-confirm');
  await confirm.getByRole('button', { name: 'Gửi', exact: true }).click();
  await page.getByRole('status').filter({ hasText: /Đã đưa văn bản vào hàng đợi gửi/ }).waitFor();

  await nav(page, 'Văn bản').click();
  await page.getByRole('tab', { name: 'Đã gửi' }).click();
  const row = page.getByRole('list', { name: 'Danh sách văn bản' }).getByRole('button', { name: new RegExp(subject) });
  await row.getByText(`${ROBOT}: Đã tiếp nhận`).waitFor({ timeout: 90_000 });
  await shot('sent-accepted');
  return { confirmText, rowText: (await row.textContent()) ?? '' };
}

/** The outgoing register of this year, printed to a PDF from the registers screen; returns where the app saved it. */
export async function printOutgoingRegister(page: Page, shot: Shot): Promise<string> {
  await nav(page, 'Văn bản').click();
  await page.getByRole('tab', { name: 'Văn bản đi' }).click();
  const bar = page.getByRole('region', { name: 'In và xuất sổ' });
  await bar.getByRole('button', { name: 'In sổ' }).click();
  const status = page.getByRole('status').filter({ hasText: /so-van-ban-di-\d{4}\.pdf/ });
  await status.waitFor({ timeout: 60_000 });
  await shot('register-print');
  const match = /vào: (.+?) Lưu bản sao/.exec((await status.textContent()) ?? '');
  if (!match?.[1]) throw new Error(`no path in "${await status.textContent()}"`);
  return match[1];
}
