// Scroll frame time of the 100,000-row register in Chromium (the built renderer on a real store), against the same rows rendered without virtualization.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { createDocument, open } from '../src/core/store/index.js';
import { startRuntime } from '../src/main/runtime.js';
import type { ServiceOptions } from '../src/main/services.js';
import { loadLine, quantile } from './kit/bench-pki.js';
import { buildRendererForBench, NAME_SHIM } from './kit/renderer-build.js';

// Page-side globals, declared here: this file compiles in the Node project (no DOM lib), its callbacks run in Chromium.
interface PageElement {
  scrollTop: number;
  innerHTML: string;
  querySelector(selector: string): PageElement | null;
  getBoundingClientRect(): unknown;
  scrollTo(options: { top: number }): void;
}
declare const document: { querySelector(selector: string): PageElement | null; getElementsByTagName(name: string): { length: number } };
declare function requestAnimationFrame(callback: (now: number) => void): number;

const COUNT = Number(process.env.BENCH_DOCUMENTS ?? 100_000);
/** Frames scrolled per run, and pixels per frame: 400 px is about 6 rows a frame, 24,000 px/s at 60 Hz (a hard fling). */
const FRAMES = Number(process.env.BENCH_FRAMES ?? 600);
const STEP_PX = Number(process.env.BENCH_STEP_PX ?? 400);
/** The unvirtualized peer renders this many rows: every one a DOM subtree, as a plain list would. */
const PEER_ROWS = Number(process.env.BENCH_PEER_ROWS ?? 10_000);

const dataDir = path.resolve(`.tmp/bench-renderer-list-${process.pid}`);
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
console.log(`renderer-list: ${COUNT.toLocaleString('en')} documents, ${FRAMES} frames of ${STEP_PX}px, Chromium headless, ${loadLine()}`);

// ------------------------------------------------------------------ seed --
const provinces = ['Cao Bằng', 'Hà Giang', 'Đắk Lắk', 'Lâm Đồng', 'Quảng Ninh', 'Thừa Thiên Huế', 'Cà Mau', 'Điện Biên'];
const topics = ['phòng, chống thiên tai', 'chuyển đổi số', 'cải cách hành chính', 'văn thư, lưu trữ', 'quản lý đất đai', 'y tế dự phòng'];
let started = performance.now();
{
  const store = open(dataDir, { integrity: 'skip' });
  store.db.transaction(() => {
    for (let i = 0; i < COUNT; i++) {
      const province = provinces[i % provinces.length]!;
      createDocument(
        store.db,
        'outgoing',
        {
          organName: `Ủy ban nhân dân tỉnh ${province}`,
          subject: `Công văn về việc ${topics[(i * 3) % topics.length]} tỉnh ${province} năm ${2020 + (i % 7)} (văn bản ${i})`,
          priority: i % 11 === 0 ? 1 : 0,
          recipients: [
            { organId: `000.00.${String(i % 90).padStart(2, '0')}.H${String(i % 63).padStart(2, '0')}`, organName: `Sở Nội vụ tỉnh ${provinces[(i + 3) % provinces.length]}` },
            { organId: 'G01.05', organName: 'Bộ Nội vụ' },
          ],
        },
        1_700_000_000_000 + i,
      );
    }
  })();
  store.close();
}
console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s (one transaction, core createDocument)`);

buildRendererForBench();
const runtime = await startRuntime({ dataDir, modulePaths: [], tokenPollMs: 600_000 });
started = performance.now();
// The e2e harness is typed for the DOM, which this (Node) project does not load: imported by a path tsc does not follow (as bench:viewer does).
const harnessPath: string = '../tests/e2e/kit/browser-harness.js';
const { openRenderer } = (await import(harnessPath)) as { openRenderer(options: ServiceOptions): Promise<{ page: Page; close(): Promise<void> }> };
const harness = await openRenderer({ version: 'bench', userModulePaths: () => [], runtime });
const { page } = harness;

interface ScrollRun {
  frames: number[];
  /** Frames that showed a "loading" placeholder row (the page behind the scroll). */
  placeholderFrames: number;
  domNodes: number;
  longTasks: number;
}

/** Scrolls `selector` by STEP_PX per animation frame and records each frame's interval. */
const scrollRun = (p: Page, selector: string): Promise<ScrollRun> =>
  p.evaluate(
    ({ selector, frames, step }) =>
      new Promise<ScrollRun>((resolve) => {
        const scroller = document.querySelector(selector)!;
        let longTasks = 0;
        const observer = new PerformanceObserver((list) => (longTasks += list.getEntries().length));
        observer.observe({ type: 'longtask' as never, buffered: false });
        const intervals: number[] = [];
        let placeholderFrames = 0;
        let last = 0;
        let n = 0;
        const tick = (now: number) => {
          if (last) intervals.push(now - last);
          last = now;
          if (scroller.querySelector('.placeholder')) placeholderFrames++;
          if (n++ >= frames) {
            observer.disconnect();
            resolve({ frames: intervals, placeholderFrames, domNodes: document.getElementsByTagName('*').length, longTasks });
            return;
          }
          scroller.scrollTop += step;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    { selector, frames: FRAMES, step: STEP_PX },
  );

const summary = (name: string, run: ScrollRun) => {
  const f = run.frames;
  const over = f.filter((x) => x > 1000 / 60 + 4).length;
  console.log(
    `${name.padEnd(34)} frame p50 ${quantile(f, 0.5).toFixed(1)} ms  p95 ${quantile(f, 0.95).toFixed(1)} ms  max ${Math.max(...f).toFixed(1)} ms  ` +
      `late frames ${over}/${f.length}  long tasks ${run.longTasks}  DOM nodes ${run.domNodes}  placeholder frames ${run.placeholderFrames}`,
  );
};

// ------------------------------------------------------------- vanthu list --
await page
  .getByRole('status')
  .filter({ hasText: new RegExp(`^${COUNT} văn bản$`) })
  .waitFor({ timeout: 60_000 })
  .catch(async (error: unknown) => {
    console.error(await page.locator('main').innerText().catch(() => '(no main)'));
    throw error;
  });
await page.locator('.document-row[data-row-index="0"]').waitFor();
const firstRows = performance.now() - started;
console.log(`first rows of the register on screen: ${firstRows.toFixed(0)} ms from launching Chromium`);
const virtualized = await scrollRun(page, '.document-list');
summary('virtualized (vanthu, keyset pages)', virtualized);
const jumpStart = performance.now();
// The End key: keyset pages are fetched one after the other up to the last row.
await page.evaluate(() => document.querySelector('.document-list')!.scrollTo({ top: 0 }));
await page.locator('.document-row[data-row-index="0"]').focus();
await page.keyboard.press('End');
await page.locator(`.document-row[data-row-index="${COUNT - 1}"]`).waitFor({ timeout: 120_000 });
console.log(`End key to the last of ${COUNT.toLocaleString('en')} rows: ${((performance.now() - jumpStart) / 1000).toFixed(2)} s`);

// ------------------------------------------------------------------ peer --
// The same rows and styles, rendered all at once (what a plain map() over the items would give), in a fresh page.
const css = readdirSync('out/renderer/assets').filter((f) => f.endsWith('.css')).map((f) => readFileSync(path.join('out/renderer/assets', f), 'utf8')).join('\n');
const rowsHtml = await page.evaluate(() => document.querySelector('.document-list [role="listitem"]')!.innerHTML);
const peer = await page.context().browser()!.newPage();
await peer.setContent(`<style>${css}</style><main class="documents-page"><div class="register-panel"><div class="document-list" style="height:600px"><div role="list"></div></div></div></main>`);
await peer.evaluate(NAME_SHIM); // setContent runs no init script
const peerBuild = await peer.evaluate(
  ({ html, rows }) => {
    const t0 = performance.now();
    const list = document.querySelector('[role="list"]')!;
    list.innerHTML = Array.from({ length: rows }, () => `<div role="listitem" class="document-list-item" style="height:64px">${html}</div>`).join('');
    list.getBoundingClientRect(); // force the layout of every row
    return performance.now() - t0;
  },
  { html: rowsHtml, rows: PEER_ROWS },
);
console.log(`unvirtualized peer: ${PEER_ROWS.toLocaleString('en')} rows built and laid out in ${peerBuild.toFixed(0)} ms (static DOM, no data fetching)`);
const plain = await scrollRun(peer, '.document-list');
summary(`unvirtualized (${PEER_ROWS.toLocaleString('en')} rows)`, plain);
const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : (a / b).toFixed(2));
const late = (run: ScrollRun) => run.frames.filter((x) => x > 1000 / 60 + 4).length;
console.log(
  `ratio virtualized/unvirtualized: frame p50 ${ratio(quantile(virtualized.frames, 0.5), quantile(plain.frames, 0.5))}, ` +
    `p95 ${ratio(quantile(virtualized.frames, 0.95), quantile(plain.frames, 0.95))}, late frames ${ratio(late(virtualized), late(plain))}, ` +
    `long tasks ${ratio(virtualized.longTasks, plain.longTasks)}, DOM nodes ${virtualized.domNodes} vs ${plain.domNodes} ` +
    `(the virtualized list holds ${COUNT.toLocaleString('en')} rows, the peer ${PEER_ROWS.toLocaleString('en')}); ${loadLine()}`,
);

await peer.close();
await harness.close();
await runtime.close();
rmSync(dataDir, { recursive: true, force: true });
