// Revocation not reachable is not invalid: the server holds such a submission (202 pending), re-checks it in the background with backoff, and delivers it once valid (SQLite and PostgreSQL).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ExchangeClient, enqueueSend, exchangeHooks, pullInbox, sendMessage, type ServerKey } from '../../../src/core/exchange/index.js';
import { classifyFailure, createOutboxWorker, getJob, offlineDelayMs, TokenKeySource, wakeUp } from '../../../src/core/outbox/index.js';
import { getDocument, open } from '../../../src/core/store/index.js';
import { trustStoreFrom } from '../../../src/core/trust/index.js';
import { issuedDocument } from '../core/exchange/issued-document.js';
import { sealedPdf } from '../core/exchange/payloads.js';
import { signPdf } from '../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { receiptVerifies } from '../../../src/server/index.js';
import { isVanthuError } from '../../../src/shared/errors.js';
import { fixture } from '../../kit/pdf-tools.js';
import { usePki } from '../../kit/pki.js';
import { logoutAll } from '../../kit/signing-key.js';
import { bearer, DIALECTS, envelope, expectRefusal, login, NOI_VU, ORIGIN, startTestServer, submit, testKeys, upload, type Keys, type TestServer } from './kit.js';

const pki = usePki();
let keys: Keys;
let sealed: Uint8Array[];

beforeAll(async () => {
  keys = await testKeys(pki);
  sealed = [];
  for (const name of ['classic-xref.pdf', 'xref-stream.pdf', 'object-streams.pdf']) sealed.push((await signPdf(fixture(name), keys.agency, {})).bytes);
});

afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(DIALECTS)('pending submissions on %s', (dialect) => {
  let server: TestServer;
  /** The server's revocation setting, held here: offline stands for a responder that does not answer. */
  const revocation = { online: false, requireKnown: false, timeoutMs: 5000 };
  let address: string | undefined;
  const listening = async (): Promise<string> => (address ??= await server.app.listen({ port: 0, host: '127.0.0.1' }));

  beforeAll(async () => {
    server = await startTestServer(pki, keys, dialect, { revocation, pendingCheckMs: 100 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('with the responder down for the whole send nothing is refused: every submission is held (202), then accepted and delivered once it is back', async () => {
    const token = await login(server.app, keys.agency);
    const recipient = await login(server.app, keys.spare);
    const ids: string[] = [];
    for (const bytes of sealed) {
      const hash = await upload(server.app, token, bytes);
      const id = randomUUID();
      const held = await submit(server.app, token, envelope([{ sha256: hash }]), id);
      expect(held.statusCode, held.body).toBe(202);
      expect(held.json()).toMatchObject({ state: 'pending', messageId: id, retryAfterSeconds: 30, reasons: expect.arrayContaining([expect.objectContaining({ code: 'REVOCATION_UNKNOWN' })]) as unknown });
      // The idempotent replay answers the same.
      const again = await submit(server.app, token, envelope([{ sha256: hash }]), id);
      expect(again.statusCode).toBe(202);
      expect(again.json()).toMatchObject({ state: 'pending', messageId: id });
      ids.push(id);
    }
    // Invalid is still refused at once, responder or not.
    const appended = Buffer.concat([sealed[0]!, Buffer.from('\n% changed after signing\n')]);
    expectRefusal(await submit(server.app, token, envelope([{ sha256: await upload(server.app, token, appended) }])), 422, 'SERVER_SUBMISSION_INVALID');

    const state = async (id: string): Promise<string> => (await server.app.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: bearer(token) })).json<{ state: string }>().state;
    expect(await Promise.all(ids.map(state))).toEqual(['pending', 'pending', 'pending']);
    // Only its sender sees a held submission; nothing is delivered meanwhile.
    expect((await server.app.inject({ method: 'GET', url: `/v1/messages/${ids[0]}`, headers: bearer(recipient) })).statusCode).toBe(404);
    expect((await server.app.inject({ method: 'GET', url: '/v1/inbox', headers: bearer(recipient) })).json<{ items: unknown[] }>().items).toEqual([]);

    // Due while the responder is still down: checked again, still pending, the next check later.
    server.clock.advance(31);
    await until('a re-check while down', async () => {
      const rows = await server.database.db.selectFrom('pending_submissions').select('attempts').execute();
      return rows.length === 3 && rows.every((r) => r.attempts >= 1);
    });
    expect(await Promise.all(ids.map(state))).toEqual(['pending', 'pending', 'pending']);

    // The responder is back: the next due re-check accepts and delivers every one.
    revocation.online = true;
    server.clock.advance(61);
    await until('all accepted', async () => (await Promise.all(ids.map(state))).every((s) => s === 'accepted'));
    const inbox = (await server.app.inject({ method: 'GET', url: '/v1/inbox', headers: bearer(recipient) })).json<{ items: { messageId: string }[] }>().items;
    expect(inbox.map((i) => i.messageId).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const message = (await server.app.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: bearer(token) })).json<{ receipt: Parameters<typeof receiptVerifies>[1] }>();
      expect(receiptVerifies(server.receiptKey, message.receipt)).toBe(true);
      expect(message.receipt.receipt.messageId).toBe(id);
    }
    expect(await server.database.db.selectFrom('pending_submissions').selectAll().execute()).toEqual([]);
    const audit = await server.database.db.selectFrom('audit_log').select('message_id').where('kind', '=', 'submit').where('message_id', 'in', ids).execute();
    expect(audit).toHaveLength(3);
  });

  it("re-checks on the deployment's backoff: the 202 says when, each re-check still unanswered doubles the wait, up to its cap", async () => {
    const own = await startTestServer(pki, keys, dialect, { revocation: { online: false, requireKnown: false }, pendingCheckMs: 50, pendingRecheck: { baseMs: 2_000, maxMs: 5_000 } });
    try {
      const token = await login(own.app, keys.agency);
      const held = await submit(own.app, token, envelope([{ sha256: await upload(own.app, token, sealed[0]!) }]));
      expect(held.json()).toMatchObject({ state: 'pending', retryAfterSeconds: 2 });
      const row = async () => (await own.database.db.selectFrom('pending_submissions').select(['attempts', 'next_check_at', 'checked_at', 'created_at']).executeTakeFirstOrThrow());
      const wait = (r: Awaited<ReturnType<typeof row>>): number => Date.parse(r.next_check_at!) - Date.parse(r.checked_at ?? r.created_at);
      expect(wait(await row())).toBe(2_000);
      for (const [attempts, expected] of [[1, 4_000], [2, 5_000], [3, 5_000]] as const) {
        own.clock.advance(6);
        await until(`re-check ${attempts}`, async () => (await row()).attempts >= attempts);
        expect(wait(await row())).toBe(expected);
      }
      expect((await row()).attempts).toBe(3);
    } finally {
      await own.close();
    }
  });

  it('the client turns the 202 into "đang chờ kiểm tra" the outbox sleeps on without spending an attempt, and gets the receipt once accepted', async () => {
    revocation.online = false;
    const url = await listening();
    const client = new ExchangeClient({ serverUrl: url, origin: ORIGIN, loginKey: () => keys.agency });
    const serverKey: ServerKey = await client.serverKey();
    const bytes = (await signPdf(fixture('classic-xref.pdf'), keys.agency, { reason: 'Gửi khi OCSP không trả lời' })).bytes;
    const message = { messageId: randomUUID(), recipients: [NOI_VU], metadata: { subject: 'Gửi khi OCSP không trả lời' }, files: [{ bytes, name: 'cong-van.pdf', role: 'main' as const }] };
    const error = await sendMessage(client, serverKey, message).catch((e: unknown) => e);
    expect(isVanthuError(error, 'EXCHANGE_PENDING_CHECK')).toBe(true);
    expect(isVanthuError(error) && error.messageVi).toMatch(/đang chờ kiểm tra/);
    expect(classifyFailure(error)).toBe('offline');
    expect(offlineDelayMs(error)).toBe(30_000);

    revocation.online = true;
    server.clock.advance(31);
    await until('accepted', async () => (await server.database.db.selectFrom('messages').select('id').where('id', '=', message.messageId).execute()).length === 1);
    const sent = await sendMessage(client, serverKey, message);
    expect(sent.receipt.receipt.messageId).toBe(message.messageId);
  });

  it('through the outbox: the submit jobs wait on "đang chờ kiểm tra" (no attempt spent), then every document is sent once and the recipient stores each once, none returned', async () => {
    revocation.online = false;
    const url = await listening();
    const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-pending-'));
    const store = open(path.join(dir, 'a'));
    const recipientStore = open(path.join(dir, 'b'));
    try {
      const client = new ExchangeClient({ serverUrl: url, origin: ORIGIN, loginKey: () => keys.agency });
      const serverKey = await client.serverKey();
      const worker = createOutboxWorker(store, { keys: new TokenKeySource(), hooks: exchangeHooks({ client, serverKey: async () => serverKey }), backoff: { baseMs: 20, maxMs: 100 }, pollMs: 20 });
      const documents = [issuedDocument(store, 'Chờ kiểm tra 1', await sealedPdf(keys.agency, `cho kiem tra 1 ${dialect}`, 25_000)), issuedDocument(store, 'Chờ kiểm tra 2', await sealedPdf(keys.agency, `cho kiem tra 2 ${dialect}`, 25_000))];
      const queued = documents.map((id) => enqueueSend(store, id));
      await worker.drain({ maxWaitMs: 5_000 });
      for (const q of queued) {
        const job = getJob(store.db, q.jobs[1].id)!;
        expect(job).toMatchObject({ state: 'pending', attempts: 0, lastError: { code: 'EXCHANGE_PENDING_CHECK' } });
        expect(job.lastError?.messageVi).toMatch(/đang chờ kiểm tra/);
      }

      revocation.online = true;
      server.clock.advance(31);
      await until('accepted on the server', async () => (await server.database.db.selectFrom('messages').select('id').where('id', 'in', queued.map((q) => q.messageId)).execute()).length === 2);
      // The jobs would ask again at their own time; the test makes them due now.
      wakeUp(store.db, { kinds: ['submit'] });
      await worker.drain({ maxWaitMs: 5_000 });
      await worker.stop({ graceMs: 1_000 });
      for (const id of documents) expect(getDocument(store.db, id).state).toBe('sent');

      const b = new ExchangeClient({ serverUrl: url, origin: ORIGIN, loginKey: () => keys.spare });
      const pulled = await pullInbox(b, recipientStore, { trust: await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] }), online: true, autoReply: 'arrived' });
      expect(pulled.rejected).toEqual([]);
      expect(pulled.held).toEqual([]);
      expect(pulled.stored.map((d) => d.messageId).filter((m) => queued.some((q) => q.messageId === m)).sort()).toEqual(queued.map((q) => q.messageId).sort());
    } finally {
      store.close();
      recipientStore.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
