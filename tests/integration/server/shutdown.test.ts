// Graceful shutdown on SQLite and PostgreSQL: a submission in flight is answered and kept, late requests get a bilingual 503,
// and a request that never finishes is cut at the drain timeout without storing anything.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeGracefully, openServerDatabase, receiptVerifies } from '../../../src/server/index.js';
import type { ErrorBody, SignedReceipt } from '../../../src/shared/exchange-protocol.js';
import { DIALECTS, bearer, envelope, login, sha256, startTestServer, upload, type TestServer, useSealedSetup } from './kit.js';

const setup = useSealedSetup();
const { pki } = setup;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(DIALECTS)('graceful shutdown on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(pki, setup.keys, dialect);
  });
  afterAll(async () => {
    // closeGracefully closed the server and its database already; only the database files remain to drop.
    await server?.close().catch(() => undefined);
  });

  it('answers and keeps a submission in flight, refuses a request that arrives while closing, then closes', async () => {
    const token = await login(server.app, setup.keys.agency);
    const hash = await upload(server.app, token, setup.sealed);
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = server.app.server.address() as AddressInfo;
    const id = randomUUID();
    const json = Buffer.from(JSON.stringify(envelope([{ sha256: hash }], undefined, { metadata: { subject: 'Gửi trong lúc máy chủ dừng' } })));
    // One keep-alive connection: the submission's headers and half its body now, the rest and a second request once closing began.
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const head = (method: string, path: string, extra: string): string => `${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${token}\r\n${extra}\r\n`;
    socket.write(head('POST', '/v1/messages', `idempotency-key: ${id}\r\ncontent-type: application/json\r\ncontent-length: ${json.length}\r\n`));
    socket.write(json.subarray(0, 40));
    await sleep(100);

    const closing = closeGracefully(server.app, server.database, 10_000);
    await sleep(100);
    socket.write(Buffer.concat([json.subarray(40), Buffer.from(head('GET', '/v1/directory', ''))]));
    await ended;
    expect(await closing).toBe('drained');

    const answers = received.split(/(?=HTTP\/1\.1 )/);
    expect(answers.map((a) => a.slice(9, 12)), received).toEqual(['201', '503']);
    const receipt = JSON.parse(answers[0]!.slice(answers[0]!.indexOf('\r\n\r\n') + 4)) as SignedReceipt;
    expect(receiptVerifies(server.receiptKey, receipt)).toBe(true);
    expect(answers[1]).toMatch(/connection: close/i);
    expect(answers[1]).toMatch(/retry-after: 5/i);
    const refusal = JSON.parse(answers[1]!.slice(answers[1]!.indexOf('\r\n\r\n') + 4)) as ErrorBody;
    expect(refusal.error.code).toBe('SERVER_SHUTTING_DOWN');
    expect(refusal.error.messageVi).toContain('Máy chủ đang dừng');

    const database = await openServerDatabase(server.url);
    try {
      const row = await database.db.selectFrom('messages').select('receipt').where('id', '=', id).executeTakeFirstOrThrow();
      expect(JSON.parse(row.receipt)).toEqual(receipt);
    } finally {
      await database.close();
    }
  });
});

describe.each(DIALECTS)('drain timeout on %s', (dialect) => {
  it('cuts a request that never finishes at the drain timeout and stores nothing of it', async () => {
    const server = await startTestServer(pki, setup.keys, dialect);
    try {
      const token = await login(server.app, setup.keys.agency);
      await server.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = server.app.server.address() as AddressInfo;
      const hash = sha256(setup.sealed);
      const cut = new Promise<string>((resolve) => {
        const request = http.request({ host: '127.0.0.1', port, path: `/v1/blobs/${hash}`, method: 'PUT', headers: { ...bearer(token), 'content-type': 'application/octet-stream', 'content-length': setup.sealed.length } }, (response) => resolve(`answered ${response.statusCode}`));
        request.on('error', (error) => resolve((error as NodeJS.ErrnoException).code ?? error.message));
        // Half the file, then nothing: a client gone silent.
        request.write(Buffer.from(setup.sealed.subarray(0, 1000)));
      });
      await sleep(100);
      const started = Date.now();
      expect(await closeGracefully(server.app, server.database, 300)).toBe('timed-out');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await cut).toBe('ECONNRESET');
      const database = await openServerDatabase(server.url);
      try {
        expect(await database.db.selectFrom('blobs').select('sha256').where('sha256', '=', hash).executeTakeFirst()).toBeUndefined();
      } finally {
        await database.close();
      }
    } finally {
      await server.close().catch(() => undefined);
    }
  });
});
