// Bulk signing 1,000 one-page documents end to end (bulkSign on SoftHSM, B-B, store writes included) against signPdf alone in a loop on the same files and key.
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { bulkSign } from '../src/core/outbox/index.js';
import { decree30Widget, signPdf } from '../src/core/signing/index.js';
import { addFile, createDocument, listFiles, open, type Store } from '../src/core/store/index.js';
import { finalizeAllModules } from '../src/core/token/index.js';
import { discPng } from '../tests/kit/pdf-tools.js';
import { leaderRsaKey, loadLine, makeBenchPki, seconds } from './kit/bench-pki.js';

const COUNT = Number(process.env.BENCH_BULK_DOCUMENTS ?? 1_000);
const WARM_UP = Math.min(20, COUNT);
const root = path.resolve(`.tmp/bench-bulk-${process.pid}`);
rmSync(root, { recursive: true, force: true });
mkdirSync(root, { recursive: true });
const pki = makeBenchPki('.tmp/bench-pki');
const image = discPng(120, [20, 40, 200]);
const rect: [number, number, number, number] = [350, 100, 150, 75];

/** One-page A4 PDFs, each with its own text (so each file and signature is distinct, as in a real batch). */
async function onePagePdfs(count: number): Promise<Uint8Array[]> {
  const pdfs: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([595, 842]);
    page.drawText(`UY BAN NHAN DAN TINH CAO BANG - So ${i + 1}/UBND-VP`, { x: 60, y: 780, size: 12, font });
    for (let l = 0; l < 30; l++) page.drawText(`Dong ${l + 1} cua van ban so ${i + 1}: noi dung kiem thu ky so hang loat.`, { x: 60, y: 740 - l * 18, size: 10, font });
    pdfs.push(await doc.save({ useObjectStreams: false }));
  }
  return pdfs;
}

console.log(`Node ${process.version}, ${COUNT.toLocaleString('en')} one-page documents, RSA-2048 on SoftHSM, B-B with the leader's image`);
console.log(`before: ${loadLine()}`);
const pdfs = await onePagePdfs(COUNT + WARM_UP);
const averageKb = pdfs.reduce((a, p) => a + p.length, 0) / pdfs.length / 1024;
console.log(`files: ${averageKb.toFixed(1)} KiB on average\n`);

/** The engine alone: the same widget placement and signPdf the sign job does, no store, no queue. */
async function engine(files: Uint8Array[]): Promise<number> {
  const { key, session } = await leaderRsaKey(pki);
  const start = process.hrtime.bigint();
  for (const pdf of files) {
    const signingTime = new Date();
    const widget = await decree30Widget(pdf, { appearance: 'leader', image, page: 1, rect, signerName: 'Nguyễn Văn A', signingTime });
    const signed = await signPdf(pdf, key, { level: 'B-B', widget, signingTime });
    if (signed.bytes.length <= pdf.length) throw new Error('not signed');
  }
  const s = seconds(start);
  await session.logout();
  return s;
}

function storeWith(name: string, files: Uint8Array[]): { store: Store; ids: number[] } {
  const store = open(path.join(root, name), { integrity: 'skip' });
  const ids = files.map((bytes, i) => {
    const { id } = createDocument(store.db, 'outgoing', { organId: '000.00.14.H14', organName: 'Ủy ban nhân dân tỉnh Cao Bằng', codeNotation: 'UBND-VP', subject: `Văn bản ký hàng loạt số ${i + 1}` });
    addFile(store.db, store.blobs, id, { role: 'main', name: `van-ban-${i + 1}.pdf`, bytes });
    return id;
  });
  return { store, ids };
}

/** End to end: PIN login, the batch and its jobs, placement, signing, blob write and the revision's transaction, per document. */
async function bulk(name: string, files: Uint8Array[], concurrency: number): Promise<number> {
  const { store, ids } = storeWith(name, files);
  const start = process.hrtime.bigint();
  const result = await bulkSign(
    store,
    ids,
    {
      token: { module: pki.module, label: 'VANTHU LEADER', cert: 'leader-rsa' },
      appearance: 'leader',
      level: 'B-B',
      image,
      page: 1,
      rect,
      chain: [new Uint8Array(readFileSync(pki.subCaDer))],
      concurrency,
    },
    pki.userPin,
  );
  const s = seconds(start);
  const leader = ids.filter((id) => listFiles(store.db, id)[0]!.revisions.some((r) => r.signatureKind === 'leader')).length;
  if (result.signed !== files.length || leader !== files.length) throw new Error(`bulk ${name}: ${JSON.stringify({ ...result, results: undefined })}`);
  store.close();
  return s;
}

const line = (name: string, s: number): void =>
  console.log(`${name.padEnd(52)} ${(COUNT / s).toFixed(1).padStart(7)} documents/s  (${s.toFixed(1)} s, ${((s / COUNT) * 1000).toFixed(1)} ms each)`);

const warm = pdfs.slice(COUNT);
const files = pdfs.slice(0, COUNT);
await engine(warm);
await bulk('warm-up', warm, 1);
// Engine before and after the bulk runs: the mean is the baseline, the spread shows the machine's drift.
const engineFirst = await engine(files);
line('signPdf loop (engine alone), first pass', engineFirst);
const bulkOne = await bulk('bulk-1', files, 1);
line('bulkSign end to end, concurrency 1', bulkOne);
const bulkTwo = await bulk('bulk-2', files, 2);
line('bulkSign end to end, concurrency 2 (default)', bulkTwo);
const engineSecond = await engine(files);
line('signPdf loop (engine alone), second pass', engineSecond);
const engineMean = (engineFirst + engineSecond) / 2;
console.log(`\noverhead ratio bulkSign / engine alone (time): concurrency 1 ${(bulkOne / engineMean).toFixed(2)}x, concurrency 2 ${(bulkTwo / engineMean).toFixed(2)}x (aim < 1.3x)`);
console.log(`engine passes differ by ${((Math.abs(engineFirst - engineSecond) / engineMean) * 100).toFixed(1)}%`);
console.log(`after: ${loadLine()}`);
await finalizeAllModules();
rmSync(root, { recursive: true, force: true });
