// Time to the first rendered page of a 300-page PDF in the document page (Chromium, the built renderer on a real store), against a 1-page PDF through the same path and pdftoppm drawing that page.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import type { ElementHandle, Page } from 'playwright-core';
import { addFile, createDocument, open } from '../src/core/store/index.js';
import { startRuntime } from '../src/main/runtime.js';
import type { ServiceOptions } from '../src/main/services.js';
import { loadLine, quantile } from './kit/bench-pki.js';
import { buildRendererForBench } from './kit/renderer-build.js';

const PAGES = Number(process.env.BENCH_VIEWER_PAGES ?? 300);
const RUNS = Number(process.env.BENCH_VIEWER_RUNS ?? 7);
const dataDir = path.resolve(`.tmp/bench-renderer-viewer-${process.pid}`);
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
console.log(`renderer-viewer: first page of a ${PAGES}-page PDF, ${RUNS} runs, Chromium headless, ${loadLine()}`);

/** An A4 document of `pages` pages of text, as a long report or a bound register would be. */
async function textPdf(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  const bold = await doc.embedFont(StandardFonts.TimesRomanBold);
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([595, 842]);
    page.drawText('UY BAN NHAN DAN TINH CAO BANG', { x: 60, y: 780, size: 13, font: bold });
    page.drawText(`Bao cao tong hop - trang ${p + 1}/${pages}`, { x: 60, y: 760, size: 12, font });
    for (let l = 0; l < 40; l++) {
      page.drawText(`${p * 40 + l + 1}. Noi dung bao cao ve cong tac van thu, luu tru va chuyen doi so cua cac co quan, don vi tren dia ban.`, {
        x: 60,
        y: 730 - l * 16,
        size: 10.5,
        font,
      });
    }
  }
  return doc.save({ useObjectStreams: true });
}

const started = performance.now();
const big = await textPdf(PAGES);
const small = await textPdf(1);
const bigFile = path.join(dataDir, 'big.pdf');
writeFileSync(bigFile, big);
console.log(`PDFs: ${PAGES} pages ${(big.length / 1024).toFixed(0)} KiB, 1 page ${(small.length / 1024).toFixed(1)} KiB (pdf-lib, ${((performance.now() - started) / 1000).toFixed(1)} s)`);

const SUBJECTS = { big: `Báo cáo tổng hợp ${PAGES} trang`, small: 'Báo cáo một trang' };
{
  const store = open(dataDir);
  for (const [key, bytes] of [['big', big], ['small', small]] as const) {
    const { id } = createDocument(store.db, 'outgoing', { organName: 'Ủy ban nhân dân tỉnh Cao Bằng', subject: SUBJECTS[key] });
    addFile(store.db, store.blobs, id, { role: 'main', name: `${key}.pdf`, bytes });
  }
  store.close();
}

buildRendererForBench();
// The e2e harness is typed for the DOM, which this (Node) project does not load: imported by a path tsc does not follow.
const harnessPath: string = '../tests/e2e/kit/browser-harness.js';
const { openRenderer } = (await import(harnessPath)) as { openRenderer(options: ServiceOptions): Promise<{ page: Page; close(): Promise<void> }> };
const runtime = await startRuntime({ dataDir, modulePaths: [], tokenPollMs: 600_000 });
const harness = await openRenderer({ version: 'bench', userModulePaths: () => [], runtime });
const { page } = harness;
await page.setViewportSize({ width: 1400, height: 1000 });

/** From the click on the register row to page 1 drawn on the canvas, timed inside the page. */
async function timeToFirstPage(subject: string): Promise<number> {
  await page.getByRole('navigation', { name: 'Chức năng' }).getByRole('button', { name: 'Văn bản', exact: true }).click();
  const row = page.getByRole('button', { name: new RegExp(subject) }).first();
  await row.waitFor();
  const handle = await row.elementHandle();
  return page.evaluate(
    (element: ElementHandle) =>
      new Promise<number>((resolve) => {
        // This runs in the page: its globals, typed here by the little this code uses.
        const page = globalThis as unknown as {
          document: { querySelector(selector: string): unknown; body: unknown };
          MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void; disconnect(): void };
        };
        const start = performance.now();
        const observer = new page.MutationObserver(() => {
          if (page.document.querySelector('canvas[data-rendered-page="1"]')) {
            observer.disconnect();
            resolve(performance.now() - start);
          }
        });
        observer.observe(page.document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-rendered-page'] });
        (element as unknown as { click(): void }).click();
      }),
    handle as ElementHandle,
  );
}

const runs = { big: [] as number[], small: [] as number[] };
// One warm-up each (pdf.js and its worker load once per app), then alternate so load drifts hit both alike.
await timeToFirstPage(SUBJECTS.small);
await timeToFirstPage(SUBJECTS.big);
for (let i = 0; i < RUNS; i++) {
  runs.big.push(await timeToFirstPage(SUBJECTS.big));
  runs.small.push(await timeToFirstPage(SUBJECTS.small));
}
mkdirSync('.tmp/screenshots', { recursive: true });
await timeToFirstPage(SUBJECTS.big);
await page.screenshot({ path: '.tmp/screenshots/viewer-300-pages.png' });
await harness.close();
await runtime.close();

// pdftoppm (poppler) drawing page 1 of the same file at the viewer's resolution (about 100 dpi), process start included.
const poppler: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t0 = performance.now();
  execFileSync('pdftoppm', ['-r', '100', '-f', '1', '-l', '1', '-png', bigFile, path.join(dataDir, 'page')]);
  poppler.push(performance.now() - t0);
}

const median = (values: number[]) => quantile(values, 0.5);
const row = (label: string, values: number[]) =>
  console.log(`${label.padEnd(44)} median ${median(values).toFixed(0).padStart(5)} ms   p90 ${quantile(values, 0.9).toFixed(0).padStart(5)} ms   min ${Math.min(...values).toFixed(0).padStart(5)} ms`);
console.log('');
row(`vanthu viewer, ${PAGES}-page PDF (click to page 1)`, runs.big);
row('vanthu viewer, 1-page PDF (same path)', runs.small);
row(`pdftoppm page 1 of the ${PAGES}-page PDF (100 dpi)`, poppler);
console.log('');
console.log(`ratio ${PAGES}-page / 1-page in the viewer: ${(median(runs.big) / median(runs.small)).toFixed(2)}x`);
console.log(`ratio viewer ${PAGES}-page / pdftoppm: ${(median(runs.big) / median(poppler)).toFixed(2)}x`);
console.log(`after: ${loadLine()}`);
rmSync(dataDir, { recursive: true, force: true });
