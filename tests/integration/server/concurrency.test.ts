// Several server processes on one database: racing copies of one submission get one receipt, the audit chain stays whole; rate limits answer 429.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf } from '../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom } from '../../../src/core/trust/index.js';
import { buildServer, openServerDatabase, verifyAuditLog, type ServerDatabase } from '../../../src/server/index.js';
import type { SignedReceipt } from '../../../src/shared/exchange-protocol.js';
import { fixture } from '../../kit/pdf-tools.js';
import { usePki } from '../../kit/pki.js';
import { logoutAll } from '../../kit/signing-key.js';
import { DIALECTS, ORIGIN, bearer, envelope, expectRefusal, login, startTestServer, submit, upload, type Keys, type TestServer, testKeys } from './kit.js';

const pki = usePki();
let keys: Keys;
let sealed: Uint8Array[];

beforeAll(async () => {
  keys = await testKeys(pki);
  sealed = [];
  for (const name of ['classic-xref.pdf', 'xref-stream.pdf', 'object-streams.pdf', 'with-form.pdf']) sealed.push((await signPdf(fixture(name), keys.agency, {})).bytes);
});
afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

describe.each(DIALECTS)('concurrency on %s', (dialect) => {
  let server: TestServer;
  /** A second server process's view: its own connection (pool) to the same database. */
  let second: { app: Awaited<ReturnType<typeof buildServer>>; database: ServerDatabase };

  beforeAll(async () => {
    server = await startTestServer(pki, keys, dialect);
    if (dialect === 'sqlite') {
      // SQLite is the one-process embedded mode: one connection, so the race is between requests of one server.
      second = { app: server.app, database: server.database };
      return;
    }
    const database = await openServerDatabase(server.url);
    const app = await buildServer({ database, trust: await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] }), origin: ORIGIN, receiptKey: server.receiptKey, clock: server.clock.now });
    second = { app, database };
  });
  afterAll(async () => {
    if (dialect === 'postgres') {
      await second?.app.close();
      await second?.database.close();
    }
    await server?.close();
  });

  it('answers racing copies of one submission, on two servers, with one receipt and one message', async () => {
    const token = await login(server.app, keys.agency);
    const hash = await upload(server.app, token, sealed[0]!);
    const id = randomUUID();
    const body = envelope([{ sha256: hash }]);
    const responses = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => submit(i % 2 === 0 ? server.app : second.app, token, body, id)));
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    const receipts = new Set(responses.map((r) => JSON.stringify(r.json<SignedReceipt>())));
    expect(receipts.size).toBe(1);
    const messages = await server.database.db.selectFrom('messages').select(sql<number>`count(*)`.as('n')).where('id', '=', id).executeTakeFirstOrThrow();
    expect(Number(messages.n)).toBe(1);
  });

  it('keeps the audit chain whole when two servers append at once', async () => {
    const token = await login(second.app, keys.agency);
    const hashes = await Promise.all(sealed.map((pdf) => upload(server.app, token, pdf)));
    const responses = await Promise.all(hashes.flatMap((hash, i) => [0, 1].map((copy) => submit(copy === 0 ? server.app : second.app, token, envelope([{ sha256: hash }], undefined, { metadata: { subject: `văn bản ${i}-${copy}` } })))));
    expect(responses.every((r) => r.statusCode === 201)).toBe(true);
    const verified = await verifyAuditLog(server.database.db);
    expect(verified).toMatchObject({ ok: true });
    expect(verified.entries).toBe(1 + responses.length);
  });

  /** `token`'s event stream on the second server process, read until a pattern shows. */
  async function eventStream(token: string): Promise<{ readUntil: (pattern: RegExp) => Promise<string>; close: () => void }> {
    const base = second.app.server.listening ? `http://127.0.0.1:${(second.app.server.address() as { port: number }).port}` : await second.app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    const response = await fetch(`${base}/v1/events`, { headers: bearer(token), signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (pattern: RegExp): Promise<string> => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      return text;
    };
    expect(await readUntil(/connected/)).toContain(': connected');
    return { readUntil, close: () => controller.abort() };
  }

  it('pokes the recipient over server-sent events, even when it listens on another server process', async () => {
    const stream = await eventStream(await login(second.app, keys.spare));
    const sender = await login(server.app, keys.agency);
    const hash = await upload(server.app, sender, sealed[1]!);
    expect((await submit(server.app, sender, envelope([{ sha256: hash }], undefined, { metadata: { subject: 'poke' } }))).statusCode).toBe(201);
    expect(await stream.readUntil(/event: inbox/)).toMatch(/event: inbox\ndata: \{\}/);
    stream.close();
    expectRefusal(await second.app.inject({ method: 'GET', url: '/v1/events' }), 401, 'SERVER_UNAUTHENTICATED');
  });

  it('pokes the sender when a recipient answers on another server process, once the answer is stored', async () => {
    const sender = await login(second.app, keys.agency);
    const hash = await upload(second.app, sender, sealed[2]!);
    const id = randomUUID();
    expect((await submit(second.app, sender, envelope([{ sha256: hash }], undefined, { metadata: { subject: 'trả lời' } }), id)).statusCode).toBe(201);
    const stream = await eventStream(sender);
    const recipient = await login(server.app, keys.spare);
    const answered = await server.app.inject({ method: 'POST', url: `/v1/messages/${id}/status`, headers: bearer(recipient), payload: { code: '01', eventId: randomUUID() } });
    expect(answered.statusCode, answered.body).toBe(201);
    expect(await stream.readUntil(/event: status/)).toMatch(/event: status\ndata: \{\}/);
    stream.close();
    const feed = await second.app.inject({ method: 'GET', url: '/v1/status-feed', headers: bearer(sender) });
    expect(feed.json<{ events: { messageId: string; code: string }[] }>().events).toContainEqual(expect.objectContaining({ messageId: id, code: '01' }));
  });
});

describe('rate limit', () => {
  it('answers 429 with a bilingual body past the limit', async () => {
    const server = await startTestServer(pki, keys, 'sqlite', { requestsPerMinute: 3 });
    try {
      for (let i = 0; i < 3; i++) expect((await server.app.inject({ method: 'POST', url: '/v1/auth/challenge' })).statusCode).toBe(200);
      expectRefusal(await server.app.inject({ method: 'POST', url: '/v1/auth/challenge' }), 429, 'SERVER_RATE_LIMITED');
    } finally {
      await server.close();
    }
  });
});

describe('logs', () => {
  it('record requests without the bearer token, the login signature or the nonce', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString('utf8')), done()) });
    const server = await startTestServer(pki, keys, 'sqlite', { logger: { level: 'trace', stream } });
    try {
      const token = await login(server.app, keys.agency);
      expect((await server.app.inject({ method: 'GET', url: '/v1/inbox', headers: bearer(token) })).statusCode).toBe(200);
      const log = lines.join('');
      expect(log).toContain('/v1/inbox');
      expect(log).not.toContain(token);
      expect(log).not.toContain('signature');
      expect(log).not.toMatch(/authorization/i);
    } finally {
      await server.close();
    }
  });
});

describe('rate limit shared by server processes', () => {
  it('counts a client far below its limit in batches: every request answered, every hit in the shared count, a write per batch and not per request', async () => {
    const server = await startTestServer(pki, keys, 'postgres', { requestsPerMinute: 1000 });
    try {
      const { db } = server.database;
      // The database itself counts the writes to the counter table (a trigger): no mock between the store and it.
      await sql`create table counter_writes (at timestamptz not null default now())`.execute(db);
      await sql`create function count_counter_write() returns trigger language plpgsql as $$ begin insert into counter_writes default values; return new; end $$`.execute(db);
      await sql`create trigger counter_written after insert or update on rate_limits for each row execute function count_counter_write()`.execute(db);
      // Counts are per minute (windows aligned to the clock): a run that crosses a minute is run again from another address.
      for (let attempt = 1; ; attempt++) {
        const remoteAddress = `10.0.1.${attempt}`;
        const challenge = () => server.app.inject({ method: 'POST', url: '/v1/auth/challenge', remoteAddress });
        const minute = Math.floor(Date.now() / 60_000);
        await sql`delete from counter_writes`.execute(db);
        const statuses: number[] = [];
        for (let i = 0; i < 200; i++) statuses.push((await challenge()).statusCode);
        expect(statuses.every((status) => status === 200)).toBe(true);
        // The last hits go with the next batch: one more request after the batch interval sends them.
        await new Promise((resolve) => setTimeout(resolve, 150));
        expect((await challenge()).statusCode).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 50));
        if (Math.floor(Date.now() / 60_000) !== minute && attempt < 3) continue;
        const row = await db.selectFrom('rate_limits').select('count').where('key', 'like', `%${remoteAddress}%`).executeTakeFirstOrThrow();
        expect(Number(row.count)).toBe(201);
        break;
      }
      const writes = Number((await sql<{ n: string }>`select count(*) as n from counter_writes`.execute(db)).rows[0]!.n);
      expect(writes).toBeGreaterThan(0);
      expect(writes).toBeLessThanOrEqual(20);
    } finally {
      await server.close();
    }
  });

  it('counts the requests of one client at two server processes on one PostgreSQL against one limit', async () => {
    const server = await startTestServer(pki, keys, 'postgres', { requestsPerMinute: 4 });
    const database = await openServerDatabase(server.url);
    const second = await buildServer({ database, trust: await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] }), origin: ORIGIN, receiptKey: server.receiptKey, limits: { requestsPerMinute: 4 } });
    try {
      const challenge = (app: typeof second) => app.inject({ method: 'POST', url: '/v1/auth/challenge' });
      for (const app of [server.app, second, server.app, second]) expect((await challenge(app)).statusCode).toBe(200);
      const refused = await challenge(second);
      expectRefusal(refused, 429, 'SERVER_RATE_LIMITED');
      expectRefusal(await challenge(server.app), 429, 'SERVER_RATE_LIMITED');
      // Another client address has its own count.
      expect((await second.inject({ method: 'POST', url: '/v1/auth/challenge', remoteAddress: '10.0.0.9' })).statusCode).toBe(200);
    } finally {
      await second.close();
      await database.close();
      await server.close();
    }
  });
});
