// Server test kit: a fresh SQLite file or PostgreSQL database per run, a seeded directory, token logins and signed PDFs.
import { createHash, randomUUID } from 'node:crypto';
import { PDFDocument, rgb } from '@cantoo/pdf-lib';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { CompiledQuery, Migrator, sql, type Compilable, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect } from 'vitest';
import { signPdf, type PdfSigningKey } from '../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom } from '../../../src/core/trust/index.js';
import { addAgency, buildServer, ephemeralReceiptKey, openServerDatabase, type ReceiptKey, type ServerConfig, type ServerDatabase } from '../../../src/server/index.js';
import { serverMigrations } from '../../../src/server/db/migrations/index.js';
import type { ServerSchema } from '../../../src/server/db/schema.js';
import type { VerificationSettings } from '../../../src/server/messages/verifier.js';
import { authSignedText, type AuthAlgorithm, type ErrorBody } from '../../../src/shared/exchange-protocol.js';
import type { SignatureAlgorithm } from '../../../src/shared/token.js';
import { freshDatabaseUrl } from '../../kit/fresh-database.js';
import type { PkiManifest } from '../../kit/pki-manifest.js';
import { logoutAll, tokenSigningKey } from '../../kit/signing-key.js';
import { usePki } from '../../kit/pki.js';
import { fixture } from '../../kit/pdf-tools.js';

export const ORIGIN = 'https://exchange.caobang.test';
export const CAO_BANG = '000.00.00.H14';
export const NOI_VU = '000.00.01.H14';
export const VPCP = '000.00.18.G12';

export type Dialect = 'sqlite' | 'postgres';
export const DIALECTS: Dialect[] = ['sqlite', 'postgres'];
export { freshDatabaseUrl };

/** A clock tests can move forward. */
export class TestClock {
  offsetMs = 0;
  now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

export interface Keys {
  agency: PdfSigningKey;
  leader: PdfSigningKey;
  leaderEc: PdfSigningKey;
  spare: PdfSigningKey;
  revoked: PdfSigningKey;
}

/** The five test-PKI keys every exchange test uses, from the tokens (one login each). */
export async function testKeys(pki: PkiManifest): Promise<Keys> {
  return {
    agency: await tokenSigningKey(pki, 'VANTHU AGENCY', 'agency-rsa'),
    leader: await tokenSigningKey(pki, 'VANTHU LEADER', 'leader-rsa'),
    leaderEc: await tokenSigningKey(pki, 'VANTHU LEADER', 'leader-ec'),
    spare: await tokenSigningKey(pki, 'VANTHU SPARE', 'spare-rsa'),
    revoked: await tokenSigningKey(pki, 'VANTHU REVOKED', 'revoked-rsa'),
  };
}

/**
 * For a server test file: the test PKI, its keys and one PDF sealed by the agency (filled in before the file's
 * tests run), the token sessions closed after them.
 */
export function useSealedSetup(): { pki: PkiManifest; keys: Keys; sealed: Uint8Array } {
  const pki = usePki();
  const setup = { pki } as { pki: PkiManifest; keys: Keys; sealed: Uint8Array };
  beforeAll(async () => {
    setup.keys = await testKeys(pki);
    setup.sealed = (await signPdf(fixture('classic-xref.pdf'), setup.keys.agency, {})).bytes;
  });
  afterAll(async () => {
    await logoutAll();
    await finalizeAllModules();
  });
  return setup;
}

/**
 * A server on `dialect` for a describe block, as most server tests need it: UBND tỉnh Cao Bằng and Sở Nội vụ logged in
 * (their tokens) and the sealed PDF uploaded by Cao Bằng (its hash). Filled in by beforeAll, closed by afterAll.
 */
export function useSealedServer(setup: ReturnType<typeof useSealedSetup>, dialect: Dialect): { server: TestServer; caoBang: string; noiVu: string; file: string } {
  const state = {} as { server: TestServer; caoBang: string; noiVu: string; file: string };
  beforeAll(async () => {
    state.server = await startTestServer(setup.pki, setup.keys, dialect);
    state.caoBang = await login(state.server.app, setup.keys.agency);
    state.noiVu = await login(state.server.app, setup.keys.spare);
    state.file = await upload(state.server.app, state.caoBang, setup.sealed);
  });
  afterAll(async () => {
    await state.server?.close();
  });
  return state;
}

export interface TestServer {
  app: FastifyInstance;
  url: string;
  database: ServerDatabase;
  clock: TestClock;
  receiptKey: ReceiptKey;
  close: () => Promise<void>;
}

/**
 * The province in miniature: UBND tỉnh Cao Bằng (agency certificate; the leader's EC certificate as a person),
 * Sở Nội vụ under it (the spare certificate as its agency certificate) and Văn phòng Chính phủ (no certificate).
 */
export async function startTestServer(pki: PkiManifest, keys: Keys, dialect: Dialect, options: {
    requestsPerMinute?: number;
    logger?: Record<string, unknown>;
    verification?: VerificationSettings;
    /** Held by the caller, which may change it while the server runs (a responder going down or coming back). */
    revocation?: { online: boolean; requireKnown: boolean; timeoutMs?: number };
    pendingCheckMs?: number;
    pendingRecheck?: ServerConfig['pendingRecheck'];
    metrics?: ServerConfig['metrics'];
  } = {},
): Promise<TestServer> {
  const { url, drop } = await freshDatabaseUrl(dialect);
  const database = await openServerDatabase(url);
  await addAgency(database.db, { organId: CAO_BANG, name: 'UBND tỉnh Cao Bằng', certificates: [keys.agency.certificate], personCertificates: [keys.leaderEc.certificate] });
  await addAgency(database.db, { organId: NOI_VU, name: 'Sở Nội vụ tỉnh Cao Bằng', parent: CAO_BANG, certificates: [keys.spare.certificate] });
  await addAgency(database.db, { organId: VPCP, name: 'Văn phòng Chính phủ' });
  const clock = new TestClock();
  const receiptKey = ephemeralReceiptKey();
  const app = await buildServer({
    database,
    trust: await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] }),
    origin: ORIGIN,
    receiptKey,
    clock: clock.now,
    revocation: options.revocation ?? { online: true, requireKnown: true, timeoutMs: 5000 },
    limits: { requestsPerMinute: options.requestsPerMinute ?? 100_000 },
    ...(options.pendingCheckMs !== undefined ? { pendingCheckMs: options.pendingCheckMs } : {}),
    ...(options.pendingRecheck ? { pendingRecheck: options.pendingRecheck } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    logger: options.logger ?? false,
    ...(options.verification ? { verification: options.verification } : {}),
  });
  return {
    app,
    url,
    database,
    clock,
    receiptKey,
    close: async () => {
      await app.close();
      await database.close();
      await drop();
    },
  };
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** What the client sends to /v1/auth/token, signed by the token (the private key never leaves it). */
export async function signedLogin(key: PdfSigningKey, nonce: string, algorithm: AuthAlgorithm, origin = ORIGIN): Promise<Record<string, unknown>> {
  const signature = await key.signer.sign(new TextEncoder().encode(authSignedText(origin, nonce)), algorithm as SignatureAlgorithm);
  return { certificateChain: [b64(key.certificate), ...key.chain.map(b64)], algorithm, signature: b64(signature), nonce };
}

export async function challenge(app: FastifyInstance): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/v1/auth/challenge' });
  expect(response.statusCode).toBe(200);
  return response.json<{ nonce: string }>().nonce;
}

export async function login(app: FastifyInstance, key: PdfSigningKey, algorithm: AuthAlgorithm = { name: key.keyType === 'ec' ? 'ECDSA' : 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/v1/auth/token', payload: await signedLogin(key, await challenge(app), algorithm) });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{ token: string }>().token;
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export async function upload(app: FastifyInstance, token: string, bytes: Uint8Array): Promise<string> {
  const hash = sha256(bytes);
  const response = await app.inject({ method: 'PUT', url: `/v1/blobs/${hash}`, headers: { ...bearer(token), 'content-type': 'application/octet-stream' }, payload: Buffer.from(bytes) });
  expect([200, 201], response.body).toContain(response.statusCode);
  return hash;
}

export function envelope(files: { sha256: string; role?: 'main' | 'appendix' | 'attachment'; name?: string }[], recipients: string[] = [NOI_VU], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sender: CAO_BANG,
    recipients,
    type: 'new',
    metadata: { subject: 'Về việc triển khai văn bản điện tử', codeNumber: '05', codeNotation: 'UBND-VP', typeName: 'Công văn', issuedDate: '2026-01-05', priority: 0 },
    files: files.map((f, i) => ({ sha256: f.sha256, role: f.role ?? (i === 0 ? 'main' : 'attachment'), name: f.name ?? `file-${i}.pdf` })),
    ...overrides,
  };
}

export async function submit(app: FastifyInstance, token: string, body: unknown, id: string = randomUUID()): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/v1/messages', headers: { ...bearer(token), 'idempotency-key': id }, payload: body as Record<string, unknown> });
}

/** The refusal has the code asked for, and says it in Vietnamese and in English. */
export function expectRefusal(response: LightMyRequestResponse, status: number, code: string): ErrorBody {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json<ErrorBody>();
  expect(body.error.code).toBe(code);
  expect(body.error.messageVi.length).toBeGreaterThan(5);
  expect(body.error.messageEn.length).toBeGreaterThan(5);
  expect(body.error.messageVi).not.toBe(body.error.messageEn);
  return body;
}

/** The same PDF with one more revision that draws on the page: content changed after the last signature. */
export async function withContentAddedAfterSigning(signed: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.load(signed, { forIncrementalUpdate: true, updateMetadata: false });
  const snapshot = doc.takeSnapshot();
  const page = doc.getPage(0);
  snapshot.markRefForSave(page.ref);
  page.drawText('SỬA ĐỔI', { x: 50, y: 50, size: 20, color: rgb(1, 0, 0) });
  return new Uint8Array([...signed, ...(await doc.saveIncremental(snapshot))]);
}

/**
 * A fresh database of `dialect` migrated up to `migration` only, for a test of the next migrations: `body` writes rows
 * as they were then, calls `migrateToLatest`, and looks. Dropped after.
 */
export async function fromMigration(dialect: Dialect, migration: string, body: (database: ServerDatabase, migrateToLatest: () => Promise<void>) => Promise<void>): Promise<void> {
  const { url, drop } = await freshDatabaseUrl(dialect);
  const database = await openServerDatabase(url, { migrate: false });
  try {
    const migrator = new Migrator({ db: database.db, provider: serverMigrations(dialect), migrationTableName: 'server_migrations', migrationLockTableName: 'server_migrations_lock' });
    expect((await migrator.migrateTo(migration)).error).toBeUndefined();
    await body(database, async () => expect((await migrator.migrateToLatest()).error).toBeUndefined());
  } finally {
    await database.close();
    await drop();
  }
}

/**
 * The database's plan for `query`. These tables are tiny here, and a tiny table is read whole whatever its indexes:
 * PostgreSQL is told not to, so a sequential scan left in its plan means no index could answer.
 */
export async function planOf(db: Kysely<ServerSchema>, dialect: Dialect, query: Compilable): Promise<string> {
  const compiled = query.compile();
  return db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') await sql`set local enable_seqscan = off`.execute(trx);
    const explain = dialect === 'postgres' ? 'explain' : 'explain query plan';
    const { rows } = await trx.executeQuery(CompiledQuery.raw(`${explain} ${compiled.sql}`, [...compiled.parameters]));
    return JSON.stringify(rows);
  });
}
