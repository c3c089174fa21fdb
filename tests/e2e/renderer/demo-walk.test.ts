// The English-string walk over "Dùng thử": through `npm start`'s browser preview in Chromium, the offer, the demo being made, the banner on the
// screens, the demo inbox and the leave confirmation show only Vietnamese from our tables and the demo's own data (its tokens, people, agencies).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_FLAGS } from '../kit/browser-harness.js';
import { buildRendererOnce } from '../kit/build-renderer.js';
import { AGENCY_PIN, BANNER, LEADER_PIN, logIn, nav, ROBOT_FIRST, ROBOT_SECOND } from '../kit/demo-day.js';
import { startPreview, type PreviewProcess } from '../kit/preview-process.js';
import { describeOffences, vietnameseJudge, walkScreens, type Judge, type WalkScreen } from '../kit/vietnamese-walk.js';

const SHOTS = '.tmp/screenshots';

let preview: PreviewProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  buildRendererOnce();
  mkdirSync(SHOTS, { recursive: true });
  preview = await startPreview();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_FLAGS });
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, timezoneId: 'America/New_York', locale: 'en-US' });
  await page.goto(preview.url);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await preview?.stop();
});

/** Every string the services hand the screens as data (token labels, certificate holders and CAs, agencies), error texts left out. */
function dataOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(dataOf);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => (/^message(Vi|En)$|^error$/.test(key) ? [] : dataOf(inner)));
  return [];
}

/**
 * What the running demo holds, asked of the app itself once the demo runs: its tokens, trusted roots, agency directory,
 * the robot's documents (their numbers and notations) and the demo's image files (the screens show their names).
 */
async function demoData(): Promise<string[]> {
  const held = await page.evaluate(async () => {
    const bridge = (window as unknown as { vanthu: { invoke(channel: string, request: unknown): Promise<unknown> } }).vanthu;
    return Promise.all(['tokens.list', 'trust.list', 'demo.status', 'directory.list', 'inbox.list', 'settings.get'].map((channel) => bridge.invoke(channel, {})));
  });
  const data = dataOf(held);
  return [...data, ...data.filter((text) => path.isAbsolute(text)).map((file) => path.basename(file)), LEADER_PIN, AGENCY_PIN, ROBOT_FIRST, ROBOT_SECOND, 'vanthu'];
}

const shot = (size: string) => (screen: string) => page.screenshot({ path: `${SHOTS}/walk-demo-${screen}-${size}.png`, fullPage: true }).then(() => undefined);

/** The judge of the running demo: asked again once the robot's documents are in (their numbers are data too). */
let demoJudge: Judge = vietnameseJudge([]);
const judge: Judge = { allowed: (text) => demoJudge.allowed(text) };
const learnDemoData = async (): Promise<void> => {
  demoJudge = vietnameseJudge(await demoData());
};

const screens = (): WalkScreen[] => [
  { name: 'offer', reach: (p) => p.getByRole('region', { name: 'Dùng thử vanthu' }).waitFor({ timeout: 60_000 }) },
  {
    name: 'making',
    reach: async (p) => {
      await p.getByRole('button', { name: 'Dùng thử', exact: true }).click();
      await p.getByRole('status').filter({ hasText: 'Đang tạo token' }).waitFor();
    },
  },
];

const running = (): WalkScreen[] => [
  { name: 'banner-documents', reach: async (p) => (await nav(p, 'Văn bản').click(), await p.getByText(BANNER).waitFor()) },
  { name: 'banner-tokens', reach: async (p) => (await nav(p, 'USB token').click(), await p.getByText('DUNG THU LANH DAO').first().waitFor({ timeout: 30_000 })) },
  {
    name: 'inbox',
    reach: async (p) => {
      await logIn(p);
      await p.getByRole('button', { name: `Mở văn bản “${ROBOT_FIRST}”` }).waitFor({ timeout: 90_000 });
      await learnDemoData();
    },
  },
  { name: 'compose', reach: async (p) => (await nav(p, 'Soạn văn bản').click(), await p.getByRole('heading', { name: 'Soạn văn bản' }).waitFor()) },
  { name: 'settings', reach: async (p) => (await nav(p, 'Cài đặt').click(), await p.getByRole('heading', { name: 'Cài đặt', level: 2 }).waitFor()) },
  {
    name: 'leave-confirm',
    reach: async (p) => {
      await p.getByRole('region', { name: 'Bản dùng thử' }).getByRole('button', { name: 'Thoát bản dùng thử' }).click();
      await p.getByRole('button', { name: 'Xóa và thoát' }).waitFor();
    },
  },
];

describe('the English-string walk over Dùng thử', () => {
  it('the offer, the demo being made, the banner, the demo inbox and leaving say only Vietnamese, at 1366×768 and 1920×1080', async () => {
    // Before the demo there is no data to show but our own words.
    const before = await walkScreens(page, screens(), vietnameseJudge([]), shot('1366'));
    await page.getByText(BANNER).waitFor({ timeout: 180_000 });
    await learnDemoData();
    const during = await walkScreens(page, running(), judge, shot('1366'));
    await page.getByRole('button', { name: 'Ở lại' }).click();
    await page.setViewportSize({ width: 1920, height: 1080 });
    await learnDemoData();
    const wide = await walkScreens(page, running().filter((s) => s.name !== 'inbox'), judge, shot('1920'));
    const offences = [...before, ...during, ...wide.map((o) => ({ ...o, screen: `${o.screen}-1920` }))];
    expect(offences, `Strings that are not Vietnamese from our tables:\n${describeOffences(offences)}`).toEqual([]);
  }, 480_000);
});
