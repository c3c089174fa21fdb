// The exchange server through Fastify inject, the same suite on SQLite and on PostgreSQL: login, blobs, submission, inbox, status, audit, attacks.
import { execFileSync } from 'node:child_process';
import { randomUUID, sign as cryptoSign, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf } from '../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { receiptVerifies, verifyAuditLog } from '../../../src/server/index.js';
import { authSignedText, type InboxItem, type SignedReceipt } from '../../../src/shared/exchange-protocol.js';
import { fixture } from '../../kit/pdf-tools.js';
import { usePki } from '../../kit/pki.js';
import { logoutAll } from '../../kit/signing-key.js';
import {
  CAO_BANG, DIALECTS, NOI_VU, ORIGIN, VPCP, bearer, challenge, envelope, expectRefusal, login, sha256, signedLogin, startTestServer, submit, upload,
  withContentAddedAfterSigning, type Keys, type TestServer, testKeys } from './kit.js';

const pki = usePki();
let keys: Keys;
/** Signed by the leader, then sealed by UBND tỉnh Cao Bằng: what a clerk sends. */
let goodPdf: Uint8Array;
let appendixPdf: Uint8Array;
/** Signed only with Sở Nội vụ's certificate. */
let noiVuPdf: Uint8Array;
let tamperedPdf: Uint8Array;
let changedAfterSigning: Uint8Array;
/** A CA of nobody's, and a leaf it issued in the name of UBND tỉnh Cao Bằng (software key). */
let rogue: { chain: string[]; keyPem: string };

function makeRogueCa(): { chain: string[]; keyPem: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-rogue-'));
  const f = (name: string): string => path.join(dir, name);
  const run = (args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-subj', '/CN=Test Vietnam National Root CA', '-days', '30', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('leaf.key'), '-out', f('leaf.csr'), '-subj', '/CN=UBND tỉnh Cao Bằng/O=UBND tỉnh Cao Bằng', '-utf8']);
  run(['x509', '-req', '-in', f('leaf.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-set_serial', '0x1234', '-days', '30', '-out', f('leaf.pem')]);
  const der = (file: string): string => execFileSync('openssl', ['x509', '-in', file, '-outform', 'DER']).toString('base64');
  return { chain: [der(f('leaf.pem')), der(f('ca.pem'))], keyPem: readFileSync(f('leaf.key'), 'utf8') };
}

beforeAll(async () => {
  keys = await testKeys(pki);
  const byLeader = await signPdf(fixture('classic-xref.pdf'), keys.leader, { reason: 'Phê duyệt' });
  goodPdf = (await signPdf(byLeader.bytes, keys.agency, {})).bytes;
  appendixPdf = (await signPdf(fixture('xref-stream.pdf'), keys.agency, {})).bytes;
  noiVuPdf = (await signPdf(fixture('classic-xref.pdf'), keys.spare, {})).bytes;
  tamperedPdf = new Uint8Array(goodPdf);
  const at = Buffer.from(tamperedPdf).indexOf('So: 05');
  expect(at).toBeGreaterThan(0);
  tamperedPdf[at + 4] = '6'.charCodeAt(0);
  changedAfterSigning = await withContentAddedAfterSigning(goodPdf);
  rogue = makeRogueCa();
});

afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

describe.each(DIALECTS)('exchange server on %s', (dialect) => {
  let server: TestServer;
  let caoBang: string;
  let noiVu: string;
  const inject = (options: InjectOptions): Promise<LightMyRequestResponse> => server.app.inject(options);

  beforeAll(async () => {
    server = await startTestServer(pki, keys, dialect);
    caoBang = await login(server.app, keys.agency);
    noiVu = await login(server.app, keys.spare, { name: 'RSA-PSS', hash: 'SHA-256' });
  });
  afterAll(async () => {
    await server?.close();
  });

  const count = async (table: 'messages' | 'deliveries' | 'blobs' | 'audit_log'): Promise<number> =>
    Number((await server.database.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

  describe('login by signed challenge', () => {
    it('gives a bearer token for RSA PKCS#1, RSA-PSS and ECDSA signatures by the token', async () => {
      const nonce = await challenge(server.app);
      const response = await inject({ method: 'POST', url: '/v1/auth/token', payload: await signedLogin(keys.leaderEc, nonce, { name: 'ECDSA', hash: 'SHA-256' }) });
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json<{ token: string; expiresAt: string; agency: { organId: string } }>();
      expect(body.agency.organId).toBe(CAO_BANG);
      const ttl = new Date(body.expiresAt).getTime() - server.clock.now().getTime();
      expect(ttl).toBeGreaterThan(14 * 60_000);
      expect(ttl).toBeLessThanOrEqual(15 * 60_000);
      expect(caoBang).not.toBe(noiVu);
    });

    it('issues challenges that live at most five minutes', async () => {
      const response = await inject({ method: 'POST', url: '/v1/auth/challenge' });
      const { nonce, expiresAt } = response.json<{ nonce: string; expiresAt: string }>();
      expect(nonce.length).toBeGreaterThanOrEqual(32);
      expect(new Date(expiresAt).getTime() - server.clock.now().getTime()).toBeLessThanOrEqual(300_000);
    });

    it('refuses a replayed challenge', async () => {
      const payload = await signedLogin(keys.agency, await challenge(server.app), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
      expect((await inject({ method: 'POST', url: '/v1/auth/token', payload })).statusCode).toBe(200);
      expectRefusal(await inject({ method: 'POST', url: '/v1/auth/token', payload }), 401, 'SERVER_CHALLENGE_INVALID');
    });

    it('refuses a forged challenge and an expired one', async () => {
      const forged = await signedLogin(keys.agency, 'A'.repeat(43), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
      expectRefusal(await inject({ method: 'POST', url: '/v1/auth/token', payload: forged }), 401, 'SERVER_CHALLENGE_INVALID');
      const nonce = await challenge(server.app);
      server.clock.advance(301);
      try {
        const late = await signedLogin(keys.agency, nonce, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
        expectRefusal(await inject({ method: 'POST', url: '/v1/auth/token', payload: late }), 401, 'SERVER_CHALLENGE_INVALID');
      } finally {
        server.clock.advance(-301);
      }
    });

    it('refuses a signature made for another server, or by another key', async () => {
      const otherOrigin = await signedLogin(keys.agency, await challenge(server.app), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, 'https://evil.example');
      expectRefusal(await inject({ method: 'POST', url: '/v1/auth/token', payload: otherOrigin }), 401, 'SERVER_LOGIN_SIGNATURE_INVALID');
      const nonce = await challenge(server.app);
      const bySpare = await signedLogin(keys.spare, nonce, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
      const swapped = { ...bySpare, certificateChain: [Buffer.from(keys.agency.certificate).toString('base64')] };
      expectRefusal(await inject({ method: 'POST', url: '/v1/auth/token', payload: swapped }), 401, 'SERVER_LOGIN_SIGNATURE_INVALID');
    });

    it('refuses a certificate from an untrusted CA, even one that copies the root name', async () => {
      const nonce = await challenge(server.app);
      const signature = cryptoSign('sha256', Buffer.from(authSignedText(ORIGIN, nonce)), createPrivateKey(rogue.keyPem)).toString('base64');
      const payload = { certificateChain: rogue.chain, algorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, signature, nonce };
      const body = expectRefusal(await inject({ method: 'POST', url: '/v1/auth/token', payload }), 401, 'SERVER_CERT_UNTRUSTED');
      expect(body.error.messageEn).toContain('UBND tỉnh Cao Bằng');
    });

    it('refuses a revoked certificate', async () => {
      const payload = await signedLogin(keys.revoked, await challenge(server.app), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
      expectRefusal(await inject({ method: 'POST', url: '/v1/auth/token', payload }), 401, 'SERVER_CERT_REVOKED');
    });

    it('refuses an expired certificate', async () => {
      server.clock.advance(3 * 365 * 86_400);
      try {
        const payload = await signedLogin(keys.agency, await challenge(server.app), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
        const body = expectRefusal(await inject({ method: 'POST', url: '/v1/auth/token', payload }), 401, 'SERVER_CERT_UNTRUSTED');
        expect(body.error.messageEn).toMatch(/expired/);
      } finally {
        server.clock.advance(-3 * 365 * 86_400);
      }
    });

    it('refuses a trusted certificate bound to no agency', async () => {
      const payload = await signedLogin(keys.leader, await challenge(server.app), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
      expectRefusal(await inject({ method: 'POST', url: '/v1/auth/token', payload }), 403, 'SERVER_CERT_NOT_BOUND');
    });

    it('refuses requests without a token, with a made-up one, and after the token expired', async () => {
      expectRefusal(await inject({ method: 'GET', url: '/v1/inbox' }), 401, 'SERVER_UNAUTHENTICATED');
      expectRefusal(await inject({ method: 'GET', url: '/v1/inbox', headers: bearer('x'.repeat(43)) }), 401, 'SERVER_UNAUTHENTICATED');
      const token = await login(server.app, keys.agency);
      expect((await inject({ method: 'GET', url: '/v1/directory', headers: bearer(token) })).statusCode).toBe(200);
      server.clock.advance(15 * 60 + 1);
      try {
        expectRefusal(await inject({ method: 'GET', url: '/v1/directory', headers: bearer(token) }), 401, 'SERVER_TOKEN_EXPIRED');
      } finally {
        server.clock.advance(-(15 * 60 + 1));
      }
    });

    it('refuses malformed JSON and bodies that do not fit the schema', async () => {
      const malformed = await inject({ method: 'POST', url: '/v1/auth/token', headers: { 'content-type': 'application/json' }, payload: '{"nonce": ' });
      expectRefusal(malformed, 400, 'SERVER_MALFORMED_JSON');
      const wrongShape = await inject({ method: 'POST', url: '/v1/auth/token', payload: { nonce: 'short', extra: true } });
      expectRefusal(wrongShape, 400, 'SERVER_BAD_REQUEST');
    });
  });

  describe('directory', () => {
    it('lists agencies with organ id and parent', async () => {
      const response = await inject({ method: 'GET', url: '/v1/directory', headers: bearer(noiVu) });
      expect(response.json()).toEqual({
        agencies: [
          { organId: CAO_BANG, name: 'UBND tỉnh Cao Bằng', parent: null },
          { organId: NOI_VU, name: 'Sở Nội vụ tỉnh Cao Bằng', parent: CAO_BANG },
          { organId: VPCP, name: 'Văn phòng Chính phủ', parent: null },
        ],
      });
    });
  });

  describe('blobs', () => {
    it('uploads in resumable chunks, reports the offset, and stores the file once the hash checks out', async () => {
      const bytes = appendixPdf;
      const hash = sha256(bytes);
      const metadata = `sha256 ${Buffer.from(hash).toString('base64')},filename ${Buffer.from('phu-luc.pdf').toString('base64')}`;
      const created = await inject({ method: 'POST', url: '/v1/uploads', headers: { ...bearer(caoBang), 'upload-length': String(bytes.length), 'upload-metadata': metadata, 'tus-resumable': '1.0.0' } });
      expect(created.statusCode, created.body).toBe(201);
      const location = created.headers.location as string;
      const half = Math.floor(bytes.length / 2);
      const patch = (offset: number, chunk: Uint8Array) =>
        inject({ method: 'PATCH', url: location, headers: { ...bearer(caoBang), 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) }, payload: Buffer.from(chunk) });
      const first = await patch(0, bytes.subarray(0, half));
      expect(first.statusCode).toBe(204);
      expect(first.headers['upload-offset']).toBe(String(half));
      // The connection "breaks": the client asks where to resume.
      const head = await inject({ method: 'HEAD', url: location, headers: bearer(caoBang) });
      expect(head.headers['upload-offset']).toBe(String(half));
      expectRefusal(await patch(0, bytes.subarray(0, 10)), 409, 'SERVER_UPLOAD_OFFSET_MISMATCH');
      expect((await inject({ method: 'HEAD', url: location, headers: bearer(noiVu) })).statusCode).toBe(404);
      const last = await patch(half, bytes.subarray(half));
      expect(last.statusCode, last.body).toBe(204);
      const blob = await inject({ method: 'HEAD', url: `/v1/blobs/${hash}`, headers: bearer(caoBang) });
      expect(blob.statusCode).toBe(200);
      expect(blob.headers['content-length']).toBe(String(bytes.length));
    });

    it('refuses a resumable upload whose bytes do not hash to the declared digest, and keeps nothing', async () => {
      const claimed = sha256(new Uint8Array([1, 2, 3]));
      const created = await inject({ method: 'POST', url: '/v1/uploads', headers: { ...bearer(caoBang), 'upload-length': '3', 'upload-metadata': `sha256 ${Buffer.from(claimed).toString('base64')}` } });
      const location = created.headers.location as string;
      const patched = await inject({ method: 'PATCH', url: location, headers: { ...bearer(caoBang), 'content-type': 'application/offset+octet-stream', 'upload-offset': '0' }, payload: Buffer.from([9, 9, 9]) });
      expectRefusal(patched, 422, 'SERVER_BLOB_HASH_MISMATCH');
      expect((await inject({ method: 'HEAD', url: location, headers: bearer(caoBang) })).statusCode).toBe(404);
      expect((await inject({ method: 'HEAD', url: `/v1/blobs/${claimed}`, headers: bearer(caoBang) })).statusCode).toBe(404);
    });

    it('refuses a one-shot upload with the wrong content hash', async () => {
      const blobs = await count('blobs');
      const wrong = sha256(new TextEncoder().encode('something else'));
      const response = await inject({ method: 'PUT', url: `/v1/blobs/${wrong}`, headers: { ...bearer(caoBang), 'content-type': 'application/octet-stream' }, payload: Buffer.from(goodPdf) });
      const body = expectRefusal(response, 422, 'SERVER_BLOB_HASH_MISMATCH');
      expect(body.error.params).toMatchObject({ expected: wrong, actual: sha256(goodPdf) });
      expect(await count('blobs')).toBe(blobs);
    });

    it("hides another agency's blob: HEAD and GET answer 404 as for a blob that does not exist", async () => {
      const hash = await upload(server.app, caoBang, goodPdf);
      expect((await inject({ method: 'HEAD', url: `/v1/blobs/${hash}`, headers: bearer(caoBang) })).statusCode).toBe(200);
      expect((await inject({ method: 'HEAD', url: `/v1/blobs/${hash}`, headers: bearer(noiVu) })).statusCode).toBe(404);
      expectRefusal(await inject({ method: 'GET', url: `/v1/blobs/${hash}`, headers: bearer(noiVu) }), 404, 'SERVER_NOT_FOUND');
      expectRefusal(await inject({ method: 'GET', url: `/v1/blobs/${'0'.repeat(64)}`, headers: bearer(noiVu) }), 404, 'SERVER_NOT_FOUND');
    });

    it('serves byte ranges and refuses an unsatisfiable one', async () => {
      const hash = await upload(server.app, caoBang, goodPdf);
      const part = await inject({ method: 'GET', url: `/v1/blobs/${hash}`, headers: { ...bearer(caoBang), range: 'bytes=0-7' } });
      expect(part.statusCode).toBe(206);
      expect(part.headers['content-range']).toBe(`bytes 0-7/${goodPdf.length}`);
      expect(part.rawPayload.toString('latin1')).toBe(Buffer.from(goodPdf.subarray(0, 8)).toString('latin1'));
      const tail = await inject({ method: 'GET', url: `/v1/blobs/${hash}`, headers: { ...bearer(caoBang), range: 'bytes=-6' } });
      expect(tail.rawPayload.equals(Buffer.from(goodPdf.subarray(goodPdf.length - 6)))).toBe(true);
      const whole = await inject({ method: 'GET', url: `/v1/blobs/${hash}`, headers: bearer(caoBang) });
      expect(sha256(whole.rawPayload)).toBe(hash);
      expectRefusal(await inject({ method: 'GET', url: `/v1/blobs/${hash}`, headers: { ...bearer(caoBang), range: `bytes=${goodPdf.length}-` } }), 416, 'SERVER_RANGE_NOT_SATISFIABLE');
    });
  });

  describe('submission, inbox, status and audit', () => {
    let messageId: string;
    let receipt: SignedReceipt;
    let body: Record<string, unknown>;

    it('accepts a signed document with a server-signed receipt, and the same key and body again gives the same receipt', async () => {
      const main = await upload(server.app, caoBang, goodPdf);
      const appendix = await upload(server.app, caoBang, appendixPdf);
      body = envelope([{ sha256: main }, { sha256: appendix, role: 'appendix' }]);
      messageId = randomUUID();
      const first = await submit(server.app, caoBang, body, messageId);
      expect(first.statusCode, first.body).toBe(201);
      receipt = first.json<SignedReceipt>();
      expect(receipt.receipt).toMatchObject({ messageId, sender: CAO_BANG, recipients: [NOI_VU], serverKeyId: server.receiptKey.keyId });
      expect(receipt.receipt.files).toEqual([{ sha256: main, size: goodPdf.length }, { sha256: appendix, size: appendixPdf.length }]);
      expect(receiptVerifies(server.receiptKey, receipt)).toBe(true);
      expect(receiptVerifies(server.receiptKey, { ...receipt, receipt: { ...receipt.receipt, recipients: [VPCP] } })).toBe(false);
      const keyResponse = await inject({ method: 'GET', url: '/v1/server-key' });
      expect(keyResponse.json()).toMatchObject({ algorithm: 'Ed25519', keyId: server.receiptKey.keyId });

      const again = await submit(server.app, caoBang, body, messageId);
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(receipt);
      const other = await submit(server.app, caoBang, { ...body, metadata: { subject: 'Nội dung khác' } }, messageId);
      expectRefusal(other, 422, 'SERVER_IDEMPOTENCY_CONFLICT');
      expect(await count('messages')).toBe(1);
    });

    it('refuses a submission without Idempotency-Key', async () => {
      const response = await inject({ method: 'POST', url: '/v1/messages', headers: bearer(caoBang), payload: body });
      expectRefusal(response, 400, 'SERVER_IDEMPOTENCY_KEY_MISSING');
    });

    it('lets the recipient read the files of a message addressed to it', async () => {
      const main = (body.files as { sha256: string }[])[0]!.sha256;
      const response = await inject({ method: 'GET', url: `/v1/blobs/${main}`, headers: { ...bearer(noiVu), range: 'bytes=0-4' } });
      expect(response.statusCode).toBe(206);
      expect(response.body).toBe('%PDF-');
    });

    it('redelivers until acked, then the inbox is empty; only the recipient sees the mail', async () => {
      const first = await inject({ method: 'GET', url: '/v1/inbox', headers: bearer(noiVu) });
      expect(first.statusCode).toBe(200);
      const items = first.json<{ items: InboxItem[]; nextCursor: number }>().items;
      expect(items.map((i) => i.messageId)).toEqual([messageId]);
      expect(items[0]).toMatchObject({ sender: CAO_BANG, type: 'new', deliveryCount: 1, metadata: { subject: 'Về việc triển khai văn bản điện tử' } });
      expect(items[0]!.receipt).toEqual(receipt);
      expect(items[0]!.files.map((f) => f.role)).toEqual(['main', 'appendix']);
      const paged = await inject({ method: 'GET', url: `/v1/inbox?cursor=${first.json<{ nextCursor: number }>().nextCursor}`, headers: bearer(noiVu) });
      expect(paged.json<{ items: unknown[] }>().items).toEqual([]);
      const again = await inject({ method: 'GET', url: '/v1/inbox', headers: bearer(noiVu) });
      expect(again.json<{ items: InboxItem[] }>().items[0]?.deliveryCount).toBe(2);
      expect((await inject({ method: 'GET', url: '/v1/inbox', headers: bearer(caoBang) })).json<{ items: unknown[] }>().items).toEqual([]);

      expectRefusal(await inject({ method: 'POST', url: '/v1/inbox/ack', headers: bearer(caoBang), payload: { messageIds: [messageId] } }), 404, 'SERVER_NOT_FOUND');
      const ack = await inject({ method: 'POST', url: '/v1/inbox/ack', headers: bearer(noiVu), payload: { messageIds: [messageId] } });
      expect(ack.json()).toEqual({ acked: 1 });
      expect((await inject({ method: 'GET', url: '/v1/inbox', headers: bearer(noiVu) })).json<{ items: unknown[] }>().items).toEqual([]);
      expect((await inject({ method: 'POST', url: '/v1/inbox/ack', headers: bearer(noiVu), payload: { messageIds: [messageId] } })).json()).toEqual({ acked: 0 });
    });

    it('takes status replies in order only, idempotent by event id, and feeds them to the sender', async () => {
      const status = (token: string, code: string, eventId: string = randomUUID()) =>
        inject({ method: 'POST', url: `/v1/messages/${messageId}/status`, headers: bearer(token), payload: { code, eventId, reason: 'ok' } });
      expectRefusal(await status(noiVu, '03'), 409, 'SERVER_STATUS_TRANSITION');
      const arrived = randomUUID();
      expect((await status(noiVu, '01', arrived)).statusCode).toBe(201);
      expect((await status(noiVu, '01', arrived)).statusCode).toBe(200);
      expectRefusal(await status(noiVu, '01'), 409, 'SERVER_STATUS_TRANSITION');
      expect((await status(noiVu, '03')).statusCode).toBe(201);
      expectRefusal(await status(noiVu, '15'), 409, 'SERVER_STATUS_TRANSITION');
      expectRefusal(await status(caoBang, '05'), 403, 'SERVER_STATUS_NOT_ALLOWED');
      expectRefusal(
        await inject({ method: 'POST', url: `/v1/messages/${messageId}/status`, headers: bearer(noiVu), payload: { code: '09', eventId: randomUUID() } }),
        400,
        'SERVER_BAD_REQUEST',
      );
      const feed = await inject({ method: 'GET', url: '/v1/status-feed', headers: bearer(caoBang) });
      expect(feed.json<{ events: { code: string; recipient: string }[] }>().events.map((e) => [e.code, e.recipient])).toEqual([['01', NOI_VU], ['03', NOI_VU]]);
      expect((await inject({ method: 'GET', url: '/v1/status-feed', headers: bearer(noiVu) })).json<{ events: unknown[] }>().events).toEqual([]);
    });

    it('handles a recall: the original goes to 13 at the recipient, who may refuse (16) and carry on', async () => {
      const recall = await submit(server.app, caoBang, envelope([], [NOI_VU], { type: 'recall', inReplyTo: messageId }));
      expect(recall.statusCode, recall.body).toBe(201);
      const view = await inject({ method: 'GET', url: `/v1/messages/${messageId}`, headers: bearer(noiVu) });
      expect(view.json<{ statuses: unknown[] }>().statuses).toEqual([{ recipient: NOI_VU, status: '13' }]);
      const refuse = await inject({ method: 'POST', url: `/v1/messages/${messageId}/status`, headers: bearer(noiVu), payload: { code: '16', eventId: randomUUID(), reason: 'Đã xử lý xong' } });
      expect(refuse.statusCode).toBe(201);
      const after = await inject({ method: 'GET', url: `/v1/messages/${messageId}`, headers: bearer(caoBang) });
      expect(after.json<{ statuses: unknown[] }>().statuses).toEqual([{ recipient: NOI_VU, status: '03' }]);
      const replaceOfOthers = await submit(server.app, noiVu, envelope([], [CAO_BANG], { sender: NOI_VU, type: 'recall', inReplyTo: messageId }));
      expectRefusal(replaceOfOthers, 422, 'SERVER_IN_REPLY_TO_INVALID');
    });

    it("hides another agency's message: no reading, no status, no ack", async () => {
      const main = await upload(server.app, caoBang, goodPdf);
      const toVpcp = randomUUID();
      expect((await submit(server.app, caoBang, envelope([{ sha256: main }], [VPCP]), toVpcp)).statusCode).toBe(201);
      expectRefusal(await inject({ method: 'GET', url: `/v1/messages/${toVpcp}`, headers: bearer(noiVu) }), 404, 'SERVER_NOT_FOUND');
      expectRefusal(await inject({ method: 'POST', url: `/v1/messages/${toVpcp}/status`, headers: bearer(noiVu), payload: { code: '01', eventId: randomUUID() } }), 404, 'SERVER_NOT_FOUND');
      expectRefusal(await inject({ method: 'POST', url: '/v1/inbox/ack', headers: bearer(noiVu), payload: { messageIds: [toVpcp] } }), 404, 'SERVER_NOT_FOUND');
      const delivery = await server.database.db.selectFrom('deliveries').selectAll().where('message_id', '=', toVpcp).executeTakeFirstOrThrow();
      expect(delivery).toMatchObject({ recipient: VPCP, acked_at: null, status: null });
    });

    it('keeps a hash chain over every submission, delivery, ack and status, and notices tampering', async () => {
      const rows = await server.database.db.selectFrom('audit_log').select(['kind']).orderBy('seq').execute();
      // submit, deliver, ack, status 01 and 03, recall submit + its 13, status 16, submit to VPCP (the same 05/UBND-VP
      // of the same agency again under another id: accepted, with a duplicate-number entry).
      expect(rows.map((r) => r.kind)).toEqual(['submit', 'deliver', 'ack', 'status', 'status', 'submit', 'status', 'status', 'submit', 'duplicate-number']);
      expect(await verifyAuditLog(server.database.db)).toMatchObject({ ok: true, entries: 10 });
      await server.database.db.updateTable('audit_log').set({ detail: '{"code":"06"}' }).where('seq', '=', 4).execute();
      expect(await verifyAuditLog(server.database.db)).toMatchObject({ ok: false, seq: 4 });
    });
  });

  describe('refused submissions store nothing', () => {
    const refuseWith = async (pdf: Uint8Array, code: string, token = () => caoBang, sender = CAO_BANG) => {
      const before = { messages: await count('messages'), deliveries: await count('deliveries'), audit: await count('audit_log') };
      const hash = await upload(server.app, token(), pdf);
      const response = await submit(server.app, token(), envelope([{ sha256: hash, name: 'van-ban.pdf' }], [sender === CAO_BANG ? NOI_VU : CAO_BANG], { sender }));
      const body = expectRefusal(response, 422, 'SERVER_SUBMISSION_INVALID');
      expect(body.reasons?.map((r) => r.code)).toContain(code);
      for (const reason of body.reasons ?? []) expect(reason.messageVi && reason.messageEn).toBeTruthy();
      expect({ messages: await count('messages'), deliveries: await count('deliveries'), audit: await count('audit_log') }).toEqual(before);
      return body;
    };

    it('refuses a tampered PDF', async () => {
      const body = await refuseWith(tamperedPdf, 'DIGEST_MISMATCH');
      expect(body.reasons?.map((r) => r.code)).toContain('SERVER_PDF_NOT_VALID');
    });

    it('refuses a PDF whose later revision changes the content', async () => {
      const body = await refuseWith(changedAfterSigning, 'SERVER_PDF_NOT_COVERED');
      expect(body.reasons?.map((r) => r.code)).toContain('MODIFIED_AFTER_SIGNING');
    });

    it('refuses a PDF signed by another agency than the sender', async () => {
      const body = await refuseWith(noiVuPdf, 'SERVER_PDF_NOT_SIGNED_BY_SENDER');
      expect(body.reasons?.find((r) => r.code === 'SERVER_PDF_NOT_SIGNED_BY_SENDER')?.messageVi).toContain(CAO_BANG);
    });

    it('refuses a PDF signed only by the leader (no agency seal) and a file that is not a PDF', async () => {
      const leaderOnly = (await signPdf(fixture('classic-xref.pdf'), keys.leader, {})).bytes;
      await refuseWith(leaderOnly, 'SERVER_PDF_NOT_SIGNED_BY_SENDER');
      await refuseWith(new TextEncoder().encode('not a pdf at all'), 'SERVER_FILE_NOT_PDF');
    });

    it('refuses files the sender never uploaded, unknown recipients, a forged sender and an oversize body', async () => {
      const notUploaded = await submit(server.app, caoBang, envelope([{ sha256: sha256(new TextEncoder().encode('never uploaded')) }]));
      expect(expectRefusal(notUploaded, 422, 'SERVER_SUBMISSION_INVALID').reasons?.[0]?.code).toBe('SERVER_FILE_MISSING');
      // Uploaded by Cao Bằng and never sent: Sở Nội vụ cannot send it on by its hash.
      const theirs = await upload(server.app, caoBang, new TextEncoder().encode(`draft kept at Cao Bằng (${dialect})`));
      const borrowed = await submit(server.app, noiVu, envelope([{ sha256: theirs }], [CAO_BANG], { sender: NOI_VU }));
      expect(expectRefusal(borrowed, 422, 'SERVER_SUBMISSION_INVALID').reasons?.[0]?.code).toBe('SERVER_FILE_MISSING');
      expectRefusal(await submit(server.app, caoBang, envelope([{ sha256: theirs }], ['999.99.99.Z99'])), 422, 'SERVER_UNKNOWN_RECIPIENT');
      expectRefusal(await submit(server.app, noiVu, envelope([{ sha256: theirs }])), 403, 'SERVER_SENDER_MISMATCH');
      const huge = envelope([{ sha256: theirs }], [NOI_VU], { metadata: { subject: 'x', description: 'y'.repeat(2 * 1024 * 1024) } });
      expectRefusal(await submit(server.app, caoBang, huge), 413, 'SERVER_PAYLOAD_TOO_LARGE');
      expectRefusal(await submit(server.app, caoBang, envelope([{ sha256: theirs }], ['../H14'])), 400, 'SERVER_BAD_REQUEST');
    });

    it('answers an unknown route with a bilingual 404', async () => {
      expectRefusal(await inject({ method: 'GET', url: '/v1/nothing-here' }), 404, 'SERVER_ROUTE_NOT_FOUND');
    });
  });
});
