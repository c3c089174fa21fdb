// "Dùng thử" on a fresh machine, through `npm start`'s browser preview in Chromium, the whole day of issue 16: no token → the offer → the banner
// on every screen; the robot agency's signed document arrives valid, is accepted, submitted to the leader, assigned with a deadline, in progress
// and done (the exchange server holds our 04/05/06); a document written in the drafting form is signed, numbered, sealed and sent and gets the
// robot's "Đã tiếp nhận"; the outgoing register prints; leaving removes the demo. At 1366×768 and 1920×1080, screenshots in .tmp/screenshots/demo-*.png.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_FLAGS } from '../kit/browser-harness.js';
import { buildRendererOnce } from '../kit/build-renderer.js';
import {
  BANNER, chooseDemo, composeSignSend, DEADLINE_TEXT, logIn, nav, OURS, printOutgoingRegister, processIncoming, receiveAndAccept, ROBOT, ROBOT_FIRST, ROBOT_SECOND, statusesReportedToRobot,
} from '../kit/demo-day.js';
import { startPreview, type PreviewProcess } from '../kit/preview-process.js';

const SHOTS = '.tmp/screenshots';

let preview: PreviewProcess;
let browser: Browser;
let page: Page;
let size = '1366';
const errors: string[] = [];

const shot = (name: string) => page.screenshot({ path: `${SHOTS}/demo-${size}-${name}.png` });
const banner = () => page.getByRole('region', { name: 'Bản dùng thử' });

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
    expect(existsSync(path.join(preview.dataDir, 'demo'))).toBe(false);
  });

  it('choosing it makes the demo and shows the banner, with the demo PINs, on every screen', async () => {
    await chooseDemo(page, shot);
    await expect(banner().textContent()).resolves.toMatch(/“DUNG THU LANH DAO” \(Nguyễn Văn An\) là 111111.*“DUNG THU DON VI” \(UBND tỉnh Dùng Thử\) là 222222/);
    // The offer is gone: the demo runs, in the data folder's demo/ subfolder.
    await expect(page.getByRole('region', { name: 'Dùng thử vanthu' }).count()).resolves.toBe(0);
    expect(existsSync(path.join(preview.dataDir, 'demo', 'tokens'))).toBe(true);
    for (const screen of ['USB token', 'Văn bản đến', 'Soạn văn bản', 'Cài đặt', 'Văn bản']) {
      await nav(page, screen).click();
      await banner().waitFor();
    }
    await nav(page, 'USB token').click();
    await page.getByText('DUNG THU LANH DAO').first().waitFor();
    await page.getByText('DUNG THU DON VI').first().waitFor();
    await shot('tokens');
  });

  it('1366×768: the robot agency’s signed document arrives, verifies as valid, and is accepted', async () => {
    await logIn(page);
    const { rowText, checkText } = await receiveAndAccept(page, ROBOT_FIRST, shot);
    expect(rowText).toContain('Hợp lệ');
    expect(checkText).toContain('Người ký: Sở Nội vụ tỉnh Dùng Thử');
  });

  it('1366×768: it is submitted to the leader, assigned with a deadline, in progress and done; the exchange server holds our 04, 05, 06', async () => {
    const { record, rowText } = await processIncoming(page, ROBOT_FIRST, shot);
    expect(rowText).toContain(DEADLINE_TEXT);
    expect(record).toContain('Trình lãnh đạo: Chủ tịch Nguyễn Văn An');
    expect(record).toContain(`Lãnh đạo phân công: Văn phòng UBND tỉnh — hạn xử lý ${DEADLINE_TEXT}`);
    expect(record).toContain('Kết quả: Đã cử 02 cán bộ, gửi danh sách cho Sở Nội vụ.');
    // What the robot agency's side of the exchange sees: received, accepted, assigned, in progress, done, in that order.
    await expect.poll(() => statusesReportedToRobot(preview.dataDir)[0], { timeout: 60_000, interval: 500 }).toEqual(['01', '03', '04', '05', '06']);
  });

  it('1366×768: a document written in the drafting form, signed by the leader, numbered, sealed and sent gets the robot’s "Đã tiếp nhận"', async () => {
    const { confirmText, rowText } = await composeSignSend(page, shot);
    expect(confirmText).toContain(ROBOT);
    expect(confirmText).toContain('000.00.01.T99');
    expect(rowText).toMatch(/^01\/UBND-VP/);
  });

  it('1366×768: the outgoing register prints with our document in it', async () => {
    const pdf = await printOutgoingRegister(page, shot);
    const words = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(words).toContain('SỔ ĐĂNG KÝ VĂN BẢN ĐI');
    expect(words).toContain('01/UBND-VP');
    expect(words.replace(/\s+/g, ' ')).toContain('tổng kết công tác văn thư');
    expect(OURS).toContain('tổng kết công tác văn thư');
  });

  it('1920×1080: the second document from the robot is received, accepted and taken to done', async () => {
    size = '1920';
    await page.setViewportSize({ width: 1920, height: 1080 });
    await logIn(page);
    const { rowText } = await receiveAndAccept(page, ROBOT_SECOND, shot);
    expect(rowText).toContain('Hợp lệ');
    const { record } = await processIncoming(page, ROBOT_SECOND, shot);
    expect(record).toContain('Hoàn thành');
    const day = ['01', '03', '04', '05', '06'];
    await expect.poll(() => statusesReportedToRobot(preview.dataDir), { timeout: 60_000, interval: 500 }).toEqual([day, day]);
  });

  it('1920×1080: a second document written, signed, numbered 02, sealed and sent is accepted too', async () => {
    const { confirmText, rowText } = await composeSignSend(page, shot, 'Về việc báo cáo tình hình sử dụng chữ ký số năm 2026');
    expect(confirmText).toContain(ROBOT);
    expect(rowText).toMatch(/^02\/UBND-VP/);
  });

  it('leaving the demo removes it and goes back to the real setup: no banner, the offer again', async () => {
    await banner().getByRole('button', { name: 'Thoát bản dùng thử' }).click();
    await page.getByRole('button', { name: 'Xóa và thoát' }).click();
    await page.getByRole('region', { name: 'Dùng thử vanthu' }).waitFor({ timeout: 60_000 });
    await expect(page.getByText(BANNER).count()).resolves.toBe(0);
    expect(existsSync(path.join(preview.dataDir, 'demo'))).toBe(false);
    await shot('left');
    expect(errors).toEqual([]);
  });
});
