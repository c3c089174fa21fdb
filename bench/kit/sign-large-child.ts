// Child process of bench/sign-large.bench.ts: one measured job in a fresh process, so /proc/self/status VmHWM is that job's peak memory. Prints one JSON line.
import { closeSync, fstatSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { PDFDocument } from '@cantoo/pdf-lib';
import { buildCmsSignedData } from '../../src/core/cms/index.js';
import { contentsPatch, digestSignedContent, openPreparedFile, preparedLength, preparePdfSignature } from '../../src/core/pdf/index.js';
import { estimateReservedSize, signPdf, signPdfToFile } from '../../src/core/signing/index.js';
import { finalizeAllModules } from '../../src/core/token/index.js';
import { leaderRsaKey, readBenchPki, seconds } from './bench-pki.js';

export type ChildMode = 'baseline' | 'sign-file' | 'sign' | 'sign-u8' | 'steps' | 'parse';

export interface Step {
  name: string;
  seconds: number;
  /** Resident set after the step. */
  rss: number;
  /** Peak resident set of the process so far. */
  hwm: number;
  /** ArrayBuffers alive after the step (Buffers, Uint8Arrays). */
  arrayBuffers: number;
}

export interface ChildReport {
  mode: ChildMode;
  steps: Step[];
  /** Peak resident set of the whole process (VmHWM). */
  hwm: number;
  /** VmHWM just before the file was read: Node, the modules and the token session. */
  hwmBeforeFile: number;
  outputBytes: number;
}

const [mode, pkiDir, input, output] = process.argv.slice(2) as [ChildMode, string, string, string];

function vmHwm(): number {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Number(kib) * 1024;
}

/** The file in a plain Uint8Array (not a Buffer), read in place: what signPdf gets when it signs its own earlier output (the seal after the leader). */
function readIntoUint8Array(file: string): Uint8Array {
  const fd = openSync(file, 'r');
  const bytes = new Uint8Array(fstatSync(fd).size);
  for (let at = 0; at < bytes.length; ) at += readSync(fd, bytes, at, bytes.length - at, at);
  closeSync(fd);
  return bytes;
}

const steps: Step[] = [];
async function step<T>(name: string, run: () => T | Promise<T>): Promise<T> {
  const start = process.hrtime.bigint();
  const result = await run();
  const took = seconds(start);
  const usage = process.memoryUsage();
  steps.push({ name, seconds: took, rss: usage.rss, hwm: vmHwm(), arrayBuffers: usage.arrayBuffers });
  return result;
}

const pki = readBenchPki(pkiDir);
const { key, session } = await leaderRsaKey(pki);
// Warm the signing path on a tiny file so JIT and token lookups are not charged to the large one.
{
  const tiny = await PDFDocument.create();
  tiny.addPage();
  await signPdf(await tiny.save(), key);
}
const hwmBeforeFile = vmHwm();
let outputBytes = 0;

if (mode === 'sign-file') {
  // What the CLI and the app do with a file: read it, sign it straight into the output.
  const pdf = await step('read file', () => readFileSync(input));
  const signed = await step('signPdfToFile', () => signPdfToFile(pdf, output, key, { level: 'B-B' }));
  outputBytes = signed.size;
} else if (mode === 'sign' || mode === 'sign-u8') {
  // What a caller of signPdf does: read, sign, write.
  const pdf = await step('read file', () => (mode === 'sign' ? readFileSync(input) : readIntoUint8Array(input)));
  const signed = await step('signPdf', () => signPdf(pdf, key, { level: 'B-B' }));
  await step('write file', () => writeFileSync(output, signed.bytes));
  outputBytes = signed.bytes.length;
} else if (mode === 'steps') {
  // signPdf's own steps (src/core/signing/sign-pdf.ts, B-B), each timed, with memory after each.
  const pdf = await step('read file', () => readFileSync(input));
  const prepared = await step('preparePdfSignature (pdf-lib load + incremental save)', () =>
    preparePdfSignature(pdf, { reservedSize: estimateReservedSize(key, false) }),
  );
  const digest = await step('SHA-256 of the signed parts (no copy)', () => digestSignedContent(prepared, 'SHA-256'));
  const file = await openPreparedFile(output);
  await step('write original + update to the temp file', () => file.write([prepared.original, prepared.update]));
  const cms = await step('buildCmsSignedData (token signature)', () =>
    buildCmsSignedData({
      signer: key.signer,
      certificate: key.certificate,
      chain: key.chain,
      contentDigest: digest,
      digestAlgorithm: 'SHA-256',
      signatureAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    }),
  );
  await step('positioned write of /Contents, fsync, rename', async () => {
    await file.patch(contentsPatch(prepared, cms));
    await file.commit();
  });
  outputBytes = preparedLength(prepared);
} else if (mode === 'parse') {
  // pdf-lib's load alone, with the options preparePdfSignature uses.
  const pdf = await step('read file', () => readFileSync(input));
  await step('PDFDocument.load (forIncrementalUpdate)', () => PDFDocument.load(pdf, { forIncrementalUpdate: true, updateMetadata: false, preserveXFA: true }));
}

await session.logout();
await finalizeAllModules();
const report: ChildReport = { mode, steps, hwm: vmHwm(), hwmBeforeFile, outputBytes };
process.stdout.write(`${JSON.stringify(report)}\n`);
