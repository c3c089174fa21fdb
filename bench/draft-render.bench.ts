// Render time of a draft: a 1-page công văn and a 20-page body, the first render of the process, then warm runs (median, p95).
import { layoutDraft, parseDraft, renderDraftDetailed } from '../src/core/drafting/index.js';
import { longDraft, samples } from '../tests/fixtures/drafting/samples.js';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 30);

async function time(name: string, run: () => Promise<unknown> | unknown): Promise<void> {
  let start = process.hrtime.bigint();
  await run();
  const cold = Number(process.hrtime.bigint() - start) / 1e6;
  const samplesMs: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    start = process.hrtime.bigint();
    await run();
    samplesMs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samplesMs.sort((a, b) => a - b);
  const median = samplesMs[Math.floor(samplesMs.length / 2)]!;
  const p95 = samplesMs[Math.floor(samplesMs.length * 0.95)]!;
  console.log(`${name.padEnd(40)} cold ${cold.toFixed(1).padStart(7)} ms   median ${median.toFixed(1).padStart(7)} ms   p95 ${p95.toFixed(1).padStart(7)} ms`);
}

const one = samples['cong-van'];
const twenty = longDraft(190);
// The first render of a fresh process also reads and parses the four font files.
const firstStart = process.hrtime.bigint();
const { pageCount: onePages } = await renderDraftDetailed(one);
console.log(`first render in this process (1 page, fonts loaded): ${(Number(process.hrtime.bigint() - firstStart) / 1e6).toFixed(1)} ms`);
const { pageCount: twentyPages, pdf } = await renderDraftDetailed(twenty);
console.log(`pages: ${onePages} and ${twentyPages} (${(pdf.length / 1024).toFixed(0)} KiB); ${ITERATIONS} runs each after a cold one`);
await time('render 1 page (công văn)', () => renderDraftDetailed(one));
await time(`render ${twentyPages} pages`, () => renderDraftDetailed(twenty));
await time(`layout only, ${twentyPages} pages`, () => layoutDraft(parseDraft(twenty)));
