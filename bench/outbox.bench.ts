// Enqueue and complete 10,000 outbox jobs (jobs/s) against raw better-sqlite3 inserts of comparable rows in the same run, same file settings.
import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { claimNext, completeJob, enqueue, newWorkerId, OutboxWorker, queueCounts } from '../src/core/outbox/index.js';
import { createDocument, open, transition } from '../src/core/store/index.js';
import { loadLine, seconds } from './kit/bench-pki.js';

const COUNT = Number(process.env.BENCH_JOBS ?? 10_000);
const root = path.resolve(`.tmp/bench-outbox-${process.pid}`);
rmSync(root, { recursive: true, force: true });
mkdirSync(root, { recursive: true });

console.log(`Node ${process.version}, ${COUNT.toLocaleString('en')} jobs, one transaction each (WAL, synchronous = FULL, as the store opens it)`);
console.log(`before: ${loadLine()}\n`);

const store = open(path.join(root, 'store'), { integrity: 'skip' });
const { db } = store;
// One document per job, made beforehand (not timed): each job is in its own document's lane, as in the app.
const documentIds: number[] = [];
db.transaction(() => {
  for (let i = 0; i < COUNT; i++) {
    const { id } = createDocument(db, 'outgoing', { organId: '000.00.14.H14', organName: 'Ủy ban nhân dân tỉnh Cao Bằng', codeNotation: 'UBND-VP', subject: `Văn bản số ${i + 1}` });
    documentIds.push(id);
  }
}).immediate();
const payloadOf = (i: number): { documentId: number; fileSha256: string; server: string } => ({
  documentId: documentIds[i]!,
  fileSha256: (i.toString(16) + 'ab').repeat(8).slice(0, 64).padEnd(64, '0'),
  server: 'https://trucliendthong.example.vn',
});

const line = (name: string, jobs: number, s: number): number => {
  const perSecond = jobs / s;
  console.log(`${name.padEnd(62)} ${perSecond.toFixed(0).padStart(7)} /s  (${s.toFixed(2)} s, ${((s / jobs) * 1e6).toFixed(0)} µs each)`);
  return perSecond;
};

// 1. The outbox: enqueue (job row + history row, one IMMEDIATE transaction each), then claim and complete each one.
let start = process.hrtime.bigint();
for (let i = 0; i < COUNT; i++) enqueue(db, { kind: 'upload', documentId: documentIds[i]!, payload: payloadOf(i) });
const enqueueRate = line('outbox enqueue', COUNT, seconds(start));

const worker = newWorkerId();
start = process.hrtime.bigint();
let completed = 0;
for (let job = claimNext(db, worker); job; job = claimNext(db, worker)) {
  completeJob(db, job.id, worker);
  completed++;
}
const drainSeconds = seconds(start);
if (completed !== COUNT || queueCounts(db).done !== COUNT) throw new Error(`completed ${completed} of ${COUNT}`);
const completeRate = line('outbox claimNext + completeJob (2 transactions)', COUNT, drainSeconds);

// 2. The same jobs with the domain change in the transaction (document moved to signed_by_leader + its job), as the app enqueues.
start = process.hrtime.bigint();
for (let i = 0; i < COUNT; i++) {
  db.transaction(() => {
    transition(db, documentIds[i]!, 'signed_by_leader');
    enqueue(db, { kind: 'submit', documentId: documentIds[i]!, payload: payloadOf(i) });
  }).immediate();
}
const withDomainRate = line('outbox enqueue with the domain row (transition + job)', COUNT, seconds(start));

// 3. The app's worker with a handler that does nothing: what the queue itself costs per job end to end.
const outboxWorker = new OutboxWorker(store, { concurrency: 1 }).register('submit', () => Promise.resolve(undefined));
start = process.hrtime.bigint();
await outboxWorker.drain();
const workerSeconds = seconds(start);
if (queueCounts(db).done !== 2 * COUNT) throw new Error(`worker left ${JSON.stringify(queueCounts(db))}`);
const workerRate = line('OutboxWorker.drain, no-op handler', COUNT, workerSeconds);
store.close();

// 4. The peer: raw better-sqlite3, a table of the same shape, one autocommit INSERT each, then one UPDATE to done each.
const raw = new Database(path.join(root, 'raw.sqlite3'));
raw.pragma('journal_mode = WAL');
raw.pragma('synchronous = FULL');
raw.exec(`CREATE TABLE jobs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, lane TEXT NOT NULL, document_id INTEGER, payload TEXT NOT NULL,
  state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, max_attempts INTEGER NOT NULL, run_after INTEGER NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, finished_at INTEGER) STRICT`);
const insert = raw.prepare(
  "INSERT INTO jobs (kind, lane, document_id, payload, state, max_attempts, run_after, created_at, updated_at) VALUES ('upload', ?, ?, ?, 'pending', 8, ?, ?, ?)",
);
start = process.hrtime.bigint();
for (let i = 0; i < COUNT; i++) {
  const now = Date.now();
  insert.run(`document:${documentIds[i]!}`, documentIds[i]!, JSON.stringify(payloadOf(i)), now, now, now);
}
const rawInsertRate = line('raw better-sqlite3 INSERT (peer)', COUNT, seconds(start));
const done = raw.prepare("UPDATE jobs SET state = 'done', finished_at = ?, updated_at = ? WHERE id = ?");
start = process.hrtime.bigint();
for (let id = 1; id <= COUNT; id++) done.run(Date.now(), Date.now(), id);
const rawDoneRate = line('raw better-sqlite3 UPDATE to done (peer)', COUNT, seconds(start));
raw.close();

const endToEnd = COUNT / (COUNT / enqueueRate + COUNT / completeRate);
const rawEndToEnd = COUNT / (COUNT / rawInsertRate + COUNT / rawDoneRate);
console.log(`\nenqueue + complete, outbox: ${endToEnd.toFixed(0)} jobs/s; raw insert + update: ${rawEndToEnd.toFixed(0)} jobs/s`);
// Ratios of time per job, outbox over the raw peer (1.00x = as fast as bare inserts).
console.log(`outbox enqueue / raw INSERT: ${(rawInsertRate / enqueueRate).toFixed(2)}x the time`);
console.log(`outbox enqueue with the domain row / raw INSERT: ${(rawInsertRate / withDomainRate).toFixed(2)}x the time`);
console.log(`outbox enqueue + claim + complete / raw INSERT + UPDATE: ${(rawEndToEnd / endToEnd).toFixed(2)}x the time`);
console.log(`outbox enqueue with the domain row + worker / raw INSERT + UPDATE: ${(rawEndToEnd / (COUNT / (COUNT / withDomainRate + COUNT / workerRate))).toFixed(2)}x the time`);
console.log(`after: ${loadLine()}`);
rmSync(root, { recursive: true, force: true });
