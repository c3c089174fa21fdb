// Blobs stored in chunks on SQLite and PostgreSQL: a multi-megabyte tus upload in odd-sized pieces, ranges across chunk
// boundaries, a grant only for verified bytes, a PATCH cut mid-body that leaves nothing behind, an upload resumed at another process, and the migration that moves blobs stored whole into chunks.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom } from '../../../src/core/trust/index.js';
import { buildServer, openServerDatabase } from '../../../src/server/index.js';
import { BLOB_CHUNK_BYTES } from '../../../src/server/db/migrations/0003-blob-chunks.js';
import { usePki } from '../../kit/pki.js';
import { logoutAll } from '../../kit/signing-key.js';
import { DIALECTS, ORIGIN, bearer, expectRefusal, fromMigration, login, sha256, startTestServer, testKeys, type Keys, type TestServer } from './kit.js';

const pki = usePki();
let keys: Keys;
/** Two and a half chunks of noise: every range case crosses or ends in a chunk. */
const big = new Uint8Array(randomBytes(BLOB_CHUNK_BYTES * 2 + BLOB_CHUNK_BYTES / 2 + 7));

beforeAll(async () => {
  keys = await testKeys(pki);
});
afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

describe.each(DIALECTS)('chunked blobs on %s', (dialect) => {
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    server = await startTestServer(pki, keys, dialect);
    token = await login(server.app, keys.agency);
  });
  afterAll(async () => {
    await server?.close();
  });

  const tusUpload = async (bytes: Uint8Array, declared: string, pieces: number[]): Promise<number> => {
    const created = await server.app.inject({ method: 'POST', url: '/v1/uploads', headers: { ...bearer(token), 'upload-length': String(bytes.length), 'upload-metadata': `sha256 ${Buffer.from(declared).toString('base64')}` } });
    expect(created.statusCode, created.body).toBe(201);
    let offset = 0;
    let status = 0;
    for (const size of [...pieces, bytes.length]) {
      const end = Math.min(bytes.length, offset + size);
      const response = await server.app.inject({ method: 'PATCH', url: created.headers.location as string, headers: { ...bearer(token), 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }, payload: Buffer.from(bytes.subarray(offset, end)) });
      status = response.statusCode;
      if (status !== 204) return status;
      offset = end;
      if (offset === bytes.length) break;
    }
    return status;
  };

  it('stores a multi-megabyte upload in chunks and serves it whole and by ranges across chunk boundaries', async () => {
    const hash = sha256(big);
    expect(await tusUpload(big, hash, [700_000, 1, 900_000, 1_000_000])).toBe(204);
    const chunks = await server.database.db.selectFrom('blob_chunks').select(['position', sql<number>`length(data)`.as('n')]).where('sha256', '=', hash).orderBy('position').execute();
    expect(chunks.map((c) => Number(c.n))).toEqual([BLOB_CHUNK_BYTES, BLOB_CHUNK_BYTES, BLOB_CHUNK_BYTES / 2 + 7]);

    const whole = await server.app.inject({ method: 'GET', url: `/v1/blobs/${hash}`, headers: bearer(token) });
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['content-length']).toBe(String(big.length));
    expect(sha256(whole.rawPayload)).toBe(hash);
    const ranges: [string, number, number][] = [
      [`bytes=${BLOB_CHUNK_BYTES - 10}-${BLOB_CHUNK_BYTES + 9}`, BLOB_CHUNK_BYTES - 10, BLOB_CHUNK_BYTES + 9],
      [`bytes=5-${2 * BLOB_CHUNK_BYTES + 100}`, 5, 2 * BLOB_CHUNK_BYTES + 100],
      [`bytes=${BLOB_CHUNK_BYTES}-${BLOB_CHUNK_BYTES}`, BLOB_CHUNK_BYTES, BLOB_CHUNK_BYTES],
      ['bytes=-3', big.length - 3, big.length - 1],
      [`bytes=${2 * BLOB_CHUNK_BYTES}-`, 2 * BLOB_CHUNK_BYTES, big.length - 1],
    ];
    for (const [range, start, end] of ranges) {
      const part = await server.app.inject({ method: 'GET', url: `/v1/blobs/${hash}`, headers: { ...bearer(token), range } });
      expect(part.statusCode, range).toBe(206);
      expect(part.headers['content-range']).toBe(`bytes ${start}-${end}/${big.length}`);
      expect(Buffer.compare(part.rawPayload, Buffer.from(big.subarray(start, end + 1))), range).toBe(0);
    }
    expectRefusal(await server.app.inject({ method: 'GET', url: `/v1/blobs/${hash}`, headers: { ...bearer(token), range: `bytes=${big.length}-` } }), 416, 'SERVER_RANGE_NOT_SATISFIABLE');
  });

  it('grants nothing for bytes that do not hash to the declared digest, even when that blob exists', async () => {
    // Another agency knows the hash of a stored file and uploads other bytes under it, hoping to be allowed to read it.
    const other = await login(server.app, keys.spare);
    const hash = sha256(big);
    const forged = new Uint8Array(big);
    forged[BLOB_CHUNK_BYTES + 1]! ^= 1;
    const previous = token;
    token = other;
    try {
      const status = await tusUpload(forged, hash, [BLOB_CHUNK_BYTES]);
      expect(status).toBe(422);
      expect((await server.app.inject({ method: 'HEAD', url: `/v1/blobs/${hash}`, headers: bearer(other) })).statusCode).toBe(404);
      expectRefusal(await server.app.inject({ method: 'GET', url: `/v1/blobs/${hash}`, headers: bearer(other) }), 404, 'SERVER_NOT_FOUND');
    } finally {
      token = previous;
    }
    expect(await server.database.db.selectFrom('upload_chunks').select('upload_id').execute()).toEqual([]);
  });

  it('stores and serves an empty file', async () => {
    const empty = new Uint8Array(0);
    const put = await server.app.inject({ method: 'PUT', url: `/v1/blobs/${sha256(empty)}`, headers: { ...bearer(token), 'content-type': 'application/octet-stream' }, payload: Buffer.alloc(0) });
    expect(put.statusCode, put.body).toBe(201);
    const get = await server.app.inject({ method: 'GET', url: `/v1/blobs/${sha256(empty)}`, headers: bearer(token) });
    expect(get.statusCode).toBe(200);
    expect(get.rawPayload.length).toBe(0);
  });

  it('stores a one-chunk PUT once, answers it again with 200, and grants it to each agency that sends the bytes', async () => {
    const bytes = randomBytes(100_000);
    const hash = sha256(bytes);
    const put = (who: string) => server.app.inject({ method: 'PUT', url: `/v1/blobs/${hash}`, headers: { ...bearer(who), 'content-type': 'application/octet-stream' }, payload: Buffer.from(bytes) });
    const get = (who: string) => server.app.inject({ method: 'GET', url: `/v1/blobs/${hash}`, headers: bearer(who) });
    const noiVu = await login(server.app, keys.spare);
    expect((await put(token)).statusCode).toBe(201);
    expect((await get(noiVu)).statusCode).toBe(404);
    expect((await put(token)).statusCode).toBe(200);
    expect((await put(noiVu)).statusCode).toBe(200);
    const back = await get(noiVu);
    expect(back.statusCode).toBe(200);
    expect(back.rawPayload.equals(bytes)).toBe(true);
    const rows = async (table: 'blobs' | 'blob_chunks' | 'blob_grants'): Promise<number> => (await server.database.db.selectFrom(table).select('sha256').where('sha256', '=', hash).execute()).length;
    expect([await rows('blobs'), await rows('blob_chunks'), await rows('blob_grants')]).toEqual([1, 1, 2]);
  });
});

describe.each(DIALECTS)('tus PATCH bodies stored as they arrive on %s', (dialect) => {
  it('leaves the offset where the last whole PATCH put it, keeps none of the cut one, and completes from there', async () => {
    const server = await startTestServer(pki, keys, dialect);
    try {
      const token = await login(server.app, keys.agency);
      await server.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = server.app.server.address() as AddressInfo;
      const hash = sha256(big);
      const created = await server.app.inject({ method: 'POST', url: '/v1/uploads', headers: { ...bearer(token), 'upload-length': String(big.length), 'upload-metadata': `sha256 ${Buffer.from(hash).toString('base64')}` } });
      const location = created.headers.location as string;
      const patch = (from: number, to: number) =>
        server.app.inject({ method: 'PATCH', url: location, headers: { ...bearer(token), 'upload-offset': String(from), 'content-type': 'application/offset+octet-stream' }, payload: Buffer.from(big.subarray(from, to)) });
      const first = 700_000;
      expect((await patch(0, first)).statusCode).toBe(204);
      const stored = async (): Promise<number> => {
        const rows = await server.database.db.selectFrom('upload_chunks').select(sql<number>`length(data)`.as('n')).execute();
        return rows.reduce((sum, r) => sum + Number(r.n), 0);
      };
      // The rest announced, a chunk and a half of it sent, then the connection dies.
      const request = http.request({ host: '127.0.0.1', port, path: location, method: 'PATCH', headers: { ...bearer(token), 'upload-offset': String(first), 'content-type': 'application/offset+octet-stream', 'content-length': big.length - first } });
      const closed = new Promise<void>((resolve) => {
        request.on('error', () => resolve());
        request.on('close', () => resolve());
      });
      request.write(Buffer.from(big.subarray(first, first + BLOB_CHUNK_BYTES + BLOB_CHUNK_BYTES / 2)));
      // The body is stored a chunk at a time while it arrives, not held in memory until its end.
      for (let tries = 0; tries < 50 && (await stored()) < first + BLOB_CHUNK_BYTES; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await stored()).toBe(first + BLOB_CHUNK_BYTES);
      request.destroy();
      await closed;
      // The server notices the cut and removes the pieces it stored of it.
      for (let tries = 0; tries < 50 && (await stored()) !== first; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await stored()).toBe(first);
      expect((await server.app.inject({ method: 'HEAD', url: location, headers: bearer(token) })).headers['upload-offset']).toBe(String(first));
      expect((await patch(first, big.length)).statusCode).toBe(204);
      const got = await server.app.inject({ method: 'GET', url: `/v1/blobs/${hash}`, headers: bearer(token) });
      expect(sha256(got.rawPayload)).toBe(hash);
      expect(await stored()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('refuses a PATCH that runs past the announced length, keeping nothing beyond it', async () => {
    const server = await startTestServer(pki, keys, dialect);
    try {
      const token = await login(server.app, keys.agency);
      const small = new Uint8Array(randomBytes(100));
      const created = await server.app.inject({ method: 'POST', url: '/v1/uploads', headers: { ...bearer(token), 'upload-length': '100', 'upload-metadata': `sha256 ${Buffer.from(sha256(small)).toString('base64')}` } });
      const location = created.headers.location as string;
      const tooLong = await server.app.inject({ method: 'PATCH', url: location, headers: { ...bearer(token), 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, payload: Buffer.alloc(101) });
      expectRefusal(tooLong, 413, 'SERVER_UPLOAD_TOO_LONG');
      expect((await server.app.inject({ method: 'HEAD', url: location, headers: bearer(token) })).headers['upload-offset']).toBe('0');
    } finally {
      await server.close();
    }
  });
});

describe('uploads shared by server processes on one PostgreSQL', () => {
  it('resumes at a second process an upload cut at the first, and both serve the blob', async () => {
    const server = await startTestServer(pki, keys, 'postgres');
    const database = await openServerDatabase(server.url);
    const second = await buildServer({ database, trust: await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] }), origin: ORIGIN, receiptKey: server.receiptKey });
    try {
      const token = await login(server.app, keys.agency);
      const bytes = new Uint8Array(randomBytes(BLOB_CHUNK_BYTES + 1234));
      const hash = sha256(bytes);
      const created = await server.app.inject({ method: 'POST', url: '/v1/uploads', headers: { ...bearer(token), 'upload-length': String(bytes.length), 'upload-metadata': `sha256 ${Buffer.from(hash).toString('base64')}` } });
      const location = created.headers.location as string;
      const patch = (app: typeof second, from: number, to: number) =>
        app.inject({ method: 'PATCH', url: location, headers: { ...bearer(token), 'upload-offset': String(from), 'content-type': 'application/offset+octet-stream' }, payload: Buffer.from(bytes.subarray(from, to)) });
      expect((await patch(server.app, 0, 600_000)).statusCode).toBe(204);
      // The first process is gone from the client's view: the second knows the offset and takes the rest.
      const offset = await second.inject({ method: 'HEAD', url: location, headers: bearer(token) });
      expect(offset.headers['upload-offset']).toBe('600000');
      expect((await patch(second, 600_000, bytes.length)).statusCode).toBe(204);
      for (const app of [server.app, second]) {
        const got = await app.inject({ method: 'GET', url: `/v1/blobs/${hash}`, headers: bearer(token) });
        expect(sha256(got.rawPayload)).toBe(hash);
      }
    } finally {
      await second.close();
      await database.close();
      await server.close();
    }
  });
});

describe.each(DIALECTS)('the chunk migration on %s', (dialect) => {
  it('moves blobs stored whole into chunks and drops the old column', async () => {
    await fromMigration(dialect, '0002-certificate-rules', async (database, migrateToLatest) => {
      const old = database.db as unknown as Kysely<{ blobs: { sha256: string; size: number; data: Uint8Array; created_at: string } }>;
      const small = new Uint8Array(randomBytes(10));
      await old.insertInto('blobs').values([
        { sha256: sha256(big), size: big.length, data: big, created_at: new Date().toISOString() },
        { sha256: sha256(small), size: small.length, data: small, created_at: new Date().toISOString() },
      ]).execute();
      await migrateToLatest();
      for (const bytes of [big, small]) {
        const chunks = await database.db.selectFrom('blob_chunks').select('data').where('sha256', '=', sha256(bytes)).orderBy('position').execute();
        expect(sha256(Buffer.concat(chunks.map((c) => Buffer.from(c.data))))).toBe(sha256(bytes));
      }
      await expect(sql`select data from blobs`.execute(database.db)).rejects.toThrow();
    });
  });

});
