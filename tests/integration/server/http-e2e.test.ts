// End to end over real HTTP on loopback: `vanthu server agency add`, `vanthu server` as a child process, a client's login,
// upload, submission and inbox with fetch, kill -9 after an accepted submission and in the middle of many, restart, and `vanthu server audit verify`.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PdfSigningKey } from '../../../src/core/signing/index.js';
import { signPdf, upgradeSignatures } from '../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom } from '../../../src/core/trust/index.js';
import type { ErrorBody, InboxItem, SignedReceipt } from '../../../src/shared/exchange-protocol.js';
import { openServerDatabase, verifyAuditLog } from '../../../src/server/index.js';
import { runVanthu } from '../../kit/cli.js';
import { startFakeTsa } from '../../kit/fake-tsa.js';
import { fixture } from '../../kit/pdf-tools.js';
import { usePki } from '../../kit/pki.js';
import { logoutAll, tokenSigningKey } from '../../kit/signing-key.js';
import { CAO_BANG, DIALECTS, NOI_VU, ORIGIN, envelope, freshDatabaseUrl, sha256, signedLogin } from './kit.js';

const pki = usePki();
let agency: PdfSigningKey;
let spare: PdfSigningKey;
let sealed: Uint8Array;
/** The same sealed at B-LTA: its revocation data is in the file, so the server asks no OCSP responder while checking it. */
let archived: Uint8Array;
const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-e2e-'));
const pem = (name: string, der: Uint8Array): string => {
  const file = path.join(dir, name);
  writeFileSync(file, `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`);
  return file;
};

beforeAll(async () => {
  agency = await tokenSigningKey(pki, 'VANTHU AGENCY', 'agency-rsa');
  spare = await tokenSigningKey(pki, 'VANTHU SPARE', 'spare-rsa');
  sealed = (await signPdf(fixture('classic-xref.pdf'), agency, {})).bytes;
  const tsa = await startFakeTsa(pki);
  try {
    archived = await upgradeSignatures(sealed, 'B-LTA', { tsaUrl: tsa.url, trust: await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] }) });
  } finally {
    await tsa.close();
  }
});
afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

interface Running {
  child: ChildProcess;
  base: string;
  exited: Promise<number | null>;
}

/** Starts `vanthu server` on a free port and waits for its "listening" line. */
function startServer(db: string, receiptKey?: string): Promise<Running> {
  const keyOption = receiptKey ? ['--receipt-key', receiptKey] : [];
  const child = spawn(process.execPath, ['bin/vanthu.mjs', 'server', '--db', db, '--port', '0', '--host', '127.0.0.1', '--no-bundled-trust', '--trust', pki.rootPem, '--origin', ORIGIN, ...keyOption], {
    env: { ...process.env, VANTHU_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /(http:\/\/127\.0\.0\.1:\d+) /.exec(out);
      if (match) resolve({ child, base: match[1]!, exited });
    });
    void exited.then((code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
}

const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

async function loginOverHttp(base: string, key: PdfSigningKey): Promise<string> {
  const { nonce } = await json<{ nonce: string }>(await fetch(`${base}/v1/auth/challenge`, { method: 'POST' }));
  const response = await fetch(`${base}/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(await signedLogin(key, nonce, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' })) });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await json<{ token: string }>(response)).token;
}

describe.each(DIALECTS)('vanthu server on %s over loopback HTTP', (dialect) => {
  let url: string;
  let drop: () => Promise<void>;
  let receiptKey: string;

  beforeAll(async () => {
    ({ url, drop } = await freshDatabaseUrl(dialect));
    receiptKey = path.join(dir, `receipt-${dialect}.pem`);
    const { privateKey } = dialect === 'sqlite' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(receiptKey, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  });
  afterAll(async () => {
    await drop?.();
  });

  it('administers the directory from the command line', async () => {
    const bad = await runVanthu(['server', 'agency', 'add', '--db', url, '--organ-id', 'H14/../x', '--name', 'UBND', '--cert', pem('agency.pem', agency.certificate)]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('H14/../x');
    expect(bad.stderr).toContain('không dùng được');
    const add = await runVanthu(['server', 'agency', 'add', '--db', url, '--organ-id', CAO_BANG, '--name', 'UBND tỉnh Cao Bằng', '--cert', pem('agency.pem', agency.certificate), '--json']);
    expect(add.code, add.stderr + add.stdout).toBe(0);
    expect(JSON.parse(add.stdout).agency.certificates[0]).toMatchObject({ role: 'agency', subject: 'UBND tỉnh Cao Bằng' });
    const child = await runVanthu(['server', 'agency', 'add', '--db', url, '--organ-id', NOI_VU, '--name', 'Sở Nội vụ', '--parent', CAO_BANG, '--cert', pem('spare.pem', spare.certificate)]);
    expect(child.code, child.stderr).toBe(0);
    const again = await runVanthu(['server', 'agency', 'add', '--db', url, '--organ-id', NOI_VU, '--name', 'Sở Nội vụ']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already in the directory');
    const temp = await runVanthu(['server', 'agency', 'add', '--db', url, '--organ-id', '000.00.99.H14', '--name', 'Tạm']);
    expect(temp.code).toBe(0);
    expect((await runVanthu(['server', 'agency', 'remove', '--db', url, '--organ-id', CAO_BANG])).code).toBe(1);
    expect((await runVanthu(['server', 'agency', 'remove', '--db', url, '--organ-id', '000.00.99.H14'])).code).toBe(0);
    const list = await runVanthu(['server', 'agency', 'list', '--db', url, '--json']);
    expect(JSON.parse(list.stdout).agencies.map((a: { organId: string; parent: string | null }) => [a.organId, a.parent])).toEqual([[CAO_BANG, null], [NOI_VU, CAO_BANG]]);
  });

  it('serves a client end to end, keeps an acknowledged submission through kill -9, and stops cleanly on SIGTERM', async () => {
    let server = await startServer(url, receiptKey);
    try {
      const security = await fetch(`${server.base}/v1/inbox`);
      expect(security.status).toBe(401);
      expect(security.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await json<ErrorBody>(security)).error.code).toBe('SERVER_UNAUTHENTICATED');

      const caoBang = await loginOverHttp(server.base, agency);
      const auth = { authorization: `Bearer ${caoBang}` };
      const hash = sha256(sealed);
      const put = await fetch(`${server.base}/v1/blobs/${hash}`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/octet-stream' }, body: Buffer.from(sealed) });
      expect(put.status, await put.clone().text()).toBe(201);
      const id = randomUUID();
      const submitted = await fetch(`${server.base}/v1/messages`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': id }, body: JSON.stringify(envelope([{ sha256: hash }])) });
      expect(submitted.status, await submitted.clone().text()).toBe(201);
      const receipt = await json<SignedReceipt>(submitted);
      expect(receipt.algorithm).toBe(dialect === 'sqlite' ? 'Ed25519' : 'ECDSA-SHA256');

      // The receipt is out: the server dies at once, without any chance to flush.
      server.child.kill('SIGKILL');
      await server.exited;
      server = await startServer(url, receiptKey);
      const noiVu = await loginOverHttp(server.base, spare);
      const inbox = await json<{ items: InboxItem[] }>(await fetch(`${server.base}/v1/inbox`, { headers: { authorization: `Bearer ${noiVu}` } }));
      expect(inbox.items.map((i) => i.messageId), JSON.stringify(inbox)).toEqual([id]);
      expect(inbox.items[0]!.receipt).toEqual(receipt);
      const download = await fetch(`${server.base}/v1/blobs/${hash}`, { headers: { authorization: `Bearer ${noiVu}` } });
      expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(hash);
      const ack = await fetch(`${server.base}/v1/inbox/ack`, { method: 'POST', headers: { authorization: `Bearer ${noiVu}`, 'content-type': 'application/json' }, body: JSON.stringify({ messageIds: [id] }) });
      expect(await json(ack)).toEqual({ acked: 1 });
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
    const audit = await runVanthu(['server', 'audit', 'verify', '--db', url, '--json']);
    expect(audit.code, audit.stderr).toBe(0);
    expect(JSON.parse(audit.stdout)).toMatchObject({ ok: true, entries: 3 });
    // Two server starts and a CLI run, each compiling TypeScript first: past 30 s on a busy machine.
  }, 90_000);

  it('loses nothing it acknowledged when killed -9 in the middle of many concurrent submissions', async () => {
    let server = await startServer(url, receiptKey);
    const ids = Array.from({ length: 32 }, () => randomUUID());
    // B-LTA files: killing a server with OCSP requests in flight would leave the test PKI's one-at-a-time responder
    // (shared by every test file of the run) stalling on their connections, slowing the other files' logins.
    const bodyOf = (i: number): string => JSON.stringify(envelope([{ sha256: sha256(archived) }], undefined, { metadata: { subject: `Văn bản số ${i} gửi lúc máy chủ sập` } }));
    const acknowledged = new Map<string, SignedReceipt>();
    const refused: string[] = [];
    try {
      const token = await loginOverHttp(server.base, agency);
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
      const put = await fetch(`${server.base}/v1/blobs/${sha256(archived)}`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/octet-stream' }, body: Buffer.from(archived) });
      expect([200, 201]).toContain(put.status);
      const current = server;
      await Promise.all(
        ids.map(async (id, i) => {
          try {
            const response = await fetch(`${current.base}/v1/messages`, { method: 'POST', headers: { ...headers, 'idempotency-key': id }, body: bodyOf(i) });
            if (response.status !== 201) {
              refused.push(`${response.status} ${await response.text()}`);
              return;
            }
            acknowledged.set(id, await json<SignedReceipt>(response));
            // Killed without warning once the first receipts are out (answers leave in groups, one log fsync each), with
            // the other submissions somewhere in verification or commit.
            if (acknowledged.size === 1) current.child.kill('SIGKILL');
          } catch {
            // Cut by the kill: not acknowledged, so the client will send it again.
          }
        }),
      );
      // Should every submission have been answered before the first receipt arrived, the kill comes now and the checks below say so.
      current.child.kill('SIGKILL');
      await current.exited;
      expect(refused).toEqual([]);
      expect(acknowledged.size).toBeGreaterThanOrEqual(1);
      expect(acknowledged.size, 'the kill came before every submission was answered').toBeLessThan(ids.length);

      server = await startServer(url, receiptKey);
      const again = await loginOverHttp(server.base, agency);
      for (const [id, receipt] of acknowledged) {
        const stored = await fetch(`${server.base}/v1/messages/${id}`, { headers: { authorization: `Bearer ${again}` } });
        expect(stored.status, id).toBe(200);
        expect((await json<{ receipt: SignedReceipt }>(stored)).receipt).toEqual(receipt);
      }
      // The client resends what it has no receipt for, under the same key: each is then stored exactly once.
      const resent = await Promise.all(
        ids.flatMap((id, i) => (acknowledged.has(id) ? [] : [fetch(`${server.base}/v1/messages`, { method: 'POST', headers: { authorization: `Bearer ${again}`, 'content-type': 'application/json', 'idempotency-key': id }, body: bodyOf(i) })])),
      );
      expect(resent.map((r) => r.status).filter((status) => status !== 200 && status !== 201)).toEqual([]);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const database = await openServerDatabase(url);
    try {
      const rows = await database.db.selectFrom('messages').select('id').where('id', 'in', ids).execute();
      expect(rows.length).toBe(ids.length);
      const deliveries = await database.db.selectFrom('deliveries').select('message_id').where('message_id', 'in', ids).execute();
      expect(deliveries.length).toBe(ids.length);
      expect(await verifyAuditLog(database.db)).toMatchObject({ ok: true });
    } finally {
      await database.close();
    }
    // Two server starts, sixteen signature checks with an OCSP request each, and their resends: slow on a busy machine.
  }, 240_000);
});

describe('graceful shutdown', () => {
  it('finishes an upload in flight when SIGTERM arrives, then exits 0', async () => {
    const { url, drop } = await freshDatabaseUrl('sqlite');
    try {
      expect((await runVanthu(['server', 'agency', 'add', '--db', url, '--organ-id', CAO_BANG, '--name', 'UBND tỉnh Cao Bằng', '--cert', pem('agency.pem', agency.certificate)])).code).toBe(0);
      // No --receipt-key: the embedded default makes one beside the SQLite file.
      const server = await startServer(url);
      const token = await loginOverHttp(server.base, agency);
      const hash = sha256(sealed);
      const answer = new Promise<number>((resolve, reject) => {
        const request = http.request(`${server.base}/v1/blobs/${hash}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': sealed.length } }, (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        });
        request.on('error', reject);
        request.write(Buffer.from(sealed.subarray(0, 1000)));
        // Half the body is on the wire when the stop signal comes; the rest follows.
        setTimeout(() => server.child.kill('SIGTERM'), 200);
        setTimeout(() => request.end(Buffer.from(sealed.subarray(1000))), 400);
      });
      expect(await answer).toBe(201);
      expect(await server.exited).toBe(0);
      const database = await openServerDatabase(url);
      try {
        expect(await database.db.selectFrom('blobs').select('size').where('sha256', '=', hash).executeTakeFirst()).toEqual({ size: sealed.length });
      } finally {
        await database.close();
      }
    } finally {
      await drop();
    }
  });
});
