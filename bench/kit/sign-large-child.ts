// Child process of bench/sign-large.bench.ts: one measured job in a fresh process, so /proc/self/status VmHWM is that job's peak memory. Prints one JSON line.
import { closeSync, copyFileSync, fstatSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { buildCmsSignedData } from '../../src/core/cms/index.js';
import { contentsPatch, digestSignedContent, openPreparedFile, preparedLength, preparePdfSignature } from '../../src/core/pdf/index.js';
import { estimateReservedSize, signPdf, signPdfToFile } from '../../src/core/signing/index.js';
import { createOutboxWorker, enqueue, enqueueSign, getJob, type KeySource } from '../../src/core/outbox/index.js';
import { addFile, createDocument, listFiles, open as openStore, type Store } from '../../src/core/store/index.js';
import { finalizeAllModules } from '../../src/core/token/index.js';
import { signDirectly } from '../../src/main/handlers/signing/sign-flow.js';
import { startFakeTsa } from '../../tests/kit/fake-tsa.js';
import { discPng } from '../../tests/kit/pdf-tools.js';
import { leaderRsaKey, readBenchPki, seconds } from './bench-pki.js';

export type ChildMode = 'baseline' | 'sign-file' | 'sign-job' | 'upgrade-job' | 'seal-direct' | 'copy-direct' | 'sign' | 'sign-u8' | 'steps' | 'parse';

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
// The app's path (modes sign-job, upgrade-job, seal-direct, copy-direct): a store in a temp folder, its outbox worker, the
// leader's key as the job's key source, and one small job through all of it first for the same warm-up.
const direct = mode === 'seal-direct' || mode === 'copy-direct';
const storeDir = mode === 'sign-job' || mode === 'upgrade-job' || direct ? mkdtempSync(path.join(path.dirname(output), 'store-')) : undefined;
const store: Store | undefined = storeDir === undefined ? undefined : openStore(storeDir);
const keys: KeySource = { key: () => Promise.resolve({ key, subject: 'Nguyễn Thị Hồng Nhung' }) };
const leaderImage = discPng(120, [20, 40, 200]);

/** A draft whose main file is `file`, taken into the store by copy and adopt (never read whole here). */
async function draftOf(store: Store, file: string): Promise<number> {
  const { id } = createDocument(store.db, 'outgoing', { organId: '000.00.14.H14', organName: 'Ủy ban nhân dân tỉnh Cao Bằng', codeNotation: 'UBND-VP', subject: 'Phụ lục hồ sơ lưu trữ' });
  const copy = store.blobs.tempPath('bench');
  copyFileSync(file, copy);
  addFile(store.db, store.blobs, id, { role: 'main', name: path.basename(file), blob: await store.blobs.adopt(copy) });
  return id;
}

/** Queues the leader's visible signature (image at a given place on the last page) and lets the worker run it, as the app does. */
async function signJob(store: Store, documentId: number): Promise<number> {
  const job = enqueueSign(store, { documentId, token: { module: 'bench' }, appearance: 'leader', level: 'B-B', image: leaderImage, rect: [350, 100, 150, 75], reason: 'Phê duyệt' });
  await createOutboxWorker(store, { keys, pollMs: 20 }).drain();
  const done = getJob(store.db, job.id);
  if (done.state !== 'done') throw new Error(`sign job ${done.state}: ${JSON.stringify(done.lastError)}`);
  return listFiles(store.db, documentId)[0]!.revisions.at(-1)!.size;
}

const sealImage = discPng(110, [210, 20, 20]);

/**
 * The seal at issuing (its number and date written into the page 1 header, found in the page text
 * by pdf.js) or the copy stamp, signed by the document page's signDirectly into a new revision, as
 * the app's signing.issue and copy signing do: blob read, placement, signPdfToFile into the store's
 * temp folder, adopt, the revision's transaction.
 */
async function directSign(store: Store, documentId: number, appearance: 'seal' | 'copy'): Promise<number> {
  const file = listFiles(store.db, documentId)[0]!;
  await signDirectly({
    store,
    runtime: { keys, worker: { poke: () => undefined } },
    documentId,
    file,
    choice: { module: 'bench' },
    level: 'B-B',
    kind: appearance,
    appearance:
      appearance === 'seal'
        ? { appearance: 'seal', image: sealImage, page: 1, rect: [60, 80, 100, 100], issuing: { number: '12/UBND-VP', date: '2026-12-07' } }
        : { appearance: 'copy', copyType: 'SAO Y', copyingAgency: 'Văn phòng Ủy ban nhân dân tỉnh Cao Bằng' },
    transitionTo: null,
    reason: appearance === 'seal' ? 'Phát hành số 12/UBND-VP' : 'Sao y',
  });
  return listFiles(store.db, documentId)[0]!.revisions.at(-1)!.size;
}

/** A one-page PDF with the header's blanks for the number and the date (what the seal at issuing fills in). */
async function tinyWithHeader(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595.28, 841.89]);
  page.drawText('So: ....../UBND-VP', { x: 56, y: 760, size: 13, font });
  page.drawText('Cao Bang, ngay ..... thang ..... nam ......', { x: 300, y: 760, size: 13, font });
  return doc.save();
}

// The upgrade job's TSA: the test kit's loopback one (openssl ts -reply in a child process).
const tsa = mode === 'upgrade-job' ? await startFakeTsa(pki) : undefined;

/** Queues the raise of the file's latest revision to B-T (a document timestamp) and lets the worker run it. */
async function upgradeJob(store: Store, documentId: number): Promise<number> {
  const fileId = listFiles(store.db, documentId)[0]!.id;
  const job = enqueue(store.db, { kind: 'upgrade', documentId, payload: { documentId, fileId, level: 'B-T', tsaUrl: tsa!.url } });
  await createOutboxWorker(store, { keys, pollMs: 20 }).drain();
  const done = getJob(store.db, job.id);
  if (done.state !== 'done') throw new Error(`upgrade job ${done.state}: ${JSON.stringify(done.lastError)}`);
  return listFiles(store.db, documentId)[0]!.revisions.at(-1)!.size;
}

if (store) {
  const tinyFile = path.join(storeDir!, 'tiny.pdf');
  const tiny = await PDFDocument.create();
  tiny.addPage();
  const tinyPdf = await tiny.save();
  writeFileSync(tinyFile, mode === 'upgrade-job' ? (await signPdf(tinyPdf, key)).bytes : direct ? await tinyWithHeader() : tinyPdf);
  if (mode === 'upgrade-job') await upgradeJob(store, await draftOf(store, tinyFile));
  // The seal's warm-up loads pdf.js too (the page text): the module is the process's, not the file's.
  else if (direct) await directSign(store, await draftOf(store, tinyFile), mode === 'seal-direct' ? 'seal' : 'copy');
  else await signJob(store, await draftOf(store, tinyFile));
}
const hwmBeforeFile = vmHwm();
let outputBytes = 0;

if (mode === 'sign-file') {
  // What the CLI and the app do with a file: read it, sign it straight into the output.
  const pdf = await step('read file', () => readFileSync(input));
  const signed = await step('signPdfToFile', () => signPdfToFile(pdf, output, key, { level: 'B-B' }));
  outputBytes = signed.size;
} else if (mode === 'sign-job' && store) {
  // What the app does: the file is a document's in the store; the outbox's sign job signs it into a new revision.
  const documentId = await step('add the file to a document (copy, adopt)', () => draftOf(store, input));
  outputBytes = await step('sign job (read blob, placement, signPdfToFile, adopt, revision)', () => signJob(store, documentId));
} else if (mode === 'upgrade-job' && store) {
  // The input is a signed file (B-B): the outbox's upgrade job raises it to B-T as a new revision.
  const documentId = await step('add the signed file to a document (copy, adopt)', () => draftOf(store, input));
  outputBytes = await step('upgrade job to B-T (read blob with room, document timestamp, store, revision)', () => upgradeJob(store, documentId));
} else if (direct && store) {
  // The document page's own signatures: the seal at issuing and the copy stamp (signDirectly).
  const documentId = await step('add the file to a document (copy, adopt)', () => draftOf(store, input));
  const appearance = mode === 'seal-direct' ? 'seal' : 'copy';
  outputBytes = await step(`signDirectly, ${appearance} (read blob, placement, signPdfToFile, adopt, revision)`, () => directSign(store, documentId, appearance));
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

await tsa?.close();
store?.close();
if (storeDir !== undefined) rmSync(storeDir, { recursive: true, force: true });
await session.logout();
await finalizeAllModules();
const report: ChildReport = { mode, steps, hwm: vmHwm(), hwmBeforeFile, outputBytes };
process.stdout.write(`${JSON.stringify(report)}\n`);
