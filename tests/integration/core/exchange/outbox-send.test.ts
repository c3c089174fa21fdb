// Sending through the outbox: a queued document goes upload -> submit in its lane, waits for a login, retries a dead network, ends sent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExchangeClient, enqueueSend, exchangeHooks, findMessage, pollStatusFeed, pullInbox, type LoginKey, type ServerKey } from '../../../../src/core/exchange/index.js';
import { createOutboxWorker, getJob, resumeWaiting, TokenKeySource } from '../../../../src/core/outbox/index.js';
import { signPdf } from '../../../../src/core/signing/index.js';
import { getDocument, open, type Store } from '../../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom } from '../../../../src/core/trust/index.js';
import { fixture } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { logoutAll } from '../../../kit/signing-key.js';
import { NOI_VU, ORIGIN, sha256, startTestServer, type Keys, type TestServer, testKeys } from '../../server/kit.js';
import { startFaultProxy } from '../../../kit/fault-proxy.js';
import { issuedDocument } from './issued-document.js';
import { sealedPdf } from './payloads.js';

const pki = usePki();
let keys: Keys;
let goodPdf: Uint8Array;
let server: TestServer;
let url: string;
let serverKey: ServerKey;
const dirs: string[] = [];
const stores: Store[] = [];

const tempStore = (): Store => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-exchange-outbox-'));
  dirs.push(dir);
  const store = open(dir);
  stores.push(store);
  return store;
};

beforeAll(async () => {
  keys = await testKeys(pki);
  const byLeader = await signPdf(fixture('classic-xref.pdf'), keys.leader, { reason: 'Phê duyệt' });
  goodPdf = (await signPdf(byLeader.bytes, keys.agency, {})).bytes;
  server = await startTestServer(pki, keys, 'sqlite');
  url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  serverKey = await new ExchangeClient({ serverUrl: url, origin: ORIGIN, loginKey: () => undefined }).serverKey();
});

afterAll(async () => {
  for (const store of stores) store.close();
  await server?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await logoutAll();
  await finalizeAllModules();
});


/** Every request the exchange client makes from now on, as "METHOD /path" with hashes and ids as :id, until restore(). */
function watchRequests(): { seen: string[]; restore: () => void } {
  const seen: string[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
    seen.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname.replace(/[0-9a-f]{64}|[0-9a-f-]{36}/g, ':id')}`);
    return realFetch(input, init);
  }) as typeof fetch;
  return { seen, restore: () => void (globalThis.fetch = realFetch) };
}
describe('outbox upload and submit jobs', () => {
  it('waits for a login, then uploads and submits; a dead network is retried; the recipient gets each document once', async () => {
    const target = new URL(url);
    const proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) });
    // The PIN session the app would hold: empty until the user unlocks the token.
    const session: { key?: LoginKey } = {};
    // A short cool-down, so the circuit that opens while the network is gone lets a probe through within the test.
    const client = new ExchangeClient({ serverUrl: proxy.url, origin: ORIGIN, loginKey: () => session.key, circuit: { openMs: 100, maxOpenMs: 200 } });
    const store = tempStore();
    const worker = createOutboxWorker(store, {
      keys: new TokenKeySource(),
      hooks: exchangeHooks({ client, serverKey: async () => serverKey }),
      backoff: { baseMs: 20, maxMs: 100 },
      random: () => 1,
      pollMs: 20,
    });

    const first = issuedDocument(store, 'Gửi qua hàng đợi', goodPdf);
    const queued = enqueueSend(store, first);
    expect(getDocument(store.db, first).state).toBe('queued');
    expect(findMessage(store.db, queued.messageId)?.documentId).toBe(first);

    // No PIN session: the upload waits visibly for a login; the submit behind it in the lane does not run.
    await worker.drain();
    expect(getJob(store.db, queued.jobs[0].id)).toMatchObject({ state: 'waiting', waitingFor: 'login', attempts: 0 });
    expect(getJob(store.db, queued.jobs[1].id)?.state).toBe('pending');

    session.key = keys.agency;
    resumeWaiting(store.db, { waitingFor: 'login' });
    await worker.drain({ maxWaitMs: 5_000 });
    expect(getJob(store.db, queued.jobs[0].id)?.state).toBe('done');
    expect(getJob(store.db, queued.jobs[1].id)?.state).toBe('done');
    const sent = getDocument(store.db, first);
    expect(sent.state).toBe('sent');
    expect(JSON.parse(sent.receipt!)).toMatchObject({ receipt: { messageId: queued.messageId, recipients: [NOI_VU] } });
    expect(findMessage(store.db, queued.messageId)?.receipt?.receipt.messageId).toBe(queued.messageId);

    // The network goes away: the job is retried (not failed), and goes through once it is back.
    const second = issuedDocument(store, 'Gửi khi mạng chập chờn', await sealedPdf(keys.agency, 'mang chap chon', 30_000));
    const again = enqueueSend(store, second);
    proxy.setDown(true);
    await worker.drain();
    const retrying = getJob(store.db, again.jobs[0].id);
    expect(retrying?.state).toBe('pending');
    // Unreachable, or already offline: the circuit opened after repeated failures (then the attempt is given back).
    expect(retrying?.lastError?.code).toMatch(/^EXCHANGE_(UNREACHABLE|OFFLINE)$/);
    expect(retrying?.attempts).toBeLessThanOrEqual(1);
    proxy.setDown(false);
    try {
      await worker.drain({ maxWaitMs: 5_000 });
    } finally {
      await proxy.close();
    }
    expect(getDocument(store.db, second).state).toBe('sent');

    const recipient = tempStore();
    const b = new ExchangeClient({ serverUrl: url, origin: ORIGIN, loginKey: () => keys.spare });
    const pulled = await pullInbox(b, recipient, { trust: await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] }), online: true, autoReply: 'arrived' });
    expect(pulled.stored.map((s) => s.messageId).sort()).toEqual([queued.messageId, again.messageId].sort());

    // The sender's status feed moves each sent document's recipient to 01; a second poll changes nothing.
    const direct = new ExchangeClient({ serverUrl: url, origin: ORIGIN, loginKey: () => keys.agency });
    const events = await pollStatusFeed(direct, store.db);
    expect(events.map((e) => e.code)).toEqual(['01', '01']);
    for (const id of [first, second]) expect(getDocument(store.db, id).recipients[0]).toMatchObject({ organId: NOI_VU, status: '01' });
    expect(await pollStatusFeed(direct, store.db)).toEqual([]);
  });

  it('a submit whose answer is lost after the server committed is retried under the same key: one message, one receipt', async () => {
    const target = new URL(url);
    let dropped = 0;
    const proxy = await startFaultProxy(
      { host: target.hostname, port: Number(target.port) },
      { schedule: (r) => (r.method === 'POST' && r.path === '/v1/messages' && dropped++ === 0 ? { kind: 'drop-response' } : { kind: 'pass' }) },
    );
    const client = new ExchangeClient({ serverUrl: proxy.url, origin: ORIGIN, loginKey: () => keys.agency });
    const store = tempStore();
    const worker = createOutboxWorker(store, { keys: new TokenKeySource(), hooks: exchangeHooks({ client, serverKey: async () => serverKey }), backoff: { baseMs: 20, maxMs: 100 }, random: () => 1, pollMs: 20 });
    const id = issuedDocument(store, 'Mất phản hồi sau khi máy chủ đã nhận', await sealedPdf(keys.agency, 'mat phan hoi', 30_000));
    const queued = enqueueSend(store, id);
    try {
      await worker.drain({ maxWaitMs: 5_000 });
    } finally {
      await proxy.close();
    }
    expect(proxy.counts()['drop-response']).toBe(1);
    expect(getJob(store.db, queued.jobs[1].id)).toMatchObject({ state: 'done', attempts: 2 });
    const document = getDocument(store.db, id);
    expect(document.state).toBe('sent');
    expect(JSON.parse(document.receipt!)).toMatchObject({ receipt: { messageId: queued.messageId } });
    const deliveries = await server.database.db.selectFrom('deliveries').select('recipient').where('message_id', '=', queued.messageId).execute();
    expect(deliveries).toEqual([{ recipient: NOI_VU }]);
  });

  it('queuing the same files for the same recipients again is refused (EXCHANGE_ALREADY_SENT) unless a new sending is asked for', async () => {
    const client = new ExchangeClient({ serverUrl: url, origin: ORIGIN, loginKey: () => keys.agency });
    const store = tempStore();
    const worker = createOutboxWorker(store, { keys: new TokenKeySource(), hooks: exchangeHooks({ client, serverKey: async () => serverKey }), backoff: { baseMs: 20, maxMs: 100 }, pollMs: 20 });
    const pdf = await sealedPdf(keys.agency, 'gui lai', 30_000);
    const first = issuedDocument(store, 'Gửi một lần', pdf);
    const queued = enqueueSend(store, first);
    await worker.drain({ maxWaitMs: 5_000 });
    expect(getDocument(store.db, first).state).toBe('sent');

    // The same files to the same recipients from another entry of the store: the derived id is the one already sent.
    const copy = issuedDocument(store, 'Gửi một lần', pdf);
    expect(() => enqueueSend(store, copy)).toThrow(expect.objectContaining({ code: 'EXCHANGE_ALREADY_SENT', params: { id: copy, messageId: queued.messageId } }) as unknown as Error);
    expect(getDocument(store.db, copy).state).toBe('issued');
    const resent = enqueueSend(store, copy, { again: true });
    expect(resent.messageId).not.toBe(queued.messageId);
    await worker.drain({ maxWaitMs: 5_000 });
    expect(getDocument(store.db, copy).state).toBe('sent');
    const messages = await server.database.db.selectFrom('message_files').select('message_id').where('sha256', '=', sha256(pdf)).execute();
    expect(messages.map((m) => m.message_id).sort()).toEqual([queued.messageId, resent.messageId].sort());
  });
  it('submits with the store\'s hashes (no second look at the server); a file the server lost since the upload goes up again and the send ends sent', async () => {
    const client = new ExchangeClient({ serverUrl: url, origin: ORIGIN, loginKey: () => keys.agency });
    const store = tempStore();
    const options = { keys: new TokenKeySource(), hooks: exchangeHooks({ client, serverKey: async () => serverKey }), backoff: { baseMs: 20, maxMs: 100 }, random: () => 1, pollMs: 20 };
    const pdf = await sealedPdf(keys.agency, 'mat tep tren may chu', 40_000);
    const id = issuedDocument(store, 'Máy chủ mất tệp giữa hai bước', pdf);
    const queued = enqueueSend(store, id);
    await createOutboxWorker(store, { ...options, kinds: ['upload'] }).drain({ maxWaitMs: 5_000 });
    expect(getJob(store.db, queued.jobs[0].id)?.state).toBe('done');
    // What a power cut can take from the server's relaxed upload commits: the sender's grant to the blob.
    const lost = await server.database.db.deleteFrom('blob_grants').where('sha256', '=', sha256(pdf)).executeTakeFirst();
    expect(Number(lost.numDeletedRows)).toBe(1);

    const { seen, restore } = watchRequests();
    try {
      await createOutboxWorker(store, options).drain({ maxWaitMs: 5_000 });
    } finally {
      restore();
    }
    expect(getDocument(store.db, id).state).toBe('sent');
    // Submitted at once with the stored hashes; refused for the missing file; uploaded again (one PUT: the server said it lacks it); submitted again.
    expect(seen.filter((call) => !call.includes('/auth/'))).toEqual(['POST /v1/messages', 'PUT /v1/blobs/:id', 'POST /v1/messages']);
    const grants = await server.database.db.selectFrom('blob_grants').select('sha256').where('sha256', '=', sha256(pdf)).execute();
    expect(grants).toHaveLength(1);
  });

  it('uploads a small file in one PUT on the first run and asks the server first on a rerun; a file bigger than a chunk goes up resumably', async () => {
    const client = new ExchangeClient({ serverUrl: url, origin: ORIGIN, loginKey: () => keys.agency, chunkBytes: 64 * 1024 });
    const store = tempStore();
    const options = { keys: new TokenKeySource(), hooks: exchangeHooks({ client, serverKey: async () => serverKey }), backoff: { baseMs: 20, maxMs: 100 }, random: () => 1, pollMs: 20 };
    const small = issuedDocument(store, 'Tệp nhỏ một lần gửi', await sealedPdf(keys.agency, 'tep nho', 30_000));
    const big = issuedDocument(store, 'Tệp lớn gửi từng phần', await sealedPdf(keys.agency, 'tep lon', 150_000));
    const { seen, restore } = watchRequests();
    const calls = (): string[] => seen.splice(0).filter((call) => !call.includes('/auth/') && !call.includes('/messages'));
    try {
      const first = enqueueSend(store, small);
      await createOutboxWorker(store, { ...options, kinds: ['upload'] }).drain({ maxWaitMs: 5_000 });
      expect(getJob(store.db, first.jobs[0].id)?.state).toBe('done');
      expect(calls()).toEqual(['PUT /v1/blobs/:id']);
      // The same upload run again (its first run's end lost in a power cut): the server is asked, nothing is sent twice.
      store.db.prepare("UPDATE outbox_jobs SET state = 'pending', finished_at = NULL WHERE id = ?").run(first.jobs[0].id);
      await createOutboxWorker(store, { ...options, kinds: ['upload'] }).drain({ maxWaitMs: 5_000 });
      expect(calls()).toEqual(['HEAD /v1/blobs/:id']);
      enqueueSend(store, big);
      await createOutboxWorker(store, { ...options, kinds: ['upload'] }).drain({ maxWaitMs: 5_000 });
      expect(calls()).toEqual(['HEAD /v1/blobs/:id', 'POST /v1/uploads', 'PATCH /v1/uploads/:id', 'PATCH /v1/uploads/:id', 'PATCH /v1/uploads/:id']);
    } finally {
      restore();
    }
    await createOutboxWorker(store, options).drain({ maxWaitMs: 5_000 });
    expect(getDocument(store.db, small).state).toBe('sent');
    expect(getDocument(store.db, big).state).toBe('sent');
  });
});
