// A ~100 MB, 1,000-page PDF signed on SoftHSM (signPdfToFile, the app's sign job and the document page's seal and copy stamp through a store, and signPdf in memory): wall time and peak memory above the process's baseline, against the floor of hashing (SHA-256) and copying the same file.
import { spawnSync, execFileSync } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildMode, ChildReport } from './kit/sign-large-child.js';
import { loadLine, makeBenchPki, mib, quantile, seconds } from './kit/bench-pki.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PAGES = 1000;
// One incompressible RGB image per page: 256 x 136 x 3 = 104,448 bytes, so 1,000 pages make ~100 MB.
const IMAGE = { width: 256, height: 136 };
const work = path.resolve('.tmp/bench-sign-large');
// v2: page 1 carries a Decree 30 header's blanks for the number and date, which the seal at issuing fills in.
const bigPdf = path.join(work, `large-${PAGES}p-v2.pdf`);
mkdirSync(work, { recursive: true });

console.log(`sign-large: ${PAGES}-page PDF, RSA-2048 on SoftHSM, ${RUNS} runs each, Node ${process.version}, ${loadLine()}`);

// ----------------------------------------------------------------- input --
/** Writes the PDF straight to disk (classic xref table), one page, content stream and image at a time. */
function writeLargePdf(file: string): void {
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w');
  let offset = 0;
  const offsets: number[] = [];
  const put = (data: string | Uint8Array): void => {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    writeSync(fd, bytes);
    offset += bytes.length;
  };
  const object = (number: number, body: string, stream?: Uint8Array): void => {
    offsets[number] = offset;
    put(`${number} 0 obj\n${body}\n`);
    if (stream) {
      put('stream\n');
      put(stream);
      put('\nendstream\n');
    }
    put('endobj\n');
  };
  put('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  // 1 catalog, 2 page tree, 3 font, then per page p (0-based): 4+3p page, 5+3p content, 6+3p image.
  const pageRef = (p: number): number => 4 + 3 * p;
  object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  object(2, `<< /Type /Pages /Count ${PAGES} /Kids [${Array.from({ length: PAGES }, (_, p) => `${pageRef(p)} 0 R`).join(' ')}] >>`);
  object(3, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const pixels = new Uint8Array(IMAGE.width * IMAGE.height * 3);
  for (let p = 0; p < PAGES; p++) {
    const header = p === 0 ? 'BT /F1 13 Tf 56 740 Td (So: ....../UBND-VP) Tj ET\nBT /F1 13 Tf 300 740 Td (Cao Bang, ngay ..... thang ..... nam ......) Tj ET\n' : '';
    const content = Buffer.from(
      `q 483 0 0 257 56 500 cm /Im0 Do Q\nBT /F1 14 Tf 56 780 Td (Phu luc - trang ${p + 1} / ${PAGES}) Tj ET\n${header}` +
        `BT /F1 10 Tf 56 470 Td (Anh chup ho so luu tru so ${p + 1}, du lieu khong nen duoc.) Tj ET\n`,
      'latin1',
    );
    object(
      pageRef(p),
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 3 0 R >> /XObject << /Im0 ${pageRef(p) + 2} 0 R >> >> /Contents ${pageRef(p) + 1} 0 R >>`,
    );
    object(pageRef(p) + 1, `<< /Length ${content.length} >>`, content);
    randomFillSync(pixels);
    object(pageRef(p) + 2, `<< /Type /XObject /Subtype /Image /Width ${IMAGE.width} /Height ${IMAGE.height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length ${pixels.length} >>`, pixels);
  }
  const size = pageRef(PAGES);
  const xref = offset;
  put(`xref\n0 ${size}\n0000000000 65535 f \n`);
  for (let n = 1; n < size; n++) put(`${String(offsets[n]).padStart(10, '0')} 00000 n \n`);
  put(`trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  closeSync(fd);
  const check = spawnSync('qpdf', ['--check', partial], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`qpdf --check fails on the generated file: ${check.stdout}${check.stderr}`);
  renameSync(partial, file);
}

if (!existsSync(bigPdf)) {
  const start = process.hrtime.bigint();
  writeLargePdf(bigPdf);
  console.log(`generated ${bigPdf} in ${seconds(start).toFixed(1)} s (qpdf --check passes)`);
}
const fileSize = statSync(bigPdf).size;
const pages = /Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [bigPdf], { encoding: 'utf8' }))?.[1];
console.log(`input: ${bigPdf}: ${(fileSize / 1e6).toFixed(1)} MB (${mib(fileSize)}), ${pages} pages\n`);

const pki = makeBenchPki(path.join(work, 'pki'));

// ----------------------------------------------------------------- floor --
// What any signer has to do at least: read and hash the whole file, and write a copy of it.
async function hashFile(): Promise<number> {
  const start = process.hrtime.bigint();
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(bigPdf, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  hash.digest();
  return seconds(start);
}
function copyFile(): number {
  const start = process.hrtime.bigint();
  writeFileSync(path.join(work, 'copy.pdf'), readFileSync(bigPdf));
  return seconds(start);
}
readFileSync(bigPdf); // into the page cache, for both sides alike
const hashTimes: number[] = [];
const copyTimes: number[] = [];
for (let run = 0; run < RUNS; run++) {
  hashTimes.push(await hashFile());
  copyTimes.push(copyFile());
}
rmSync(path.join(work, 'copy.pdf'), { force: true });

// ------------------------------------------------------------------- sign --
const child = fileURLToPath(new URL('./kit/sign-large-child.ts', import.meta.url));
function runChild(mode: ChildMode, output: string, input = bigPdf): ChildReport {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [...process.execArgv, child, mode, path.join(work, 'pki'), input, output], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) throw new Error(`child ${mode} failed (${run.signal ?? run.status}): ${run.stderr}`);
  const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as ChildReport;
  if (process.env.BENCH_VERBOSE) console.log(`  child ${mode}: ${seconds(start).toFixed(2)} s wall`);
  return report;
}

const signedFile = path.join(work, 'signed.pdf');
const loadBefore = loadLine();
const baseline = runChild('baseline', signedFile);
const signs: ChildReport[] = [];
for (let run = 0; run < RUNS; run++) signs.push(runChild('sign-file', signedFile));
const loadAfter = loadLine();

// The signed file must be a good one: pdfsig on the result (no network).
const judged = spawnSync('pdfsig', ['-nssdir', pki.nssDbSpec, '-no-ocsp', signedFile], { encoding: 'utf8' }).stdout;
console.log(`check: pdfsig says "${/Signature Validation: (.*)/.exec(judged)?.[1] ?? '?'}" / "${/Certificate Validation: (.*)/.exec(judged)?.[1] ?? '?'}", ${/Total document signed/.test(judged) ? 'total document signed' : 'NOT the total document'}\n`);

// ---------------------------------------------------------------- report --
const median = (values: number[]): number => quantile(values, 0.5);
const stepSeconds = (report: ChildReport, name: string): number => report.steps.find((s) => s.name === name)?.seconds ?? Number.NaN;
const hash = median(hashTimes);
const copy = median(copyTimes);
const floor = hash + copy;
const signOnly = median(signs.map((r) => stepSeconds(r, 'signPdfToFile')));
const endToEnd = median(signs.map((r) => r.steps.reduce((sum, s) => sum + s.seconds, 0)));
const peak = Math.max(...signs.map((r) => r.hwm));
// The aim is on what signing adds: the peak above the process's own baseline (Node, modules, token
// session, a warm-up signature), taken per run, worst run counted.
const above = Math.max(...signs.map((r) => r.hwm - r.hwmBeforeFile));
const beforeFile = median(signs.map((r) => r.hwmBeforeFile));
const aboveRatio = above / fileSize;

console.log(`${RUNS} runs each (median), ${loadBefore} before, ${loadAfter} after`);
console.log(`floor: SHA-256 of the file (streamed)          ${hash.toFixed(3).padStart(7)} s`);
console.log(`floor: copy of the file (read + write)         ${copy.toFixed(3).padStart(7)} s`);
console.log(`floor: hash + copy                             ${floor.toFixed(3).padStart(7)} s`);
console.log(`signPdfToFile alone                            ${signOnly.toFixed(3).padStart(7)} s   (${(signOnly / floor).toFixed(2)}x the floor)`);
console.log(`read + signPdfToFile (fsynced)                 ${endToEnd.toFixed(3).padStart(7)} s   (${(endToEnd / floor).toFixed(2)}x the floor; aim <= 4x: ${endToEnd / floor <= 4 ? 'MET' : 'NOT MET'})`);
console.log(`peak memory (VmHWM of the signing process)     ${mib(peak).padStart(11)}   (${(peak / fileSize).toFixed(2)}x the file, baseline included)`);
console.log(`  process baseline, before the file was read   ${mib(beforeFile).padStart(11)}   (Node, modules, token session; a child that stops there peaks at ${mib(baseline.hwm)})`);
console.log(`  peak above the baseline                      ${mib(above).padStart(11)}   (${aboveRatio.toFixed(2)}x the file; aim < 2x: ${aboveRatio < 2 ? 'MET' : 'NOT MET'})`);
console.log(`output: ${(signs[0]!.outputBytes / 1e6).toFixed(1)} MB`);

// The app's path: the file is a document's in a real store, and the outbox's sign job (visible
// leader image, B-B) signs it into a new revision: blob read, placement, signPdfToFile into the
// store's temp folder, adopt (streamed hash, fsync, rename), the revision's transaction.
const jobs: ChildReport[] = [];
for (let run = 0; run < RUNS; run++) jobs.push(runChild('sign-job', signedFile));
const jobStep = median(jobs.map((r) => stepSeconds(r, 'sign job (read blob, placement, signPdfToFile, adopt, revision)')));
const jobAbove = Math.max(...jobs.map((r) => r.hwm - r.hwmBeforeFile));
console.log(
  `app: sign job through a store (outbox)         ${jobStep.toFixed(3).padStart(7)} s   (${(jobStep / floor).toFixed(2)}x the floor)   peak ${mib(jobAbove)} above the baseline (${(jobAbove / fileSize).toFixed(2)}x the file; aim < 2x: ${jobAbove / fileSize < 2 ? 'MET' : 'NOT MET'})`,
);
// Its later step when the TSA was away: the upgrade job raises the signed file (B-B) to B-T, the
// document timestamp appended in room after the file as read (one run).
const upgrade = runChild('upgrade-job', path.join(work, 'unused.pdf'), signedFile);
const upgradeAbove = upgrade.hwm - upgrade.hwmBeforeFile;
console.log(
  `app: upgrade job to B-T (one run)              ${stepSeconds(upgrade, 'upgrade job to B-T (read blob with room, document timestamp, store, revision)').toFixed(3).padStart(7)} s   peak ${mib(upgradeAbove)} above the baseline (${(upgradeAbove / fileSize).toFixed(2)}x the file; aim < 2x: ${upgradeAbove / fileSize < 2 ? 'MET' : 'NOT MET'})`,
);

// The document page's own signatures (signDirectly, one run each): the seal at issuing, its number
// and date found in the page 1 text by pdf.js (which takes its own copy of the file), and the copy stamp.
for (const [mode, label] of [['seal-direct', 'seal at issuing'], ['copy-direct', 'copy stamp']] as const) {
  const direct = runChild(mode, path.join(work, 'unused.pdf'));
  const directAbove = direct.hwm - direct.hwmBeforeFile;
  const stepName = direct.steps.find((s) => s.name.startsWith('signDirectly'))!.name;
  console.log(
    `app: ${`${label}, signDirectly (one run)`.padEnd(42)} ${stepSeconds(direct, stepName).toFixed(3).padStart(7)} s   peak ${mib(directAbove)} above the baseline (${(directAbove / fileSize).toFixed(2)}x the file; aim < 2x: ${directAbove / fileSize < 2 ? 'MET' : 'NOT MET'})`,
  );
}

// The peer inside vanthu: signPdf in memory, then the caller writes the result (one run). The caller
// holds the input and signPdf returns a new whole file, so this path holds the file twice by design.
const inMemory = runChild('sign', signedFile);
const inMemoryAbove = inMemory.hwm - inMemory.hwmBeforeFile;
console.log(
  `in memory: read + signPdf + write (one run)    ${inMemory.steps.reduce((sum, s) => sum + s.seconds, 0).toFixed(3).padStart(7)} s   peak ${mib(inMemoryAbove)} above the baseline (${(inMemoryAbove / fileSize).toFixed(2)}x the file)`,
);

// The same in memory, but the PDF handed over as a plain Uint8Array rather than a Node Buffer: what signPdf gets when
// it signs its own output (the seal after the leader). pdf-lib's parser then copies every stream it reads
// (Uint8Array#slice copies, Buffer#slice does not).
const u8 = runChild('sign-u8', signedFile);
console.log(
  `in memory, input as a Uint8Array (one run)     ${stepSeconds(u8, 'signPdf').toFixed(3).padStart(7)} s   peak ${mib(u8.hwm - u8.hwmBeforeFile)} above the baseline (${((u8.hwm - u8.hwmBeforeFile) / fileSize).toFixed(2)}x the file)`,
);

// Where the time and memory go: signPdf's steps one by one (same code path, B-B), in their own process.
if (process.env.BENCH_STEPS !== '0') {
  const steps = runChild('steps', path.join(work, 'signed-steps.pdf'));
  const parse = runChild('parse', path.join(work, 'unused.pdf'));
  console.log(`\nsignPdfToFile step by step (one run; rss / peak rss / ArrayBuffers alive after each step):`);
  for (const s of [...steps.steps, ...parse.steps.filter((p) => p.name !== 'read file').map((p) => ({ ...p, name: `  of which ${p.name} (own process)` }))]) {
    console.log(`  ${s.name.padEnd(62)} ${s.seconds.toFixed(3).padStart(7)} s   ${mib(s.rss).padStart(10)} / ${mib(s.hwm).padStart(10)} / ${mib(s.arrayBuffers).padStart(10)}`);
  }
  rmSync(path.join(work, 'signed-steps.pdf'), { force: true });
}
