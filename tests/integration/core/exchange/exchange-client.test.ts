// The exchange client against a real server on loopback (SQLite), SoftHSM logins: send, idempotency, inbox, status, cut uploads, tampering on the way.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ExchangeClient, RECHECK_MAX_MS, cachedDirectory, heldDocument, pollStatusFeed, recheckDelay, recheckHeld, pullInbox, REPLIES_IN_FLIGHT, replyToSender, sendMessage, storedUploadLocations, syncDirectory, uuidV7, type LoginKey, type PullResult, type ServerKey,
} from '../../../../src/core/exchange/index.js';
import { signPdf } from '../../../../src/core/signing/index.js';
import { getDocument, listFiles, open, readLatest, type Store } from '../../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom } from '../../../../src/core/trust/index.js';
import type { TrustStore } from '../../../../src/core/trust/index.js';
import { isVanthuError } from '../../../../src/shared/errors.js';
import { fixture } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { logoutAll } from '../../../kit/signing-key.js';
import { CAO_BANG, NOI_VU, ORIGIN, sha256, startTestServer, type Keys, type TestServer, testKeys } from '../../server/kit.js';
import { startFaultProxy, type Schedule } from '../../../kit/fault-proxy.js';

const pki = usePki();
let keys: Keys;
let goodPdf: Uint8Array;
let sealOnlyPdf: Uint8Array;
let server: TestServer;
let url: string;
let serverKey: ServerKey;
let trust: TrustStore;
const dirs: string[] = [];
const stores: Store[] = [];

const tempStore = (): Store => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-exchange-'));
  dirs.push(dir);
  const store = open(dir);
  stores.push(store);
  return store;
};
const clientFor = (key: LoginKey | undefined, serverUrl = url, chunkBytes?: number): ExchangeClient =>
  new ExchangeClient({ serverUrl, origin: ORIGIN, loginKey: () => key, ...(chunkBytes ? { chunkBytes } : {}) });
/** Cuts the `nth` PATCH (1-based) `bodyBytes` into its body (its headers pass whole): the byte-600-KiB cut of a 128 KiB-chunk upload is the 5th PATCH at 88 KiB. */
function cutPatch(nth: number, bodyBytes: number): { schedule: Schedule; cut: () => boolean } {
  let patches = 0;
  let didCut = false;
  return {
    cut: () => didCut,
    schedule: (request) => {
      if (request.method !== 'PATCH' || ++patches !== nth) return { kind: 'pass' };
      didCut = true;
      // Request line and headers of a tus PATCH from fetch stay under 600 bytes.
      return { kind: 'cut', afterBytes: 600 + bodyBytes };
    },
  };
}
/**
 * Sở Nội vụ pulls its inbox into `store` through a fault proxy on `schedule` (closed after), with fetch watched: the
 * most requests matching `counted` that were in flight at once.
 */
async function pullWatched(store: Store, schedule: Schedule, counted: (url: string, method: string) => boolean): Promise<{ pulled: PullResult; mostAtOnce: number }> {
  const target = new URL(url);
  const proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) }, { schedule });
  let inFlight = 0;
  let mostAtOnce = 0;
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const watched = counted(String(input), init?.method ?? 'GET');
    if (watched) mostAtOnce = Math.max(mostAtOnce, ++inFlight);
    try {
      return await realFetch(input, init);
    } finally {
      if (watched) inFlight--;
    }
  }) as typeof fetch;
  try {
    const pulled = await pullInbox(clientFor(keys.spare, proxy.url), store, { trust, online: true, autoReply: 'arrived' });
    return { pulled, mostAtOnce };
  } finally {
    globalThis.fetch = realFetch;
    await proxy.close();
  }
}

const metadata = { subject: 'Về việc triển khai văn bản điện tử', codeNumber: '05', codeNotation: 'UBND-VP', typeName: 'Công văn', issuedDate: '2026-01-05', priority: 0 };

beforeAll(async () => {
  keys = await testKeys(pki);
  const byLeader = await signPdf(fixture('classic-xref.pdf'), keys.leader, { reason: 'Phê duyệt' });
  goodPdf = (await signPdf(byLeader.bytes, keys.agency, {})).bytes;
  sealOnlyPdf = (await signPdf(fixture('xref-stream.pdf'), keys.agency, {})).bytes;
  server = await startTestServer(pki, keys, 'sqlite');
  const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
  url = address;
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  serverKey = await clientFor(undefined).serverKey();
});

afterAll(async () => {
  for (const store of stores) store.close();
  await server?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await logoutAll();
  await finalizeAllModules();
});

describe('exchange client on a loopback server', () => {
  it('waits for a login when no token session is open, and logs in with the token signature', async () => {
    const noToken = clientFor(undefined);
    await expect(noToken.directory()).rejects.toSatisfy((e: unknown) => isVanthuError(e, 'EXCHANGE_NEEDS_LOGIN'));
    const a = clientFor(keys.agency);
    expect(await a.login()).toEqual({ organId: CAO_BANG, name: 'UBND tỉnh Cao Bằng' });
  });

  it('logs in again when the bearer token has expired', async () => {
    const a = clientFor(keys.agency);
    await a.directory();
    server.clock.advance(24 * 3600);
    try {
      expect((await a.directory()).length).toBe(3);
    } finally {
      server.clock.offsetMs = 0;
    }
  });

  it('caches the directory for offline addressing', async () => {
    const store = tempStore();
    const synced = await syncDirectory(clientFor(keys.agency), store.db);
    expect(synced.fromCache).toBe(false);
    expect(cachedDirectory(store.db).map((a) => a.organId).sort()).toEqual(synced.agencies.map((a) => a.organId).sort());
    const offline = await syncDirectory(clientFor(keys.agency, 'http://127.0.0.1:9'), store.db);
    expect(offline.fromCache).toBe(true);
    expect(offline.agencies.find((a) => a.organId === NOI_VU)?.parent).toBe(CAO_BANG);
  });

  it('sends to B once even when sent twice; B verifies, stores, registers, acks and accepts; A sees 01 and 03', async () => {
    const a = clientFor(keys.agency);
    const aStore = tempStore();
    const message = { messageId: uuidV7(), recipients: [NOI_VU], metadata, files: [{ bytes: goodPdf, name: 'cong-van.pdf', role: 'main' as const }] };
    const first = await sendMessage(a, serverKey, message, aStore.db);
    expect(first.skippedFiles).toBe(0);
    // The same document again (a lost answer, a crash before recording): the server has the blob and the key.
    const second = await sendMessage(clientFor(keys.agency), serverKey, message, aStore.db);
    expect(second.skippedFiles).toBe(1);
    expect(second.uploadedBytes).toBe(0);
    expect(second.receipt).toEqual(first.receipt);

    const b = clientFor(keys.spare);
    const bStore = tempStore();
    await syncDirectory(b, bStore.db);
    const pulled = await pullInbox(b, bStore, { trust, online: true, autoReply: 'accepted' });
    expect(pulled.rejected).toEqual([]);
    expect(pulled.stored.map((s) => s.messageId)).toEqual([message.messageId]);
    const document = getDocument(bStore.db, pulled.stored[0]!.documentId);
    expect(document.state).toBe('accepted');
    expect(document.organId).toBe(CAO_BANG);
    expect(document.arrivalNumber).toBe(1);
    const [file] = listFiles(bStore.db, document.id);
    expect(sha256(readLatest(bStore.db, bStore.blobs, file!.id))).toBe(sha256(goodPdf));
    // Acked: nothing comes back.
    expect((await b.inbox(0)).items).toEqual([]);
    expect((await pullInbox(b, bStore, { trust, online: true, autoReply: 'accepted' })).stored).toEqual([]);

    const events = await pollStatusFeed(a, aStore.db);
    expect(events.filter((e) => e.messageId === message.messageId).map((e) => e.code)).toEqual(['01', '03']);
    expect(await pollStatusFeed(a, aStore.db)).toEqual([]);
  });

  it('resumes an upload cut mid-way from the server offset; the server gets the exact bytes', async () => {
    const target = new URL(url);
    const payload = new Uint8Array(randomBytes(1024 * 1024));
    const plan = cutPatch(5, 88 * 1024);
    const proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) }, { schedule: plan.schedule });
    try {
      const a = clientFor(keys.agency, proxy.url, 128 * 1024);
      const result = await a.uploadBlob(payload);
      expect(plan.cut()).toBe(true);
      expect(result.skipped).toBe(false);
      // Only the chunk in flight was sent twice.
      expect(result.sentBytes).toBeGreaterThan(payload.length);
      expect(result.sentBytes).toBeLessThanOrEqual(payload.length + 128 * 1024);
      // The server's copy, read back through the protocol (Range-less GET), is the exact bytes.
      expect(sha256(await clientFor(keys.agency).download(sha256(payload)))).toBe(sha256(payload));
    } finally {
      await proxy.close();
    }
  });

  it('a client that dies mid-upload resumes in the next process from the server offset (the upload URL is in the store)', async () => {
    const target = new URL(url);
    const payload = new Uint8Array(randomBytes(1024 * 1024));
    const chunk = 128 * 1024;
    const store = tempStore();
    const proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) }, { schedule: cutPatch(5, 88 * 1024).schedule });
    try {
      const dying = new ExchangeClient({ serverUrl: proxy.url, origin: ORIGIN, loginKey: () => keys.agency, chunkBytes: chunk, uploadAttempts: 1, uploads: storedUploadLocations(store.db) });
      await expect(dying.uploadBlob(payload)).rejects.toSatisfy((e: unknown) => isVanthuError(e, 'EXCHANGE_UNREACHABLE'));
    } finally {
      await proxy.close();
    }
    expect(storedUploadLocations(store.db).get(sha256(payload))).toMatch(/^\/v1\/uploads\//);
    const next = new ExchangeClient({ serverUrl: url, origin: ORIGIN, loginKey: () => keys.agency, chunkBytes: chunk, uploads: storedUploadLocations(store.db) });
    const result = await next.uploadBlob(payload);
    // Four whole chunks were committed before the cut at 600 KiB: only the rest is sent again.
    expect(result.sentBytes).toBe(payload.length - 4 * chunk);
    expect(storedUploadLocations(store.db).get(sha256(payload))).toBeUndefined();
    expect(sha256(await next.download(sha256(payload)))).toBe(sha256(payload));
  });

  it('takes a document in within the same pull when its download, its 01 and the ack each fail once on the way (quick retries of repeatable requests)', async () => {
    const a = clientFor(keys.agency);
    const message = { messageId: uuidV7(), recipients: [NOI_VU], metadata: { ...metadata, subject: 'Đường truyền chập chờn' }, files: [{ bytes: sealOnlyPdf, name: 'chap-chon.pdf', role: 'main' as const }] };
    await sendMessage(a, serverKey, message);
    const target = new URL(url);
    const failedOnce = new Set<string>();
    const proxy = await startFaultProxy(
      { host: target.hostname, port: Number(target.port) },
      {
        schedule: (r) => {
          const which = r.method === 'GET' && r.path.startsWith('/v1/blobs/') ? 'download' : r.path.endsWith('/status') ? 'status' : r.path === '/v1/inbox/ack' ? 'ack' : undefined;
          if (which === undefined || failedOnce.has(which)) return { kind: 'pass' };
          failedOnce.add(which);
          // A cut answer for the download, a 503 for the status, an answer lost after the server acted for the ack.
          return which === 'download' ? { kind: 'cut', afterBytes: 1000 } : which === 'status' ? { kind: 'status', status: 503 } : { kind: 'drop-response' };
        },
      },
    );
    const bStore = tempStore();
    try {
      const pulled = await pullInbox(clientFor(keys.spare, proxy.url), bStore, { trust, online: true, autoReply: 'arrived' });
      expect(pulled.deferred).toEqual([]);
      expect(pulled.stored.map((s) => s.messageId)).toEqual([message.messageId]);
      expect([...failedOnce].sort()).toEqual(['ack', 'download', 'status']);
    } finally {
      await proxy.close();
    }
    // Acked: nothing is delivered again.
    expect((await clientFor(keys.spare).inbox(0)).items.filter((i) => i.messageId === message.messageId)).toEqual([]);
  });

  it('a 03 that never got its answer: the next pull, finding the document stored, sends it again and the document follows to accepted (not left registered)', async () => {
    const a = clientFor(keys.agency);
    const message = { messageId: uuidV7(), recipients: [NOI_VU], metadata: { ...metadata, subject: 'Trả lời bị mất' }, files: [{ bytes: sealOnlyPdf, name: 'tra-loi-mat.pdf', role: 'main' as const }] };
    await sendMessage(a, serverKey, message);
    const target = new URL(url);
    let statuses = 0;
    // The 01 passes; every later status (the 03 and its retries) meets a 503: the pull stops with the document stored.
    const proxy = await startFaultProxy(
      { host: target.hostname, port: Number(target.port) },
      { schedule: (r) => (r.path.endsWith('/status') && statuses++ > 0 ? { kind: 'status', status: 503 } : { kind: 'pass' }) },
    );
    const bStore = tempStore();
    try {
      await expect(pullInbox(clientFor(keys.spare, proxy.url), bStore, { trust, online: true, autoReply: 'accepted' })).rejects.toSatisfy((e: unknown) => isVanthuError(e));
    } finally {
      await proxy.close();
    }
    const documentId = bStore.db.prepare<[], number>("SELECT id FROM documents WHERE direction = 'incoming'").pluck().get()!;
    expect(getDocument(bStore.db, documentId).state).toBe('registered');
    const again = await pullInbox(clientFor(keys.spare), bStore, { trust, online: true, autoReply: 'accepted' });
    expect(again.stored).toEqual([]);
    expect(getDocument(bStore.db, documentId).state).toBe('accepted');
    const sent = (await clientFor(keys.agency).statusFeed(0)).events.filter((e) => e.messageId === message.messageId).map((e) => e.code);
    expect(sent).toEqual(['01', '03']);
  });

  it('never acks into the store a file whose bytes were changed on the way', async () => {
    const a = clientFor(keys.agency);
    const message = { messageId: uuidV7(), recipients: [NOI_VU], metadata: { ...metadata, subject: 'Bị sửa trên đường truyền' }, files: [{ bytes: sealOnlyPdf, name: 'phu-luc.pdf', role: 'main' as const }] };
    await sendMessage(a, serverKey, message);
    // A byte of the file flipped between server and client (a broken cache, a lying disk, someone in the middle).
    const target = new URL(url);
    const proxy = await startFaultProxy(
      { host: target.hostname, port: Number(target.port) },
      { schedule: (r) => (r.method === 'GET' && r.path.startsWith('/v1/blobs/') ? { kind: 'corrupt-response' } : { kind: 'pass' }) },
    );
    const bStore = tempStore();
    try {
      const pulled = await pullInbox(clientFor(keys.spare, proxy.url), bStore, { trust, online: true, autoReply: 'accepted' });
      expect(pulled.stored).toEqual([]);
      expect(pulled.deferred.map((d) => [d.messageId, d.reason.split(':')[0]])).toEqual([[message.messageId, 'EXCHANGE_DOWNLOAD_MISMATCH']]);
      // Asked twice (bytes changed on the way usually arrive whole the second time), then left on the server.
      expect(proxy.counts()['corrupt-response']).toBe(2);
    } finally {
      await proxy.close();
    }
    expect(bStore.db.prepare('SELECT count(*) FROM documents').pluck().get()).toBe(0);
    // Not acked: it is delivered again, and taken in once the bytes arrive whole.
    const healed = await pullInbox(clientFor(keys.spare), bStore, { trust, online: true, autoReply: 'arrived' });
    expect(healed.stored.map((s) => s.messageId)).toEqual([message.messageId]);
  });

  it('holds (01 only, flagged "cần kiểm tra lại") a document whose root it lacks; re-checks with backoff, never returns it; accepts it once the root is trusted', async () => {
    const a = clientFor(keys.agency);
    const aStore = tempStore();
    const message = { messageId: uuidV7(), recipients: [NOI_VU], metadata: { ...metadata, subject: 'Chưa tin được' }, files: [{ bytes: goodPdf, name: 'cong-van.pdf', role: 'main' as const }] };
    await sendMessage(a, serverKey, message, aStore.db);
    await pollStatusFeed(a, aStore.db);
    const b = clientFor(keys.spare);
    const bStore = tempStore();
    const nobody = await trustStoreFrom({ pemOrDerFiles: [] });
    let clock = Date.UTC(2026, 11, 7, 2);
    const pulled = await pullInbox(b, bStore, { trust: nobody, online: true, autoReply: 'accepted', now: () => clock });
    expect(pulled.rejected).toEqual([]);
    expect(pulled.held.map((h) => h.messageId)).toEqual([message.messageId]);
    expect(pulled.held[0]!.reason).toMatch(/cong-van\.pdf: indeterminate \(.*CHAIN_UNTRUSTED/);
    const documentId = pulled.stored[0]!.documentId;
    expect(pulled.held[0]!.documentId).toBe(documentId);
    expect(getDocument(bStore.db, documentId).state).toBe('registered');
    expect(getDocument(bStore.db, documentId).arrivalNumber).toBe(1);
    const flag = heldDocument(bStore.db, documentId)!;
    expect(flag).toMatchObject({ messageId: message.messageId, outcome: 'indeterminate', attempts: 0, nextCheckAt: clock + recheckDelay(0) });
    // Acked (it is stored), answered 01 and nothing more.
    expect((await b.inbox(0)).items).toEqual([]);
    expect((await pollStatusFeed(a, aStore.db)).filter((e) => e.messageId === message.messageId).map((e) => e.code)).toEqual(['01']);

    // The next pull before the check is due leaves it alone; after, still no root: still held, checked later and later.
    expect((await pullInbox(b, bStore, { trust: nobody, online: true, autoReply: 'accepted', now: () => clock })).rechecked).toEqual({ cleared: [], stillHeld: [], markedInvalid: [], failed: [] });
    clock += recheckDelay(0);
    const again = await pullInbox(b, bStore, { trust: nobody, online: true, autoReply: 'accepted', now: () => clock });
    expect(again.rechecked?.stillHeld.map((h) => [h.documentId, h.nextCheckAt])).toEqual([[documentId, clock + recheckDelay(1)]]);
    expect(heldDocument(bStore.db, documentId)).toMatchObject({ attempts: 1, outcome: 'indeterminate' });
    expect(recheckDelay(1)).toBe(2 * recheckDelay(0));
    expect(recheckDelay(50)).toBe(RECHECK_MAX_MS);

    // The trust list changed: checked at once (not due yet), valid now: flag cleared, 03 sent, accepted.
    const rechecked = await recheckHeld(bStore, { trust, online: true, client: b, autoReply: 'accepted', trigger: 'trust-changed', now: () => clock });
    expect(rechecked).toEqual({ cleared: [{ documentId, messageId: message.messageId, accepted: true }], stillHeld: [], markedInvalid: [], failed: [] });
    expect(heldDocument(bStore.db, documentId)).toBeUndefined();
    expect(getDocument(bStore.db, documentId).state).toBe('accepted');
    const events = await pollStatusFeed(a, aStore.db);
    expect(events.filter((e) => e.messageId === message.messageId).map((e) => e.code)).toEqual(['03']);
  });

  it('lets the user reject a stored document with a reason (02); the sender sees it', async () => {
    const a = clientFor(keys.agency);
    const aStore = tempStore();
    await pollStatusFeed(a, aStore.db);
    const message = { messageId: uuidV7(), recipients: [NOI_VU], metadata: { ...metadata, subject: 'Gửi nhầm nơi' }, files: [{ bytes: goodPdf, name: 'cong-van.pdf', role: 'main' as const }] };
    await sendMessage(a, serverKey, message, aStore.db);
    const b = clientFor(keys.spare);
    const bStore = tempStore();
    const pulled = await pullInbox(b, bStore, { trust, online: true, autoReply: 'none' });
    const documentId = pulled.stored.find((s) => s.messageId === message.messageId)!.documentId;
    expect(getDocument(bStore.db, documentId).state).toBe('registered');
    await replyToSender(b, bStore, documentId, { code: '02', reason: 'Gửi nhầm cơ quan' });
    expect(getDocument(bStore.db, documentId).state).toBe('rejected');
    const mine = (await pollStatusFeed(a, aStore.db)).filter((e) => e.messageId === message.messageId);
    expect(mine.map((e) => [e.code, e.reason])).toEqual([['01', null], ['02', 'Gửi nhầm cơ quan']]);
  });

  it('a document recalled before the recipient pulled it is stored, the recall agreed (15), and both acked', async () => {
    const a = clientFor(keys.agency);
    const original = { messageId: uuidV7(), recipients: [NOI_VU], metadata: { ...metadata, subject: 'Thu hồi trước khi nhận' }, files: [{ bytes: goodPdf, name: 'cong-van.pdf', role: 'main' as const }] };
    await sendMessage(a, serverKey, original);
    const recall = await sendMessage(a, serverKey, { messageId: uuidV7(), recipients: [NOI_VU], metadata: { ...metadata, subject: 'Thu hồi' }, files: [], type: 'recall', inReplyTo: original.messageId });
    expect(recall.receipt.receipt.files).toEqual([]);

    const b = clientFor(keys.spare);
    const bStore = tempStore();
    const pulled = await pullInbox(b, bStore, { trust, online: true, autoReply: 'accepted' });
    // The 01/03 confirmation came too late (the delivery is at 13): moot, the document is not claimed accepted, and our copy is marked recalled.
    const stored = pulled.stored.find((s) => s.messageId === original.messageId)!;
    expect(getDocument(bStore.db, stored.documentId).state).toBe('recalled');
    expect(pulled.recalled).toEqual([{ messageId: recall.receipt.receipt.messageId, original: original.messageId, documentId: stored.documentId, state: 'recalled' }]);
    expect(pulled.deferred).toEqual([]);
    expect((await b.inbox(0)).items).toEqual([]);
    const delivery = await server.database.db.selectFrom('deliveries').select('status').where('message_id', '=', original.messageId).executeTakeFirstOrThrow();
    expect(delivery.status).toBe('15');
  });
  it('fetches a page\'s documents ahead while storing them in order: downloads overlap, arrival numbers follow the inbox, a broken one waits alone', async () => {
    const a = clientFor(keys.agency);
    const sent: string[] = [];
    const pdfs = await Promise.all(Array.from({ length: 6 }, (_, i) => signPdf(fixture('classic-xref.pdf'), keys.agency, { reason: `Lấy trước ${i + 1}` })));
    for (const [i, pdf] of pdfs.entries()) {
      const message = { messageId: uuidV7(), recipients: [NOI_VU], metadata: { ...metadata, codeNumber: String(40 + i), subject: `Lấy trước số ${i + 1}` }, files: [{ bytes: pdf.bytes, name: `so-${i + 1}.pdf`, role: 'main' as const }] };
      await sendMessage(a, serverKey, message);
      sent.push(message.messageId);
    }
    const broken = sha256(pdfs[2]!.bytes);
    const bStore = tempStore();
    const { pulled, mostAtOnce } = await pullWatched(
      bStore,
      (r) => (r.method === 'GET' && r.path === `/v1/blobs/${broken}` ? { kind: 'corrupt-response' } : { kind: 'pass' }),
      (address, method) => method === 'GET' && address.includes('/v1/blobs/'),
    );
    expect(mostAtOnce).toBeGreaterThan(1);
    const expected = sent.filter((_, i) => i !== 2);
    expect(pulled.stored.map((s) => s.messageId)).toEqual(expected);
    const arrivals = pulled.stored.map((s) => s.arrivalNumber);
    expect(arrivals).toEqual([...arrivals].sort((x, y) => x - y));
    expect(pulled.deferred.map((d) => [d.messageId, d.reason.split(':')[0]])).toEqual([[sent[2], 'EXCHANGE_DOWNLOAD_MISMATCH']]);
    // The broken one was not acked: delivered again, it is taken in once its bytes arrive whole.
    const healed = await pullInbox(clientFor(keys.spare), bStore, { trust, online: true, autoReply: 'arrived' });
    expect(healed.stored.map((s) => s.messageId)).toEqual([sent[2]]);
  });

  it('stores the next documents while earlier ones\' 01 is on its way, and acks each only once answered', async () => {
    const a = clientFor(keys.agency);
    const sent: string[] = [];
    for (let i = 0; i < 6; i++) {
      const pdf = await signPdf(fixture('classic-xref.pdf'), keys.agency, { reason: `Trả lời song song ${i + 1}` });
      const message = { messageId: uuidV7(), recipients: [NOI_VU], metadata: { ...metadata, codeNumber: String(60 + i), subject: `Trả lời song song số ${i + 1}` }, files: [{ bytes: pdf.bytes, name: `so-${i + 1}.pdf`, role: 'main' as const }] };
      await sendMessage(a, serverKey, message);
      sent.push(message.messageId);
    }
    // Every 01 takes a while to be answered; the fourth's is refused (its own problem, not the network's).
    const bStore = tempStore();
    const { pulled, mostAtOnce } = await pullWatched(
      bStore,
      (r) => (r.method !== 'POST' || !r.path.endsWith('/status') ? { kind: 'pass' } : r.path.includes(sent[3]!) ? { kind: 'status', status: 400 } : { kind: 'delay', ms: 150 }),
      (address, method) => method === 'POST' && address.endsWith('/status'),
    );
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(mostAtOnce).toBeLessThanOrEqual(REPLIES_IN_FLIGHT);
    // In the inbox's order, arrival numbers too; the refused one stored but neither answered nor acked.
    const answered = sent.filter((_, i) => i !== 3);
    expect(pulled.stored.map((s) => s.messageId)).toEqual(answered);
    const arrivals = pulled.stored.map((s) => s.arrivalNumber);
    expect(arrivals).toEqual([...arrivals].sort((x, y) => x - y));
    expect(pulled.deferred.map((d) => [d.messageId, d.reason.split(':')[0]])).toEqual([[sent[3], 'EXCHANGE_REFUSED']]);
    expect((await clientFor(keys.spare).inbox(0)).items.map((item) => item.messageId)).toEqual([sent[3]]);
    // Delivered again, it is found stored, answered and acked.
    const healed = await pullInbox(clientFor(keys.spare), bStore, { trust, online: true, autoReply: 'arrived' });
    expect(healed.stored).toEqual([]);
    expect((await clientFor(keys.spare).inbox(0)).items).toEqual([]);
    const statuses = await server.database.db.selectFrom('deliveries').select(['message_id', 'status']).where('message_id', 'in', sent).execute();
    expect(statuses.map((d) => d.status)).toEqual(sent.map(() => '01'));
  });
});
