// The exchange engine against a real server on loopback: online/offline with the circuit, queued sends resuming when back, progress events, server-event pokes with polling as fallback, recall, update, needs-login.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExchangeClient, ExchangeEngine, type ExchangeProgress, type LoginKey, type ServerKey } from '../../../../src/core/exchange/index.js';
import { createOutboxWorker, enqueue, getJob, jobHistory, listJobs, TokenKeySource, type OutboxWorker } from '../../../../src/core/outbox/index.js';
import { addFile, assignOutgoingNumber, createDocument, getDocument, listFiles, open, readLatest, transition, type Store } from '../../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { startFakeTsa } from '../../../kit/fake-tsa.js';
import { startFaultProxy, type FaultProxy } from '../../../kit/fault-proxy.js';
import { usePki } from '../../../kit/pki.js';
import { logoutAll } from '../../../kit/signing-key.js';
import { CAO_BANG, NOI_VU, ORIGIN, sha256, startTestServer, testKeys, type Keys, type TestServer } from '../../server/kit.js';
import { sealedPdf } from './payloads.js';

const pki = usePki();
let keys: Keys;
let server: TestServer;
let url: string;
let target: { host: string; port: number };
let trust: TrustStore;
let serverKey: ServerKey;
const dirs: string[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
/** Engines and proxies of the current test: stopped after it, so no engine of an earlier test takes the next one's inbox. */
const stops: (() => Promise<void>)[] = [];

const tempStore = (): Store => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-exchange-engine-'));
  dirs.push(dir);
  const store = open(dir);
  cleanups.push(() => store.close());
  return store;
};

async function issued(store: Store, subject: string, size = 40_000, signatureLevel?: 'B-B'): Promise<number> {
  const { id } = createDocument(store.db, 'outgoing', {
    organId: CAO_BANG, organName: 'UBND tỉnh Cao Bằng', codeNotation: 'UBND-VP', typeName: 'Công văn', subject,
    recipients: [{ organId: NOI_VU, organName: 'Sở Nội vụ tỉnh Cao Bằng' }],
  });
  addFile(store.db, store.blobs, id, { role: 'main', name: 'cong-van.pdf', bytes: await sealedPdf(keys.agency, subject, size), ...(signatureLevel ? { signatureLevel } : {}) });
  transition(store.db, id, 'signed_by_leader');
  assignOutgoingNumber(store.db, id);
  transition(store.db, id, 'issued');
  return id;
}

interface Side {
  store: Store;
  client: ExchangeClient;
  engine: ExchangeEngine;
  worker: OutboxWorker;
  progress: ExchangeProgress[];
  online: boolean[];
}

/** An app's exchange side: store, client (through `serverUrl`), engine and outbox worker, started. */
function side(loginKey: () => LoginKey | undefined, serverUrl: string, options: { pollMs?: number; idlePollMs?: number; useEvents?: boolean; autoReply?: 'none' | 'arrived' | 'accepted'; trust?: TrustStore; longTermBeforeSend?: { tsaUrl: string } } = {}): Side {
  const store = tempStore();
  const client = new ExchangeClient({ serverUrl, origin: ORIGIN, loginKey, chunkBytes: 16 * 1024, uploadAttempts: 2, circuit: { failureThreshold: 3, openMs: 300, maxOpenMs: 600 } });
  const engine = new ExchangeEngine({ client, store, trust: options.trust ?? trust, serverKey: async () => serverKey, pollMs: options.pollMs ?? 200, idlePollMs: options.idlePollMs ?? 60_000, useEvents: options.useEvents ?? true, maxReconnectMs: 300, autoReply: options.autoReply ?? 'arrived', ...(options.longTermBeforeSend ? { longTermBeforeSend: options.longTermBeforeSend } : {}) });
  const worker = createOutboxWorker(store, { keys: new TokenKeySource(), trust: options.trust ?? trust, hooks: engine.hooks, backoff: { baseMs: 50, maxMs: 200 }, pollMs: 50 });
  engine.attach(worker);
  const progress: ExchangeProgress[] = [];
  const online: boolean[] = [];
  engine.on('progress', (p) => progress.push(p));
  engine.on('online', (c) => online.push(c.online));
  engine.start();
  worker.start();
  stops.push(async () => {
    await engine.stop();
    await worker.stop({ graceMs: 1_000 });
  });
  return { store, client, engine, worker, progress, online };
}

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

beforeAll(async () => {
  keys = await testKeys(pki);
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  server = await startTestServer(pki, keys, 'sqlite');
  url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  target = { host: '127.0.0.1', port: Number(new URL(url).port) };
  serverKey = await new ExchangeClient({ serverUrl: url, origin: ORIGIN, loginKey: () => undefined }).serverKey();
});

afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await server?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await logoutAll();
  await finalizeAllModules();
});

/**
 * A document sent to a recipient that reaches the server through `proxy` (its event stream up, its polls an hour
 * apart): waits until the recipient has stored it, at most 12 s.
 */
async function storedThrough(proxy: FaultProxy, subject: string, waitingFor: string): Promise<void> {
  stops.push(() => proxy.close());
  const recipient = side(() => keys.spare, proxy.url, { pollMs: 3_600_000, idlePollMs: 3_600_000 });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const a = side(() => keys.agency, url, { useEvents: false });
  const { messageId } = await a.engine.send(await issued(a.store, subject));
  await until(waitingFor, () => recipient.progress.some((p) => p.type === 'received' && p.messageId === messageId), 12_000);
}

describe('exchange engine', () => {
  it('goes offline when the server is down, keeps the send waiting without spending attempts, and sends it as soon as it is back online', async () => {
    const proxy: FaultProxy = await startFaultProxy(target);
    stops.push(() => proxy.close());
    proxy.setDown(true);
    const a = side(() => keys.agency, proxy.url, { useEvents: false });
    const id = await issued(a.store, 'Gửi khi máy chủ ngừng');
    const { messageId } = await a.engine.send(id);
    await until('the offline signal', () => a.online.includes(false));
    expect(a.engine.online).toBe(false);
    // Stay down a while: with the circuit open the jobs sleep instead of burning their attempts.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const [upload] = listJobs(a.store.db, { documentId: id });
    expect(upload!.state).toBe('pending');
    expect(upload!.lastError?.code).toBe('EXCHANGE_OFFLINE');
    const history = jobHistory(a.store.db, upload!.id);
    const offlineRetries = history.filter((h) => h.event === 'retry' && (h.detail as { offline?: boolean }).offline === true);
    expect(offlineRetries.length).toBeGreaterThan(0);
    // Only the failures that opened the circuit (or a failed probe) were counted.
    expect(getJob(a.store.db, upload!.id).attempts).toBeLessThanOrEqual(3);

    proxy.setDown(false);
    await until('the document sent', () => getDocument(a.store.db, id).state === 'sent');
    expect(a.online).toEqual([false, true]);
    expect(a.progress).toContainEqual({ type: 'sent', documentId: id, messageId, kind: 'new' });
  });

  it('reports upload bytes as they reach the server, and the recipient hears of a new document by the server poke, not by polling', async () => {
    const recipient = side(() => keys.spare, url, { pollMs: 3_600_000, idlePollMs: 3_600_000 });
    // The first poll (at start) finds nothing; from then on only a poke can bring the document.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const a = side(() => keys.agency, url, { useEvents: false });
    const id = await issued(a.store, 'Gửi và nhận ngay', 70_000);
    const started = Date.now();
    const { messageId } = await a.engine.send(id);
    await until('the recipient stored the document', () => recipient.progress.some((p) => p.type === 'received' && p.messageId === messageId));
    expect(Date.now() - started).toBeLessThan(10_000);

    const uploads = a.progress.filter((p): p is Extract<ExchangeProgress, { type: 'upload' }> => p.type === 'upload' && p.documentId === id);
    const total = uploads[0]!.bytesTotal;
    expect(total).toBeGreaterThan(60_000);
    // One event per 16 KB chunk: nothing was skipped or sent twice on this clean path.
    expect(uploads).toHaveLength(Math.ceil(total / (16 * 1024)));
    for (let i = 1; i < uploads.length; i++) expect(uploads[i]!.bytesDone).toBeGreaterThanOrEqual(uploads[i - 1]!.bytesDone);
    expect(uploads.at(-1)!.bytesDone).toBe(total);
    expect(recipient.progress.filter((p) => p.type === 'download' && p.messageId === messageId)).toHaveLength(1);
    // And the sender's status feed brings the recipient's 01.
    await a.engine.sync();
    expect(getDocument(a.store.db, id).recipients[0]).toMatchObject({ organId: NOI_VU, status: '01' });
  });

  it('tries a pull the network broke again within seconds, though the next poll is an hour away and no poke comes', async () => {
    // Every download fails for 1.5 s from the first one (the client's own quick retries included); the event stream stays up.
    let failUntil: number | undefined;
    let refused = 0;
    const proxy = await startFaultProxy(target, {
      schedule: (r) => {
        if (r.method !== 'GET' || !r.path.startsWith('/v1/blobs/')) return { kind: 'pass' };
        failUntil ??= Date.now() + 1_500;
        if (Date.now() >= failUntil) return { kind: 'pass' };
        refused++;
        return { kind: 'status', status: 503 };
      },
    });
    await storedThrough(proxy, 'Kéo lại sau lỗi mạng', 'the document stored after the network came back');
    expect(refused).toBeGreaterThan(0);
  });

  it('tries a document left on the server again within seconds when its bytes arrived changed twice, though no poll or poke comes', async () => {
    // The first two downloads of the file arrive with a byte flipped (the client asks twice before deferring it).
    let corrupted = 0;
    const proxy = await startFaultProxy(target, {
      schedule: (r) => (r.method === 'GET' && r.path.startsWith('/v1/blobs/') && corrupted++ < 2 ? { kind: 'corrupt-response' } : { kind: 'pass' }),
    });
    await storedThrough(proxy, 'Tải lại sau khi tệp bị sửa trên đường', 'the document stored on the early retry');
    expect(proxy.counts()['corrupt-response']).toBe(2);
  });

  it('goes back to its regular polls when a retried pull fails for another reason than the network', async () => {
    // No event stream: only polls bring documents. The second inbox read answers 503 (retried early), the third 400.
    let inboxReads = 0;
    const proxy = await startFaultProxy(target, {
      schedule: (r) => {
        if (!r.path.startsWith('/v1/inbox?')) return { kind: 'pass' };
        inboxReads++;
        if (inboxReads === 2) return { kind: 'status', status: 503 };
        if (inboxReads === 3) return { kind: 'status', status: 400 };
        return { kind: 'pass' };
      },
    });
    stops.push(() => proxy.close());
    const recipient = side(() => keys.spare, proxy.url, { pollMs: 300, useEvents: false });
    await until('the refused read', () => inboxReads >= 3);
    const a = side(() => keys.agency, url, { useEvents: false });
    const { messageId } = await a.engine.send(await issued(a.store, 'Thăm dò lại sau lỗi khác'));
    await until('the document stored by a later poll', () => recipient.progress.some((p) => p.type === 'received' && p.messageId === messageId), 10_000);
  });

  it('falls back to polling when the event stream is refused', async () => {
    const proxy = await startFaultProxy(target, { schedule: (r) => (r.path.startsWith('/v1/events') ? { kind: 'status', status: 503 } : { kind: 'pass' }) });
    stops.push(() => proxy.close());
    const recipient = side(() => keys.spare, proxy.url, { pollMs: 300 });
    const a = side(() => keys.agency, url, { useEvents: false });
    const id = await issued(a.store, 'Nhận bằng thăm dò định kỳ');
    const { messageId } = await a.engine.send(id);
    await until('the recipient stored the document by polling', () => recipient.progress.some((p) => p.type === 'received' && p.messageId === messageId));
    expect(proxy.counts().status).toBeGreaterThan(0);
  });

  it('recalls a sent document: the recipient agrees (15) and its copy is recalled; an update names the document it revises', async () => {
    const recipient = side(() => keys.spare, url, { pollMs: 200, autoReply: 'accepted' });
    const a = side(() => keys.agency, url, { useEvents: false });
    const id = await issued(a.store, 'Văn bản sẽ bị thu hồi');
    const { messageId } = await a.engine.send(id);
    await until('received', () => recipient.progress.some((p) => p.type === 'received' && p.messageId === messageId));
    const received = recipient.progress.find((p): p is Extract<ExchangeProgress, { type: 'received' }> => p.type === 'received' && p.messageId === messageId)!;
    // 'received' is heard once stored; the automatic 01/03 and the move to accepted follow.
    await until('accepted', () => getDocument(recipient.store.db, received.documentId).state === 'accepted');

    // An update of it: stored as a new document that names the original.
    const updateId = await issued(a.store, 'Văn bản cập nhật');
    const update = await a.engine.send(updateId, { revises: { type: 'update', messageId } });
    const synced: { revises?: number; type: string }[] = [];
    recipient.engine.on('synced', (s) => synced.push(...s.inbox.stored.filter((x) => x.messageId === update.messageId)));
    await until('update received', () => synced.length > 0);
    expect(synced[0]).toMatchObject({ type: 'update', revises: received.documentId });

    const recall = a.engine.recall(id, 'Ban hành nhầm, thu hồi');
    await until('recall applied', () => recipient.progress.some((p) => p.type === 'recalled' && p.messageId === recall.messageId));
    expect(getDocument(recipient.store.db, received.documentId).state).toBe('recalled');
    // The sender sees its recipient move 03 -> 13 -> 15; the document itself stays sent.
    await until('status 15 at the sender', () => {
      void a.engine.sync();
      return getDocument(a.store.db, id).recipients[0]?.status === '15';
    });
    expect(getDocument(a.store.db, id).state).toBe('sent');
    const events = await server.database.db.selectFrom('status_events').select(['code', 'by_organ']).where('message_id', '=', messageId).orderBy('seq').execute();
    expect(events.map((e) => e.code)).toEqual(['01', '03', '13', '15']);
    // Recalling something never sent is refused, bilingually.
    const draft = await issued(a.store, 'Chưa gửi');
    expect(() => a.engine.recall(draft, 'x')).toThrow(/not been sent|chưa được gửi/);
  });

  it('holds a document whose root the recipient lacks (01 only, never 02) and accepts it (03) as soon as the trust list changes', async () => {
    const nobody = await trustStoreFrom({ pemOrDerFiles: [] });
    const recipient = side(() => keys.spare, url, { pollMs: 200, autoReply: 'accepted', trust: nobody });
    const held: number[] = [];
    recipient.engine.on('synced', (s) => held.push(...s.inbox.held.map((h) => h.documentId)));
    const a = side(() => keys.agency, url, { useEvents: false });
    const id = await issued(a.store, 'Nơi nhận chưa có chứng thư gốc');
    await a.engine.send(id);
    await until('held at the recipient', () => held.length > 0);
    const documentId = held[0]!;
    expect(getDocument(recipient.store.db, documentId).state).toBe('registered');
    await until('01 at the sender', () => {
      void a.engine.sync();
      return getDocument(a.store.db, id).recipients[0]?.status === '01';
    });
    const rechecked = await recipient.engine.trustChanged(trust);
    expect(rechecked.cleared).toEqual([{ documentId, messageId: expect.any(String) as unknown, accepted: true }]);
    expect(getDocument(recipient.store.db, documentId).state).toBe('accepted');
    await until('03 at the sender', () => {
      void a.engine.sync();
      return getDocument(a.store.db, id).recipients[0]?.status === '03';
    });
  });

  it('without an unlocked token the send waits visibly for the login and goes once the user logs in', async () => {
    const session: { key?: LoginKey } = {};
    const a = side(() => session.key, url, { useEvents: false });
    let needsLogin = 0;
    a.engine.on('needsLogin', () => needsLogin++);
    const id = await issued(a.store, 'Chờ đăng nhập');
    await a.engine.send(id);
    await until('the job waiting for login', () => listJobs(a.store.db, { documentId: id })[0]?.waitingFor === 'login');
    await until('the needsLogin signal', () => needsLogin > 0);
    expect(getDocument(a.store.db, id).state).toBe('queued');
    session.key = keys.agency;
    a.engine.loggedIn();
    await until('sent after login', () => getDocument(a.store.db, id).state === 'sent');
  });

  it('sends at the current level when the TSA does not answer, and waits for a B-T upgrade when it does', async () => {
    const tsa = await startFakeTsa(pki);
    stops.push(() => tsa.close());
    const a = side(() => keys.agency, url, { useEvents: false });
    const pendingUpgrade = (documentId: number, tsaUrl: string): number =>
      enqueue(a.store.db, { kind: 'upgrade', documentId, payload: { documentId, fileId: listFiles(a.store.db, documentId)[0]!.id, level: 'B-T', tsaUrl }, maxAttempts: 20 }).id;
    const receiptFile = (documentId: number): string => (JSON.parse(getDocument(a.store.db, documentId).receipt!) as { receipt: { files: { sha256: string }[] } }).receipt.files[0]!.sha256;

    // The TSA does not answer: the send does not wait behind the upgrade; the B-B file goes out.
    const first = await issued(a.store, 'Gửi khi TSA không truy cập được');
    const before = sha256(readLatest(a.store.db, a.store.blobs, listFiles(a.store.db, first)[0]!.id));
    const deadUpgrade = pendingUpgrade(first, 'http://127.0.0.1:9/tsa');
    const sent = await a.engine.send(first);
    expect(sent.plan).toMatchObject({ lane: 'own', why: 'tsa-unreachable' });
    await until('the first document sent', () => getDocument(a.store.db, first).state === 'sent');
    expect(getJob(a.store.db, deadUpgrade).state).not.toBe('done');
    expect(receiptFile(first)).toBe(before);

    // The TSA answers: the send waits for the upgrade, and the timestamped revision is what goes out.
    const second = await issued(a.store, 'Gửi sau khi gắn dấu thời gian');
    const upgrade = pendingUpgrade(second, tsa.url);
    const waited = await a.engine.send(second);
    expect(waited.plan).toMatchObject({ lane: 'document', why: 'upgrade-first', waitsFor: { jobId: upgrade, level: 'B-T' } });
    await until('the second document sent', () => getDocument(a.store.db, second).state === 'sent');
    expect(getJob(a.store.db, upgrade).state).toBe('done');
    const latest = listFiles(a.store.db, second)[0]!.revisions.at(-1)!;
    expect(latest.signatureLevel).toBe('B-T');
    expect(receiptFile(second)).toBe(sha256(readLatest(a.store.db, a.store.blobs, listFiles(a.store.db, second)[0]!.id)));

    // Settings can say never to wait.
    const third = await issued(a.store, 'Cài đặt: gửi ngay');
    pendingUpgrade(third, tsa.url);
    const now = new ExchangeEngine({ client: a.client, store: a.store, trust, waitForUpgrade: false });
    expect((await now.send(third)).plan).toMatchObject({ lane: 'own', why: 'settings-say-send-now' });
  });

  it('raises a B-B document to B-LTA before sending when a TSA is set, so the file carries its own revocation data', async () => {
    const tsa = await startFakeTsa(pki);
    stops.push(() => tsa.close());
    const a = side(() => keys.agency, url, { useEvents: false, longTermBeforeSend: { tsaUrl: tsa.url } });
    const receiptFile = (documentId: number): string => (JSON.parse(getDocument(a.store.db, documentId).receipt!) as { receipt: { files: { sha256: string }[] } }).receipt.files[0]!.sha256;

    const id = await issued(a.store, 'Nâng mức chữ ký trước khi gửi', 40_000, 'B-B');
    const sent = await a.engine.send(id);
    expect(sent.plan).toMatchObject({ lane: 'document', why: 'upgrade-first', waitsFor: { level: 'B-LTA' } });
    await until('the document sent', () => getDocument(a.store.db, id).state === 'sent', 20_000);
    const main = listFiles(a.store.db, id)[0]!;
    expect(main.revisions.at(-1)!.signatureLevel).toBe('B-LTA');
    const bytes = readLatest(a.store.db, a.store.blobs, main.id);
    expect(receiptFile(id)).toBe(sha256(bytes));
    // What the recipient gets validates with no network at all.
    const report = await validatePdf(bytes, { trust, online: false });
    expect(report.verdict).toBe('valid');
    expect(report.signatures[0]).toMatchObject({ level: 'B-LTA', revocation: { status: 'good' } });

    // Without the setting nothing is queued either.
    const before = listJobs(a.store.db, { kind: 'upgrade' }).length;
    expect(before).toBe(1);
    const plain = await issued(a.store, 'Gửi như đã ký', 40_000, 'B-B');
    const asIs = new ExchangeEngine({ client: a.client, store: a.store, trust });
    expect((await asIs.send(plain)).plan).toMatchObject({ lane: 'document', why: 'no-pending-upgrade' });
    expect(listJobs(a.store.db, { kind: 'upgrade' })).toHaveLength(before);
  });
});
