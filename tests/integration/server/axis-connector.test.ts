// The exchange server's connector to the national axis, end to end against the axis EMULATOR (tests/kit/axis-emulator.ts) on SQLite and PostgreSQL:
// a document to an agency known only to the axis goes out once and its 01/03 come back; a package from the axis lands in the inbox once through axis faults and a restart; the secret never shows.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEdxml, parseEdxml, statusToEdxml } from '../../../src/core/edxml/index.js';
import { signPdf } from '../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom } from '../../../src/core/trust/index.js';
import { parseCertificate } from '../../../src/core/x509/certificate-info.js';
import { AxisConnector, ephemeralReceiptKey, openServerDatabase, resolveConfig, type AxisConnectorOptions, type ResolvedConfig, type ServerDatabase } from '../../../src/server/index.js';
import type { InboxItem } from '../../../src/shared/exchange-protocol.js';
import { AxisEmulator } from '../../kit/axis-emulator.js';
import { documentXml } from '../../kit/edxml-fixtures.js';
import { fixture } from '../../kit/pdf-tools.js';
import { usePki } from '../../kit/pki.js';
import { logoutAll } from '../../kit/signing-key.js';
import { CAO_BANG, DIALECTS, NOI_VU, ORIGIN, bearer, envelope, login, sha256, startTestServer, submit, testKeys, upload, type Keys, type TestServer } from './kit.js';

const pki = usePki();
let keys: Keys;
let agencyPdf: Uint8Array;
let remotePdf: Uint8Array;
/** An agency the axis knows and this server does not (the pattern the exchange carries). */
const REMOTE = '000.00.05.H17';
const REMOTE_SYSTEM = 'vxp.test.backan';
const OUR_SYSTEM = 'vxp.test.vanthu';
const SECRET = `bi-mat-chung-${randomUUID()}`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  keys = await testKeys(pki);
  agencyPdf = (await signPdf(fixture('classic-xref.pdf'), keys.agency, {})).bytes;
  remotePdf = (await signPdf(fixture('xref-stream.pdf'), keys.leader, {})).bytes;
});
afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

describe.each(DIALECTS)('axis connector on %s', (dialect) => {
  let server: TestServer;
  let emulator: AxisEmulator;
  const logs: string[] = [];
  const connectors: AxisConnector[] = [];
  const databases: ServerDatabase[] = [];

  async function configOn(database: ServerDatabase): Promise<ResolvedConfig> {
    return resolveConfig({ database, trust: await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] }), origin: ORIGIN, receiptKey: ephemeralReceiptKey(), clock: () => new Date(), revocation: { online: true, requireKnown: true } });
  }
  function connectorOn(config: ResolvedConfig, overrides: Partial<AxisConnectorOptions> = {}): AxisConnector {
    const connector = new AxisConnector(config, {
      endpoint: emulator.url,
      systemId: OUR_SYSTEM,
      secret: SECRET,
      retries: 2,
      backoffMs: 5,
      sendBackoffMs: 10,
      log: (level, message, fields) => logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`),
      ...overrides,
    });
    connectors.push(connector);
    return connector;
  }

  beforeAll(async () => {
    server = await startTestServer(pki, keys, dialect);
    emulator = new AxisEmulator(new Map([[OUR_SYSTEM, SECRET], [REMOTE_SYSTEM, 'remote-secret']]));
    await emulator.start();
    emulator.agencies.push(
      { code: REMOTE, name: 'UBND tỉnh Bắc Kạn', system: REMOTE_SYSTEM },
      { code: CAO_BANG, name: 'UBND tỉnh Cao Bằng', system: OUR_SYSTEM },
      { code: NOI_VU, name: 'Sở Nội vụ tỉnh Cao Bằng', system: OUR_SYSTEM },
      { code: 'vxp.saas.03', name: 'Trung tâm kết nối', system: REMOTE_SYSTEM },
      { code: '../000.00.00.H14', name: 'Mã không an toàn', system: REMOTE_SYSTEM },
    );
  });
  afterAll(async () => {
    for (const connector of connectors) await connector.stop();
    for (const database of databases) await database.close();
    await emulator?.close();
    await server?.close();
  });

  it('fills the directory from the axis, sends a document to an agency known only there once through send faults, and takes its 01 and 03 back', async () => {
    const connector = connectorOn(await configOn(server.database));
    // Organ ids as they occur (a connecting centre's vxp.saas.03 too) are taken; only an unsafe one is skipped.
    expect(await connector.syncDirectory()).toEqual({ added: 2, updated: 0, skipped: 1 });
    expect((await server.database.db.selectFrom('axis_agencies').select('organ_id').execute()).map((r) => r.organ_id).sort()).toEqual([REMOTE, 'vxp.saas.03'].sort());

    const caoBang = await login(server.app, keys.agency);
    const file = await upload(server.app, caoBang, agencyPdf);
    const messageId = randomUUID();
    const body = envelope([{ sha256: file, name: 'Cong van 11.pdf' }], [REMOTE, NOI_VU], { metadata: { subject: 'Gửi Bắc Kạn qua Trục', codeNumber: '11', codeNotation: 'UBND-VP', issuedDate: '2026-01-11' } });
    expect((await submit(server.app, caoBang, body, messageId)).statusCode).toBe(201);

    // The axis fails both attempts of the first round; the row waits and the next round sends it.
    emulator.failNext('sendEdoc', 'http500', 2);
    expect(await connector.round()).toMatchObject({ queued: 1, sent: 0, sendFailures: 1 });
    expect(await server.database.db.selectFrom('axis_outgoing').select(['state', 'attempts']).execute()).toEqual([{ state: 'pending', attempts: 1 }]);
    await sleep(30);
    expect(await connector.round()).toMatchObject({ queued: 0, sent: 1 });
    expect(await connector.round()).toMatchObject({ queued: 0, sent: 0 });
    const arrived = emulator.waiting(REMOTE_SYSTEM, 'edoc');
    expect(arrived).toHaveLength(1);
    const pkg = parseEdxml(arrived[0]!.bytes);
    expect(pkg.header.documentId).toBe(`${CAO_BANG},2026/01/11,11/UBND-VP`);
    expect(sha256(pkg.attachments[0]!.bytes)).toBe(sha256(agencyPdf));

    // The remote agency's software answers 01 then 03.
    for (const code of ['01', '03']) {
      const status = statusToEdxml({ from: { organId: REMOTE, organName: 'UBND tỉnh Bắc Kạn' }, original: { sender: CAO_BANG, metadata: { subject: 'x', codeNumber: '11', codeNotation: 'UBND-VP', issuedDate: '2026-01-11' }, documentId: pkg.header.documentId }, code, at: new Date() });
      emulator.submit(REMOTE_SYSTEM, buildEdxml(status), 'status');
    }
    emulator.acknowledge(arrived[0]!.docId);
    expect(await connector.round()).toMatchObject({ imported: 2, refused: 0 });
    const delivery = await server.database.db.selectFrom('deliveries').select('status').where('message_id', '=', messageId).where('recipient', '=', REMOTE).executeTakeFirstOrThrow();
    expect(delivery.status).toBe('03');
    const events = await server.database.db.selectFrom('status_events').select(['code', 'by_organ']).where('message_id', '=', messageId).orderBy('seq').execute();
    expect(events).toEqual([{ code: '01', by_organ: REMOTE }, { code: '03', by_organ: REMOTE }]);
    expect(emulator.waiting(OUR_SYSTEM)).toHaveLength(0);
  });

  it('lands a package from the axis in the recipient’s inbox once, through axis faults and a restart, and answers it with our status', async () => {
    // The remote agency's seal is known here (bound by the administrator), so its documents pass the same checks.
    const info = parseCertificate(keys.leader.certificate);
    await server.database.db.insertInto('certificate_bindings').values({ cert_sha256: info.sha256, organ_id: REMOTE, role: 'agency', subject: info.subject.commonName ?? info.subject.text, not_after: info.notAfter, created_at: new Date().toISOString() }).execute();
    const incoming = documentXml({ from: REMOTE, to: [NOI_VU], documentId: 'f3b0c442-98fc-4c14-9afb-f4c8996fb924', subject: 'Văn bản từ Bắc Kạn qua Trục', attachments: [{ cid: 'cid:7', name: 'Cong van BK.pdf', bytes: remotePdf }] });
    emulator.submit(REMOTE_SYSTEM, new Uint8Array(Buffer.from(incoming, 'utf8')), 'edoc');
    const count = async (): Promise<number> => Number((await server.database.db.selectFrom('messages').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();

    const first = connectorOn(await configOn(server.database));
    // The download fails (both attempts): nothing imported, nothing acknowledged.
    emulator.failNext('getEdoc', 'http500', 2);
    await expect(first.round()).rejects.toMatchObject({ code: 'SERVER_AXIS_UNREACHABLE' });
    expect(await count()).toBe(before);
    // Imported, then the acknowledgement is lost (connection reset twice): the axis still lists it.
    emulator.failNext('updateStatus', 'reset', 2);
    await expect(first.round()).rejects.toMatchObject({ code: 'SERVER_AXIS_UNREACHABLE' });
    expect(await count()).toBe(before + 1);
    expect(emulator.waiting(OUR_SYSTEM, 'edoc')).toHaveLength(1);

    // The server restarts: a new connection and a new connector take it again, to no effect, and acknowledge it.
    await first.stop();
    const database = await openServerDatabase(server.url);
    databases.push(database);
    const second = connectorOn(await configOn(database));
    expect(await second.round()).toMatchObject({ imported: 1, refused: 0 });
    expect(await count()).toBe(before + 1);
    expect(emulator.waiting(OUR_SYSTEM)).toHaveLength(0);
    expect(await second.round()).toMatchObject({ imported: 0 });

    const noiVu = await login(server.app, keys.spare);
    const inbox = (await server.app.inject({ method: 'GET', url: '/v1/inbox', headers: bearer(noiVu) })).json<{ items: InboxItem[] }>();
    const landed = inbox.items.filter((i) => i.metadata.subject === 'Văn bản từ Bắc Kạn qua Trục');
    expect(landed).toHaveLength(1);
    expect(landed[0]!.sender).toBe(REMOTE);

    // Sở Nội vụ reports its arrival (01): the status goes to the axis as a status package answering the DocumentId it came with.
    const registered = await server.app.inject({ method: 'POST', url: `/v1/messages/${landed[0]!.messageId}/status`, headers: bearer(noiVu), payload: { code: '01', eventId: randomUUID() } });
    expect(registered.statusCode, registered.body).toBeLessThan(300);
    expect(await second.round()).toMatchObject({ queued: 1, sent: 1 });
    const statuses = emulator.waiting(REMOTE_SYSTEM, 'status');
    expect(statuses).toHaveLength(1);
    expect(statuses[0]!.from).toBe(NOI_VU);
    expect(Buffer.from(statuses[0]!.bytes).toString('utf8')).toContain('<edXML:DocumentId>f3b0c442-98fc-4c14-9afb-f4c8996fb924</edXML:DocumentId>');
  });

  it('signs every request with the shared secret and never shows it: a wrong secret is refused by the axis', async () => {
    expect(emulator.requests.filter((r) => r.system === OUR_SYSTEM).every((r) => r.macOk)).toBe(true);
    expect(emulator.requests.some((r) => JSON.stringify(r.headers).includes(SECRET))).toBe(false);
    expect(logs.some((line) => line.includes(SECRET))).toBe(false);
    const wrong = connectorOn(await configOn(server.database), { secret: 'not-the-secret' });
    await expect(wrong.syncDirectory()).rejects.toMatchObject({ code: 'SERVER_AXIS_REFUSED' });
    expect(emulator.requests.at(-1)).toMatchObject({ operation: 'getAgenciesList', macOk: false });
  });
});

describe('vanthu server with the axis connector', () => {
  it('connects when configured, fills its directory from the axis, stops cleanly, and prints no secret', async () => {
    const emulator = new AxisEmulator(new Map([[OUR_SYSTEM, SECRET]]));
    await emulator.start();
    emulator.agencies.push({ code: REMOTE, name: 'UBND tỉnh Bắc Kạn', system: REMOTE_SYSTEM });
    const url = `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'vanthu-axis-cli-')), 'exchange.db')}`;
    const child = spawn(process.execPath, ['bin/vanthu.mjs', 'server', '--db', url, '--port', '0', '--no-bundled-trust', '--trust', pki.rootPem, '--axis-endpoint', emulator.url, '--axis-system-id', OUR_SYSTEM, '--axis-poll-seconds', '1'], {
      env: { ...process.env, VANTHU_AXIS_SECRET: SECRET, VANTHU_LOG_LEVEL: 'info' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      for (let i = 0; i < 600 && !stderr.includes('axis directory synced'); i += 1) await sleep(100);
      expect(stdout).toContain(`axis connector on ${emulator.url} as ${OUR_SYSTEM}`);
      expect(stderr).toContain('axis directory synced');
      const database = await openServerDatabase(url);
      expect(await database.db.selectFrom('axis_agencies').select('organ_id').execute()).toEqual([{ organ_id: REMOTE }]);
      await database.close();
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await emulator.close();
    }
    expect(`${stdout}${stderr}`).not.toContain(SECRET);
    expect(emulator.requests.every((r) => r.macOk)).toBe(true);
  }, 120_000);
});
