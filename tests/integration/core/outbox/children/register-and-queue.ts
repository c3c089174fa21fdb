// Child process for the register soak: creates documents, bulk-signs them, numbers them and queues/finishes jobs, round after round, printing a line after every commit.
import { readFileSync, writeSync } from 'node:fs';
import { bulkSign, claimNext, completeJob, enqueue, newWorkerId, releaseDeadLeases } from '../../../../../src/core/outbox/index.js';
import { addFile, assignOutgoingNumber, createDocument, getDocument, open, registerIncoming } from '../../../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../../../src/core/token/index.js';
import { discPng, fixture } from '../../../../kit/pdf-tools.js';

// mode "forever" works until killed (or maxRounds); "finish" completes the rounds already begun and exits.
const [dataDir, module, label, cert, subCaDer, mode, roundSizeText, maxRoundsText] = process.argv.slice(2);
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const pin = Buffer.concat(chunks).toString('utf8').trim();

const ROUND = Number(roundSizeText);
const MAX_ROUNDS = Number(maxRoundsText);
const OUR_AGENCY = '000.00.14.H14';
const pdf = fixture('classic-xref.pdf');
const say = (line: string): void => void writeSync(1, `${line}\n`);

const store = open(dataDir!, { integrity: 'skip' });
const db = store.db;
releaseDeadLeases(db);
const worker = newWorkerId();

/** Documents of this soak by key: subjects end in "#out-<k>" or "#in-<k>". */
function byKey(): Map<string, number> {
  const rows = db.prepare<[], { id: number; subject: string }>("SELECT id, subject FROM documents WHERE subject LIKE '%#%'").all();
  return new Map(rows.map((r) => [r.subject.slice(r.subject.lastIndexOf('#') + 1), r.id]));
}

const existing = byKey();
const begunRounds = Math.ceil([...existing.keys()].filter((k) => k.startsWith('out-')).length / ROUND);
for (let round = 0; round < MAX_ROUNDS; round++) {
  if (mode === 'finish' && round >= Math.max(begunRounds, 1)) break;
  const known = byKey();
  const ids: number[] = [];
  // 1. Outgoing drafts with their PDF: document row, file row and blob in one transaction.
  for (let k = round * ROUND + 1; k <= (round + 1) * ROUND; k++) {
    let id = known.get(`out-${k}`);
    if (id === undefined) {
      id = db
        .transaction(() => {
          const { id: created } = createDocument(db, 'outgoing', {
            organId: OUR_AGENCY,
            organName: 'Ủy ban nhân dân tỉnh Cao Bằng',
            codeNotation: 'UBND-VP',
            subject: `Văn bản kiểm thử sổ đăng ký #out-${k}`,
          });
          addFile(db, store.blobs, created, { role: 'main', name: `di-${k}.pdf`, bytes: pdf });
          return created;
        })
        .immediate();
      say(`created out-${k} ${id}`);
    }
    ids.push(id);
  }
  // 2. One incoming document a round: document, arrival number and its job in one transaction.
  const inKey = `in-${round + 1}`;
  if (!known.has(inKey)) {
    const registered = db
      .transaction(() => {
        const { id } = createDocument(db, 'incoming', {
          organId: '000.00.01.H26',
          organName: 'Ủy ban nhân dân thành phố Hà Nội',
          codeNumber: String(round + 1).padStart(2, '0'),
          codeNotation: 'UBND-KT',
          subject: `Văn bản đến kiểm thử #${inKey}`,
        });
        const { arrivalNumber } = registerIncoming(db, id, { organId: OUR_AGENCY });
        enqueue(db, { kind: 'submit', documentId: id, payload: { documentId: id, arrivalNumber } });
        return { id, arrivalNumber };
      })
      .immediate();
    say(`registered ${inKey} ${registered.id} ${registered.arrivalNumber}`);
  }
  // 3. Bulk signing of the round (the same documents each time, so a killed batch resumes).
  if (ids.some((id) => getDocument(db, id).state === 'draft')) {
    const result = await bulkSign(
      store,
      ids,
      {
        token: { module: module!, label: label!, cert: cert! },
        appearance: 'leader',
        level: 'B-B',
        image: discPng(120, [20, 40, 200]),
        page: 1,
        rect: [350, 100, 150, 75],
        chain: [new Uint8Array(readFileSync(subCaDer!))],
        concurrency: 2,
        leaseMs: 10_000,
      },
      pin,
      (p) => say(`progress ${p.done} ${p.total}`),
    );
    say(`signed round ${round + 1}: ${result.signed} signed, ${result.alreadySigned} already, ${result.failed} failed, ${result.waiting} waiting`);
    if (result.failed + result.waiting > 0) throw new Error(`round ${round + 1} did not sign: ${JSON.stringify(result.results)}`);
  }
  // 4. Outgoing numbers, each with the upload job it calls for, in one transaction.
  for (const id of ids) {
    const row = db.prepare<[number], { state: string; code_number: string | null }>('SELECT state, code_number FROM documents WHERE id = ?').get(id)!;
    if (row.code_number !== null || row.state !== 'signed_by_leader') continue;
    const assigned = db
      .transaction(() => {
        const number = assignOutgoingNumber(db, id);
        enqueue(db, { kind: 'upload', documentId: id, payload: { documentId: id, codeNumber: number.codeNumber } });
        return number;
      })
      .immediate();
    say(`numbered ${id} ${assigned.number}`);
  }
  // 5. The queue's side: take every upload/submit job and finish it.
  for (let job = claimNext(db, worker, { kinds: ['upload', 'submit'] }); job; job = claimNext(db, worker, { kinds: ['upload', 'submit'] })) {
    completeJob(db, job.id, worker);
    say(`completed ${job.id}`);
  }
}
say('finished');
store.close();
await finalizeAllModules();
