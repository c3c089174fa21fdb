// A real OCSP outage for the whole send: a seal whose only revocation source is an `openssl ocsp` responder that is not running; nothing is refused or returned, and every document ends accepted and stored once the responder is back.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OID } from '../../../src/core/cms/oids.js';
import { ExchangeClient, pullInbox } from '../../../src/core/exchange/index.js';
import { open } from '../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom } from '../../../src/core/trust/index.js';
import { addCertificateRule } from '../../../src/server/index.js';
import { startOcspService, type OcspService } from '../../kit/ocsp-service.js';
import { fixture } from '../../kit/pdf-tools.js';
import { logoutAll } from '../../kit/signing-key.js';
import { algorithm, signPdfWith, softCms, type SoftKey } from '../../kit/soft-cms.js';
import { ownOcspSeals } from '../core/exchange/own-ocsp-seals.js';
import { closedPort, readDer, scratchDir, testCerts } from '../core/trust/kit.js';
import { bearer, CAO_BANG, envelope, login, ORIGIN, startTestServer, submit, testKeys, upload, type Keys, type TestServer } from './kit.js';

const t = testCerts();
const SEAL_NAME = 'Con dau UBND tinh Cao Bang (OCSP rieng)';
let keys: Keys;
let server: TestServer;
let port: number;
let index: string;
let responder: OcspService | undefined;
let seal: SoftKey;
let sealSerial: string;
const dir = scratchDir();

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  keys = await testKeys(t.pki);
  port = await closedPort();
  // Only OCSP, at a port where nothing answers yet: no CRL to fall back on.
  const own = ownOcspSeals(t.pki, dir, port, [SEAL_NAME]);
  index = own.index;
  seal = own.seals[0]!.soft;
  sealSerial = own.seals[0]!.serial;

  server = await startTestServer(t.pki, keys, 'sqlite', { revocation: { online: true, requireKnown: false, timeoutMs: 2_000 }, pendingCheckMs: 100 });
  // The seal is the sender's: recognised by the directory's rule on its issuer and name.
  await addCertificateRule(server.database.db, { organId: CAO_BANG, role: 'agency', issuerCertificate: readDer(t.pki.subCaDer), subject: `CN=${SEAL_NAME}` });
}, 60_000);

afterAll(async () => {
  await responder?.stop();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
  await logoutAll();
  await finalizeAllModules();
});

describe('OCSP responder down for the whole send', () => {
  it('holds every submission (never refused), then accepts them all once the responder is back; the recipient stores each, none returned', async () => {
    const token = await login(server.app, keys.agency);
    const sign = (signed: Uint8Array) => softCms(signed, { key: seal, hash: 'sha256', signatureAlgorithm: algorithm(OID.ecdsaWithSha256), signing: { dsaEncoding: 'der' } });
    const ids: string[] = [];
    for (const name of ['classic-xref.pdf', 'xref-stream.pdf', 'object-streams.pdf']) {
      const bytes = await signPdfWith(fixture(name), sign);
      const id = randomUUID();
      const answer = await submit(server.app, token, envelope([{ sha256: await upload(server.app, token, bytes) }]), id);
      expect(answer.statusCode, answer.body).toBe(202);
      expect(answer.json()).toMatchObject({ state: 'pending', reasons: expect.arrayContaining([expect.objectContaining({ code: 'REVOCATION_UNKNOWN' })]) as unknown });
      ids.push(id);
    }
    const state = async (id: string): Promise<string> => (await server.app.inject({ method: 'GET', url: `/v1/messages/${id}`, headers: bearer(token) })).json<{ state: string }>().state;

    // Due while still down: checked again for real (the responder refuses the connection), still pending.
    server.clock.advance(31);
    await until('a re-check while down', async () => {
      const rows = await server.database.db.selectFrom('pending_submissions').select(['attempts', 'state']).execute();
      return rows.length === 3 && rows.every((r) => r.attempts >= 1);
    });
    expect(await Promise.all(ids.map(state))).toEqual(['pending', 'pending', 'pending']);

    // The responder comes back on its address: the next due re-check accepts every one.
    responder = await startOcspService(t.pki, { port, index });
    server.clock.advance(120);
    await until('all accepted', async () => (await Promise.all(ids.map(state))).every((s) => s === 'accepted'));
    // The answer is kept in the server's database for the next files of this seal.
    const kept = await server.database.db.selectFrom('revocation_cache').select('kind').where('subject', '=', sealSerial).execute();
    expect(kept.map((k) => k.kind)).toEqual(['ocsp']);

    const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
    const recipientDir = mkdtempSync(path.join(tmpdir(), 'vanthu-responder-down-'));
    const store = open(recipientDir);
    try {
      const recipient = new ExchangeClient({ serverUrl: url, origin: ORIGIN, loginKey: () => keys.spare });
      const pulled = await pullInbox(recipient, store, { trust: await trustStoreFrom({ pemOrDerFiles: [t.pki.rootPem] }), online: true, autoReply: 'accepted' });
      expect(pulled.rejected).toEqual([]);
      expect(pulled.held).toEqual([]);
      expect(pulled.stored.map((d) => d.messageId).sort()).toEqual([...ids].sort());
      // The recipient kept the responder's answer too: one fetch served all three files.
      expect(store.db.prepare<[], number>("SELECT count(*) FROM revocation_cache WHERE kind = 'ocsp'").pluck().get()).toBe(1);
    } finally {
      store.close();
      rmSync(recipientDir, { recursive: true, force: true });
    }
    for (const id of ids) expect(await state(id)).toBe('accepted');
  });
});
