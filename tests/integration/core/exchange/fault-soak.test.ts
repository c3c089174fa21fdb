// Fault soak: EXCHANGE_SOAK_COUNT sends (default 60; `npm run soak:exchange` runs 1,000) through a seeded faulty proxy and outages, the sending and the receiving processes SIGKILLed at random, the seals' OCSP responder failing half the time, on SQLite and PostgreSQL servers; then the network heals and every document must have arrived exactly once, none returned.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExchangeClient, enqueueSend, pullInbox, recheckHeld, type ServerKey } from '../../../../src/core/exchange/index.js';
import { jobHistory, listJobs, seededRandom } from '../../../../src/core/outbox/index.js';
import { addFile, assignOutgoingNumber, checkIntegrity, createDocument, getDocument, getHistory, listFiles, open, readLatest, transition, type Store } from '../../../../src/core/store/index.js';
import { addCertificateRule, verifyAuditLog } from '../../../../src/server/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { collect } from '../../../kit/child-process.js';
import { randomSchedule, startFaultProxy, type FaultProxy } from '../../../kit/fault-proxy.js';
import { flakySchedule, startOcspService, type OcspService } from '../../../kit/ocsp-service.js';
import { usePki } from '../../../kit/pki.js';
import { logoutAll } from '../../../kit/signing-key.js';
import { CAO_BANG, DIALECTS, NOI_VU, ORIGIN, startTestServer, testKeys, type Dialect, type Keys, type TestServer } from '../../server/kit.js';
import { closedPort, readDer, type TrustPki } from '../trust/kit.js';
import { ownOcspSeals, type OwnOcspSeal } from './own-ocsp-seals.js';
import { sealedPdf } from './payloads.js';

const pki = usePki() as TrustPki;
const COUNT = Number(process.env.EXCHANGE_SOAK_COUNT ?? 60);
const SEED = Number(process.env.EXCHANGE_SOAK_SEED ?? 20_261_125);
const FAULT_RATE = Number(process.env.EXCHANGE_SOAK_FAULT_RATE ?? 0.1);
const SIZE = Number(process.env.EXCHANGE_SOAK_SIZE ?? 96 * 1024);
// About one kill per ten documents, at least four.
const KILLS = Number(process.env.EXCHANGE_SOAK_KILLS ?? Math.max(4, Math.round(COUNT / 10)));
const only = process.env.EXCHANGE_SOAK_DIALECTS?.split(',') as Dialect[] | undefined;
/**
 * The documents carry the seals of this many agencies' offices, each certificate's status only at an OCSP responder that
 * fails this share of its requests (500/503, reset, lost answer, tryLater, slower than the server waits). Its answers hold
 * one minute, so the kept ones expire and are fetched again all through a long run, on both sides.
 */
const SEALS = Number(process.env.EXCHANGE_SOAK_SEALS ?? 16);
const OCSP_FAILURE_RATE = Number(process.env.EXCHANGE_SOAK_OCSP_FAILURE_RATE ?? 0.5);
/** What the server waits for a responder; the slow failure takes longer. */
const SERVER_OCSP_TIMEOUT_MS = 2_000;
const childPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'children', 'send-soak.ts');
const pullerPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'children', 'pull-soak.ts');

const STATE_RANK: Record<string, number> = { issued: 0, queued: 1, sending: 2, sent: 3 };
const STATUS_RANK: Record<string, number> = { none: 0, '01': 1, '03': 2 };
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let keys: Keys;
let trust: TrustStore;
let payloads: Uint8Array[];
let seals: OwnOcspSeal[];
let ocspIndex: string;
let ocspPort: number;
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-exchange-soak-'));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  keys = await testKeys(pki);
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  ocspPort = await closedPort();
  ({ seals, index: ocspIndex } = ownOcspSeals(pki, tempDir(), ocspPort, Array.from({ length: SEALS }, (_, i) => `Con dau van phong so ${i + 1} (OCSP chap chon)`)));
  // The same files on both servers: each server is fresh, so nothing is skipped as already there.
  payloads = [];
  for (let i = 0; i < COUNT; i++) payloads.push(await sealedPdf(seals[i % SEALS]!.signingKey, `so ${i + 1}`, SIZE));
}, 60_000 + COUNT * 500);

afterAll(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await logoutAll();
  await finalizeAllModules();
});

/** Resolves after the child printed `count` job event lines (never, if it exits first: the race has the exit). */
function eventLines(child: ChildProcess, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    child.stdout?.on('data', (d: Buffer) => {
      seen += d.toString().split('\n').filter((l) => l.startsWith('event ')).length;
      if (seen >= count) resolve();
    });
  });
}

/** Each document's state and its recipient's status, ranked: they may only go up between two looks. */
function snapshot(store: Store, ids: number[]): Map<number, [number, number]> {
  return new Map(
    ids.map((id) => {
      const d = getDocument(store.db, id);
      return [id, [STATE_RANK[d.state] ?? -1, STATUS_RANK[d.recipients[0]?.status ?? 'none'] ?? -1]];
    }),
  );
}

function expectNoStepBack(before: Map<number, [number, number]>, after: Map<number, [number, number]>, store: Store): void {
  for (const [id, [state, status]] of after) {
    const [oldState, oldStatus] = before.get(id)!;
    if (state >= oldState && status >= oldStatus && state >= 0 && status >= 0) continue;
    // What happened to it, for whoever reads the failure: its state, its recipient's status and its history (reasons included).
    const document = getDocument(store.db, id);
    expect.fail(
      `document ${id} went backwards or off the path: now ${document.state}, recipient ${document.recipients[0]?.status ?? 'none'} (ranks before ${oldState}, ${oldStatus}); history ${JSON.stringify(getHistory(store.db, id))}`,
    );
  }
}

function issue(store: Store, payload: Uint8Array, i: number): number {
  const { id } = createDocument(store.db, 'outgoing', {
    organId: CAO_BANG, organName: 'UBND tỉnh Cao Bằng', codeNotation: 'UBND-VP', typeName: 'Công văn', subject: `Văn bản kiểm thử trao đổi số ${i + 1}`,
    recipients: [{ organId: NOI_VU, organName: 'Sở Nội vụ tỉnh Cao Bằng' }],
  });
  addFile(store.db, store.blobs, id, { role: 'main', name: `cong-van-${i + 1}.pdf`, bytes: payload });
  transition(store.db, id, 'signed_by_leader');
  assignOutgoingNumber(store.db, id);
  transition(store.db, id, 'issued');
  return id;
}

describe.each((only ?? DIALECTS).map((dialect) => ({ dialect })))(`exchange fault soak (${COUNT} sends) on $dialect`, ({ dialect }) => {
  let server: TestServer;
  let serverUrl: string;
  let serverKey: ServerKey;
  let ocsp: OcspService;
  /** Submissions the server held as pending (202) rather than refuse: a seal's status not learned yet. */
  const heldByServer = new Set<string>();
  beforeAll(async () => {
    // Each dialect's run meets the same failing responder from its first request.
    ocsp = await startOcspService(pki, { port: ocspPort, index: ocspIndex, responders: 3, validMinutes: 1, schedule: flakySchedule(SEED + 3, { rate: OCSP_FAILURE_RATE, slowMs: SERVER_OCSP_TIMEOUT_MS + 500 }) });
    // Held submissions are looked at often and re-checked soon (the deployed default waits 30 s, doubling).
    server = await startTestServer(pki, keys, dialect, { revocation: { online: true, requireKnown: true, timeoutMs: SERVER_OCSP_TIMEOUT_MS }, pendingCheckMs: 200, pendingRecheck: { baseMs: 500, maxMs: 4_000 }, metrics: { submissionHeld: (id) => void heldByServer.add(id) } });
    // The seals are Cao Bằng's: the directory recognises each by its issuer and name.
    for (const seal of seals) await addCertificateRule(server.database.db, { organId: CAO_BANG, role: 'agency', issuerCertificate: readDer(pki.subCaDer), subject: `CN=${seal.name}` });
    serverUrl = await server.app.listen({ port: 0, host: '127.0.0.1' });
    serverKey = await new ExchangeClient({ serverUrl, origin: ORIGIN, loginKey: () => undefined }).serverKey();
  });
  afterAll(async () => {
    await server?.close();
    await ocsp?.stop();
  });

  it(
    'delivers every document exactly once, none returned while the responder fails half the time, with matching hashes, final jobs, no status going back, and under 1.2x the payload uploaded',
    async () => {
      const random = seededRandom(SEED + (dialect === 'postgres' ? 1 : 0));
      const target = { host: '127.0.0.1', port: Number(new URL(serverUrl).port) };
      // One faulty path for the sender, another for the recipient, each on its own seeded schedule.
      const senderProxy: FaultProxy = await startFaultProxy(target, { schedule: randomSchedule(SEED, { rate: FAULT_RATE, maxCutBytes: 48 * 1024 }) });
      const recipientProxy: FaultProxy = await startFaultProxy(target, { schedule: randomSchedule(SEED + 7, { rate: FAULT_RATE, maxCutBytes: 4 * 1024 }) });
      const senderDir = tempDir();
      const recipientDir = tempDir();
      const sender = open(senderDir);
      const ids = payloads.map((p, i) => issue(sender, p, i));
      const messageIds = new Map(ids.map((id) => [enqueueSend(sender, id).messageId, id]));
      const payloadBytes = payloads.reduce((sum, p) => sum + p.length, 0);
      const started = Date.now();

      // The recipient pulls all along in its own process, through its own faults (replying 01 then 03),
      // and is SIGKILLed at random too: between storing and acking, mid-download, mid-reply.
      open(recipientDir).close();
      const pullRandom = seededRandom(SEED + 11);
      let pulling = true;
      let recipientKills = 0;
      /** Documents the recipient's pulls stored but held ("cần kiểm tra lại": a seal's status unknown), as its lives reported. */
      const heldByRecipient = new Set<string>();
      const returnedByRecipient: string[] = [];
      let puller: ChildProcess | undefined;
      const pullLoop = (async () => {
        while (pulling) {
          puller = spawn(process.execPath, ['--import', 'tsx', pullerPath, recipientDir, recipientProxy.url, ORIGIN, pki.module, 'VANTHU SPARE', 'spare-rsa', pki.subCaPem, pki.rootPem], {
            stdio: ['pipe', 'pipe', 'pipe'],
          });
          puller.stdin?.end(`${pki.userPin}\n`);
          const exited = collect(puller);
          // Killed a random while after it is up (logged in), so each life does some work.
          const ready = new Promise<void>((resolve) => puller!.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
          await Promise.race([exited, ready.then(() => sleep(pullRandom() * 3_000))]);
          puller.kill('SIGKILL');
          const result = await exited;
          for (const [, messageId] of result.stdout.matchAll(/^received (\S+) held$/gm)) heldByRecipient.add(messageId!);
          // A document returned would fail the test below; what the recipient said about it is kept for the failure.
          returnedByRecipient.push(...result.stdout.split('\n').filter((line) => line.startsWith('rejected ')));
          if (result.signal === 'SIGKILL') recipientKills++;
          else expect.fail(`the puller exited by itself: ${result.code} ${result.stderr.slice(-2000)}`);
        }
      })();

      const runChild = (): { child: ChildProcess; done: ReturnType<typeof collect> } => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', childPath, senderDir, senderProxy.url, ORIGIN, pki.module, 'VANTHU AGENCY', 'agency-rsa', pki.subCaPem, pki.rootPem, JSON.stringify(serverKey)],
          { stdio: ['pipe', 'pipe', 'pipe'] },
        );
        child.stdin?.end(`${pki.userPin}\n`);
        return { child, done: collect(child) };
      };

      let last = snapshot(sender, ids);
      let kills = 0;
      let runs = 0;
      let outages = 0;
      // Roughly how many job events a run sees before its kill: spreads the kills over the whole batch.
      const eventsPerRun = Math.max(2, Math.round((COUNT * 2 * 2) / (KILLS + 1)));
      while (kills < KILLS) {
        runs++;
        expect(runs, 'runs should be bounded').toBeLessThan(KILLS * 3 + 10);
        const { child, done } = runChild();
        // One run in four has the server vanish for a while: the circuit opens, jobs sleep without spending attempts.
        if (random() < 0.25) {
          outages++;
          void sleep(200 + random() * 800).then(async () => {
            senderProxy.setDown(true);
            await sleep(300 + random() * 1_200);
            senderProxy.setDown(false);
          });
        }
        // Killed early (logging in, first upload) one time in five, else after a random number of job events plus a few ms.
        const moment = random() < 0.2 ? sleep(random() * 1_500) : eventLines(child, 1 + Math.floor(random() * eventsPerRun)).then(() => sleep(random() * 30));
        const outcome = await Promise.race([done.then(() => 'exited' as const), moment.then(() => 'kill' as const)]);
        if (outcome === 'kill') child.kill('SIGKILL');
        const result = await done;
        senderProxy.setDown(false);
        if (result.signal === 'SIGKILL') kills++;
        else expect(result.code, result.stderr).toBe(0);
        const now = snapshot(sender, ids);
        expectNoStepBack(last, now, sender);
        last = now;
        if (result.code === 0 && listJobs(sender.db).every((j) => j.state === 'done')) break;
      }

      // The network and the responder heal: runs until the queue is done, then the recipient takes in the rest, then the sender reads the statuses.
      senderProxy.heal();
      ocsp.heal();
      let result: Awaited<ReturnType<typeof collect>> | undefined;
      for (let round = 0; round < 5 && !listJobs(sender.db).every((j) => j.state === 'done'); round++) {
        result = await runChild().done;
        expect(result.code, result.stderr).toBe(0);
      }
      pulling = false;
      puller?.kill('SIGKILL');
      await pullLoop;
      recipientProxy.heal();
      const recipient = open(recipientDir);
      const recipientClient = new ExchangeClient({ serverUrl: recipientProxy.url, origin: ORIGIN, loginKey: () => keys.spare });
      const finalPull = await pullInbox(recipientClient, recipient, { trust, online: true, autoReply: 'accepted' });
      expect(finalPull.deferred).toEqual([]);
      expect(finalPull.rejected).toEqual([]);
      for (const held of finalPull.held) heldByRecipient.add(held.messageId);
      // As the app does when its network is back: every held document checked again now, not at its backoff's time.
      const recheck = await recheckHeld(recipient, { trust, online: true, trigger: 'network-back', client: recipientClient, autoReply: 'accepted' });
      expect({ stillHeld: recheck.stillHeld, markedInvalid: recheck.markedInvalid, failed: recheck.failed }).toEqual({ stillHeld: [], markedInvalid: [], failed: [] });
      expect(recipient.db.prepare<[], number>('SELECT count(*) FROM incoming_checks').pluck().get()).toBe(0);
      result = await runChild().done;
      expect(result.code, result.stderr).toBe(0);
      const elapsed = (Date.now() - started) / 1000;
      const after = snapshot(sender, ids);
      expect(returnedByRecipient).toEqual([]);
      expectNoStepBack(last, after, sender);

      // Every outbox job final (done), each succeeded exactly once.
      const jobs = listJobs(sender.db);
      expect(jobs).toHaveLength(COUNT * 2);
      expect(jobs.filter((j) => j.state !== 'done').map((j) => [j.id, j.state, j.lastError?.code])).toEqual([]);
      let retried = 0;
      for (const job of jobs) {
        const history = jobHistory(sender.db, job.id);
        expect(history.filter((h) => h.event === 'succeeded')).toHaveLength(1);
        if (history.some((h) => h.event === 'retry' || h.event === 'lease_expired')) retried++;
      }
      // Every document sent, its recipient at 03 (accepted), and on the server once.
      for (const id of ids) expect(getDocument(sender.db, id)).toMatchObject({ state: 'sent', recipients: [{ organId: NOI_VU, status: '03' }] });
      // Each status noted once in the document's history, in order (a status heard again after a kill is not noted twice).
      for (const id of ids) {
        const heard = getHistory(sender.db, id).filter((h) => h.kind === 'recipient_status').map((h) => h.to);
        expect(heard, `document ${id}`).toEqual(heard.includes('01') ? ['01', '03'] : ['03']);
      }
      const messages = await server.database.db.selectFrom('messages').select('id').execute();
      expect(messages.map((m) => m.id).sort()).toEqual([...messageIds.keys()].sort());
      const deliveries = await server.database.db.selectFrom('deliveries').select(['message_id', 'recipient', 'status', 'acked_at']).execute();
      expect(deliveries).toHaveLength(COUNT);
      expect(deliveries.every((d) => d.recipient === NOI_VU && d.status === '03' && d.acked_at !== null)).toBe(true);
      const statusEvents = await server.database.db.selectFrom('status_events').select(['message_id', 'code']).execute();
      expect(statusEvents).toHaveLength(COUNT * 2);
      // Nothing returned (02) by the recipient, nothing refused by the server for a responder's silence: none is left held either.
      expect(statusEvents.filter((e) => e.code !== '01' && e.code !== '03')).toEqual([]);
      expect(await server.database.db.selectFrom('pending_submissions').select(['id', 'state']).execute()).toEqual([]);
      // The failures did reach both sides: the server held submissions (202, "đang chờ kiểm tra"), the recipient held documents.
      expect(heldByServer.size).toBeGreaterThan(0);
      expect(heldByRecipient.size).toBeGreaterThan(0);

      // The recipient holds each message exactly once, with the very bytes sent.
      const incoming = recipient.db
        .prepare<[], { message_id: string; document_id: number }>("SELECT message_id, document_id FROM exchange_messages WHERE direction = 'incoming'")
        .all();
      expect(incoming.map((r) => r.message_id).sort()).toEqual([...messageIds.keys()].sort());
      const incomingByState = recipient.db.prepare<[], { state: string; n: number }>("SELECT state, count(*) AS n FROM documents WHERE direction = 'incoming' GROUP BY state").all();
      expect(incomingByState).toEqual([{ state: 'accepted', n: COUNT }]);
      for (const row of incoming) {
        const sentId = messageIds.get(row.message_id)!;
        const sentBytes = readLatest(sender.db, sender.blobs, listFiles(sender.db, sentId)[0]!.id);
        const gotBytes = readLatest(recipient.db, recipient.blobs, listFiles(recipient.db, row.document_id)[0]!.id);
        expect(sha256(gotBytes), `message ${row.message_id}`).toBe(sha256(sentBytes));
      }
      const arrivals = recipient.db.prepare<[], number>("SELECT arrival_number FROM documents WHERE direction = 'incoming' ORDER BY arrival_number").pluck().all();
      expect(arrivals).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));

      // What the kills left behind: the server's audit chain whole, every stored file's bytes where its row says (files a
      // killed pull wrote ahead without their row are orphans, which the check moves aside: not a loss).
      expect(await verifyAuditLog(server.database.db)).toMatchObject({ ok: true });
      for (const store of [sender, recipient]) {
        const integrity = checkIntegrity(store.db, store.blobs, { minOrphanAgeMs: 0 });
        expect(integrity.needsAttention).toEqual([]);
        expect(integrity.checkedBlobs).toBeGreaterThanOrEqual(COUNT);
      }

      // Resume worked: what the sender put on the wire stayed under 1.2x the files.
      const ratio = senderProxy.upBytes() / payloadBytes;
      const figures = {
        dialect,
        documents: COUNT,
        documentBytes: SIZE,
        faultRate: FAULT_RATE,
        seed: SEED,
        runs,
        kills,
        outages,
        senderFaults: senderProxy.counts(),
        recipientFaults: recipientProxy.counts(),
        recipientKills,
        storedByKilledRecipients: COUNT - finalPull.stored.length,
        ocsp: ocsp.counts(),
        heldByServer: heldByServer.size,
        heldByRecipient: heldByRecipient.size,
        clearedAtNetworkBack: recheck.cleared.length,
        jobsRetriedOrTakenOver: retried,
        uploadedBytes: senderProxy.upBytes(),
        payloadBytes,
        uploadRatio: Number(ratio.toFixed(3)),
        seconds: Number(elapsed.toFixed(1)),
        documentsPerSecond: Number((COUNT / elapsed).toFixed(2)),
      };
      console.log(`exchange soak: ${JSON.stringify(figures)}`);
      expect(ratio).toBeLessThan(1.2);
      expect(kills).toBeGreaterThanOrEqual(Math.min(KILLS, 1));
      expect(recipientKills).toBeGreaterThanOrEqual(1);
      await senderProxy.close();
      await recipientProxy.close();
      sender.close();
      recipient.close();
    },
    180_000 + COUNT * 2_500,
  );
});
