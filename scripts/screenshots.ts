// `npm run screenshots`: the README's pictures of the demo day ("Dùng thử"), taken in Chromium at 1366×768 from a fresh preview, into docs/screenshots/.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../tests/e2e/kit/browser-harness.js';
import { chooseDemo, composeSignSend, logIn, printOutgoingRegister, processIncoming, receiveAndAccept, ROBOT_FIRST } from '../tests/e2e/kit/demo-day.js';
import { startPreview } from '../tests/e2e/kit/preview-process.js';

const OUT = 'docs/screenshots';
/** Which steps make the README's pictures, in the order a new user meets them. */
const KEEP: Record<string, string> = {
  offer: '1-dung-thu',
  inbox: '2-ban-thu-van-ban-den',
  compose: '3-soan-van-ban',
  sign: '4-ky-so',
  'sent-accepted': '5-da-tiep-nhan',
  'incoming-verified': '6-van-ban-den-hop-le',
  assignment: '7-phan-cong',
  tracking: '8-theo-doi-han-xu-ly',
  'register-print': '9-in-so',
};

mkdirSync(OUT, { recursive: true });
// Pictures of an earlier day go: the README names only these.
for (const file of readdirSync(OUT)) if (file.endsWith('.png') && !Object.values(KEEP).includes(file.replace(/\.png$/, ''))) rmSync(`${OUT}/${file}`);
const preview = await startPreview();
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_FLAGS });
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  const shot = async (step: string) => {
    const name = KEEP[step];
    if (name) await page.screenshot({ path: `${OUT}/${name}.png` });
  };
  await page.goto(preview.url);
  // The day in the README's order: the offer, the robot's documents arriving, our document written, signed and sent,
  // the robot's document checked, assigned and tracked to done, the register printed.
  await chooseDemo(page, shot);
  await logIn(page);
  const open = page.getByRole('button', { name: `Mở văn bản “${ROBOT_FIRST}”` });
  await open.waitFor({ timeout: 60_000 });
  await shot('inbox');
  await composeSignSend(page, shot);
  await logIn(page);
  await receiveAndAccept(page, ROBOT_FIRST, async (step) => (step === 'inbox' ? undefined : shot(step)));
  await processIncoming(page, ROBOT_FIRST, shot);
  await printOutgoingRegister(page, shot);
  console.log(`vanthu: ảnh chụp màn hình / screenshots in ${OUT}/`);
} catch (error) {
  console.error(preview.output().slice(-4000));
  throw error;
} finally {
  await browser.close();
  await preview.stop();
}
