// List and search latency over 100,000 stored documents: keyset pages against the OFFSET query they replace, and FTS5 searches.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createDocument, listDocuments, open, searchDocuments, transition } from '../src/core/store/index.js';

const COUNT = Number(process.env.BENCH_DOCUMENTS ?? 100_000);
const PAGE = 50;
const dataDir = path.resolve(`.tmp/bench-store-${process.pid}`);
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });

const provinces = ['Cao Bằng', 'Hà Giang', 'Đắk Lắk', 'Lâm Đồng', 'Quảng Ninh', 'Thừa Thiên Huế', 'Cà Mau', 'Điện Biên', 'Hải Phòng', 'Nghệ An'];
const topics = ['phòng, chống thiên tai', 'chuyển đổi số', 'cải cách hành chính', 'văn thư, lưu trữ', 'quản lý đất đai', 'y tế dự phòng', 'giáo dục nghề nghiệp', 'an toàn giao thông'];
const kinds = ['Kế hoạch', 'Báo cáo', 'Công văn về việc', 'Quyết định phê duyệt', 'Thông báo kết luận', 'Giấy mời họp về'];
const pick = <T>(list: readonly T[], i: number): T => list[i % list.length]!;

const store = open(dataDir, { integrity: 'skip' });
const { db } = store;

let start = process.hrtime.bigint();
const insertBatch = db.transaction((from: number, to: number) => {
  for (let i = from; i < to; i++) {
    const province = pick(provinces, i * 7);
    const incoming = i % 4 === 0;
    const { id } = createDocument(
      db,
      incoming ? 'incoming' : 'outgoing',
      {
        organId: incoming ? '000.00.18.G12' : '000.00.14.H14',
        organName: incoming ? 'Bộ Nội vụ' : `Ủy ban nhân dân tỉnh ${province}`,
        ...(incoming ? { codeNumber: String((i % 997) + 1) } : {}),
        codeNotation: incoming ? 'BNV-VP' : 'UBND-VP',
        subject: `${pick(kinds, i)} ${pick(topics, i * 3)} tỉnh ${province} năm ${2020 + (i % 7)} (văn bản ${i})`,
        signerFullName: `Nguyễn Văn ${String.fromCharCode(65 + (i % 26))}`,
        recipients: [{ organId: `000.00.${String(i % 90).padStart(2, '0')}.H${String(i % 63).padStart(2, '0')}`, organName: `Sở Nội vụ tỉnh ${pick(provinces, i)}` }],
      },
      1_700_000_000_000 + i,
    );
    if (!incoming && i % 3 === 0) transition(db, id, 'signed_by_leader', { now: 1_700_000_000_000 + i });
  }
});
for (let from = 0; from < COUNT; from += 1000) insertBatch.immediate(from, Math.min(from + 1000, COUNT));
const insertSeconds = Number(process.hrtime.bigint() - start) / 1e9;
db.pragma('optimize');

function time(name: string, run: () => unknown, iterations = 200): number {
  for (let i = 0; i < 5; i++) run();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    start = process.hrtime.bigint();
    run();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)]!;
  const p95 = samples[Math.floor(samples.length * 0.95)]!;
  console.log(`${name.padEnd(58)} median ${median.toFixed(3).padStart(8)} ms   p95 ${p95.toFixed(3).padStart(8)} ms`);
  return median;
}

/** The peer: the usual LIMIT/OFFSET page query, same columns and order. */
const offsetPage = db.prepare(
  `SELECT d.id, d.direction, d.state, d.code_number, d.code_notation, d.issued_date, d.organ_name, d.subject, d.priority, d.secrecy, d.updated_at
     FROM documents d ORDER BY d.id DESC LIMIT ? OFFSET ?`,
);
const cursorAt = (offset: number): number => db.prepare<unknown[], number>('SELECT id FROM documents ORDER BY id DESC LIMIT 1 OFFSET ?').pluck().get(offset - 1)!;

console.log(`Node ${process.version}, ${COUNT.toLocaleString('en')} documents, page size ${PAGE}`);
console.log(`insert through createDocument (zod + FTS triggers): ${(COUNT / insertSeconds).toFixed(0)} documents/s (${insertSeconds.toFixed(1)} s)\n`);

time('keyset list, first page', () => listDocuments(db, { limit: PAGE }));
const ratios: string[] = [];
for (const depth of [1_000, 50_000, COUNT - PAGE]) {
  const after = cursorAt(depth);
  const keyset = time(`keyset list, page at row ${depth.toLocaleString('en')}`, () => listDocuments(db, { limit: PAGE, after }));
  const offset = time(`OFFSET list (peer), page at row ${depth.toLocaleString('en')}`, () => offsetPage.all(PAGE, depth), 50);
  ratios.push(`row ${depth.toLocaleString('en')}: OFFSET/keyset = ${(offset / keyset).toFixed(1)}x`);
}
time('keyset list, incoming only, first page', () => listDocuments(db, { direction: 'incoming', limit: PAGE }));
const at10k = cursorAt(10_000);
time('keyset list, outgoing signed_by_leader, from row 10,000', () =>
  listDocuments(db, { direction: 'outgoing', state: 'signed_by_leader', limit: PAGE, after: at10k }),
);
const everyPage = (): number => {
  let pages = 0;
  let after: number | null = null;
  do {
    after = listDocuments(db, { limit: 500, after }).nextCursor;
    pages++;
  } while (after !== null);
  return pages;
};
time('keyset walk of the whole list, 500 per page', everyPage, 5);

console.log('');
time('search "cao bang" (10% of documents), first page', () => searchDocuments(db, 'cao bang', { limit: PAGE }));
time('search "chuyen doi so dak lak", first page', () => searchDocuments(db, 'chuyen doi so dak lak', { limit: PAGE }));
time('search "van ban 4242" (one document)', () => searchDocuments(db, 'van ban 4242', { limit: PAGE }));
time('search number/notation "17/BNV-VP"', () => searchDocuments(db, '17/BNV-VP', { limit: PAGE }));
time('search prefix "nguy" (every document), first page', () => searchDocuments(db, 'nguy', { limit: PAGE }));
const deep = searchDocuments(db, 'cao bang', { limit: 500 });
time('search "cao bang", second page of 500 by cursor', () => searchDocuments(db, 'cao bang', { limit: 500, after: deep.nextCursor }), 50);

console.log(`\n${ratios.join('\n')}`);
store.close();
rmSync(dataDir, { recursive: true, force: true });
