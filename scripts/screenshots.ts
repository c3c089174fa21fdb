// `npm run screenshots`: the README's pictures of the demo day ("Dùng thử"), taken in Chromium at 1366×768 from a fresh preview, into docs/screenshots/.
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../tests/e2e/kit/browser-harness.js';
import { chooseDemo, composeSignSend, logIn, nav, receiveAndAccept, ROBOT_FIRST } from '../tests/e2e/kit/demo-day.js';
import { startPreview } from '../tests/e2e/kit/preview-process.js';

const OUT = 'docs/screenshots';
/** Which steps make the README's pictures, in the order a new user meets them. */
const KEEP: Record<string, string> = {
  offer: '1-dung-thu',
  tokens: '2-token-thu',
  'incoming-verified': '3-van-ban-den-hop-le',
  sign: '4-ky-so',
  issued: '5-cap-so-dong-dau',
  'sent-accepted': '6-da-tiep-nhan',
};

mkdirSync(OUT, { recursive: true });
const preview = await startPreview();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const shot = async (step: string) => {
    const name = KEEP[step];
    if (name) await page.screenshot({ path: `${OUT}/${name}.png` });
  };
  await page.goto(preview.url);
  await chooseDemo(page, shot);
  await nav(page, 'USB token').click();
  await page.getByText('DUNG THU DON VI').first().waitFor();
  await shot('tokens');
  await logIn(page);
  await receiveAndAccept(page, ROBOT_FIRST, shot);
  await composeSignSend(page, shot);
  console.log(`vanthu: ảnh chụp màn hình / screenshots in ${OUT}/`);
} catch (error) {
  console.error(preview.output().slice(-4000));
  throw error;
} finally {
  await browser.close();
  await preview.stop();
}
