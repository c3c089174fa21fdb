// Certificates recognised by CA + subject rule (`vanthu server agency bind`): renewed certificates log in and seal without a new binding.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf } from '../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom } from '../../../src/core/trust/index.js';
import { addAgency, buildServer, ephemeralReceiptKey, openServerDatabase, type ServerDatabase } from '../../../src/server/index.js';
import type { FastifyInstance } from 'fastify';
import { runVanthu } from '../../kit/cli.js';
import { fixture } from '../../kit/pdf-tools.js';
import { usePki } from '../../kit/pki.js';
import { logoutAll, tokenSigningKey } from '../../kit/signing-key.js';
import type { PdfSigningKey } from '../../../src/core/signing/index.js';
import { CAO_BANG, DIALECTS, NOI_VU, ORIGIN, bearer, challenge, envelope, expectRefusal, freshDatabaseUrl, login, signedLogin, submit, upload } from './kit.js';

const pki = usePki();
let agency: PdfSigningKey;
let leader: PdfSigningKey;
let spare: PdfSigningKey;
let sealed: Uint8Array;
let leaderOnly: Uint8Array;

beforeAll(async () => {
  agency = await tokenSigningKey(pki, 'VANTHU AGENCY', 'agency-rsa');
  leader = await tokenSigningKey(pki, 'VANTHU LEADER', 'leader-rsa');
  spare = await tokenSigningKey(pki, 'VANTHU SPARE', 'spare-rsa');
  sealed = (await signPdf(fixture('classic-xref.pdf'), agency, {})).bytes;
  leaderOnly = (await signPdf(fixture('xref-stream.pdf'), leader, {})).bytes;
});
afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

describe.each(DIALECTS)('certificate rules on %s', (dialect) => {
  let database: ServerDatabase;
  let app: FastifyInstance;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabaseUrl(dialect);
    drop = fresh.drop;
    database = await openServerDatabase(fresh.url);
    await addAgency(database.db, { organId: CAO_BANG, name: 'UBND tỉnh Cao Bằng' });
    await addAgency(database.db, { organId: NOI_VU, name: 'Sở Nội vụ', parent: CAO_BANG });
    const bind = (organId: string, subject: string, role: string) =>
      runVanthu(['server', 'agency', 'bind', '--db', fresh.url, '--organ-id', organId, '--issuer-cert', pki.subCaPem, '--subject', subject, '--role', role]);
    const seal = await bind(CAO_BANG, 'UID=MST:4800123456', 'agency');
    expect(seal.code, seal.stderr).toBe(0);
    expect(seal.stdout).toContain('UID=MST:4800123456');
    expect((await bind(CAO_BANG, 'CN=Nguyễn Thị Hồng Nhung', 'person')).code).toBe(0);
    const taken = await bind(NOI_VU, 'UID=MST:4800123456', 'agency');
    expect(taken.code).toBe(1);
    expect((await bind(NOI_VU, 'UID=MST:4800123456', 'boss')).code).toBe(2);
    app = await buildServer({ database, trust: await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] }), origin: ORIGIN, receiptKey: ephemeralReceiptKey() });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    await drop?.();
  });

  it('logs in the agency and the leader by rule, and refuses a certificate no rule matches', async () => {
    expect(await login(app, agency)).toBeTruthy();
    expect(await login(app, leader)).toBeTruthy();
    const payload = await signedLogin(spare, await challenge(app), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' });
    expectRefusal(await app.inject({ method: 'POST', url: '/v1/auth/token', payload }), 403, 'SERVER_CERT_NOT_BOUND');
  });

  it('accepts a PDF sealed by a certificate the agency rule matches, not one signed only by a person', async () => {
    const token = await login(app, agency);
    const accepted = await submit(app, token, envelope([{ sha256: await upload(app, token, sealed) }]), randomUUID());
    expect(accepted.statusCode, accepted.body).toBe(201);
    const refused = await submit(app, token, envelope([{ sha256: await upload(app, token, leaderOnly) }]), randomUUID());
    expect(expectRefusal(refused, 422, 'SERVER_SUBMISSION_INVALID').reasons?.map((r) => r.code)).toContain('SERVER_PDF_NOT_SIGNED_BY_SENDER');
  });

  it('ends the sessions of a rule that is removed', async () => {
    const token = await login(app, agency);
    expect((await app.inject({ method: 'GET', url: '/v1/inbox', headers: bearer(token) })).statusCode).toBe(200);
    await database.db.deleteFrom('certificate_rules').where('subject_value', '=', 'MST:4800123456').execute();
    expectRefusal(await app.inject({ method: 'GET', url: '/v1/inbox', headers: bearer(token) }), 401, 'SERVER_UNAUTHENTICATED');
  });
});
