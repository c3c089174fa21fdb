// The exchange server's connector to the national axis, end to end against the axis EMULATOR (tests/kit/axis-emulator.ts) on SQLite and PostgreSQL:
// a document to an agency known only to the axis goes out once and its 01/03 come back; a package from the axis lands in the inbox once through axis faults and a restart
// (a connector restart, and a real server process killed mid-poll); an axis-only sender's organization seal is accepted, bad ones refused ("fail"), unverifiable ones held ("processing"); the secret never shows.
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
import { addAgency, AxisConnector, ephemeralReceiptKey, openServerDatabase, resolveConfig, type AxisConnectorOptions, type ResolvedConfig, type ServerDatabase } from '../../../src/server/index.js';
import { recheckPending } from '../../../src/server/messages/pending.js';
import type { InboxItem } from '../../../src/shared/exchange-protocol.js';
import { AxisEmulator } from '../../kit/axis-emulator.js';
import { documentXml } from '../../kit/edxml-fixtures.js';
import { fixture } from '../../kit/pdf-tools.js';
import { usePki } from '../../kit/pki.js';
import { logoutAll } from '../../kit/signing-key.js';
import { issueSoftKey, selfSignedSoftKey, signPdfWithSoftKey, type SoftKey } from '../../kit/soft-cms.js';
import { CAO_BANG, DIALECTS, NOI_VU, ORIGIN, VPCP, bearer, envelope, login, sha256, startTestServer, submit, testKeys, upload, type Keys, type TestServer } from './kit.js';

const pki = usePki();
let keys: Keys;
let agencyPdf: Uint8Array;
let remotePdf: Uint8Array;
/** Lạng Sơn's agency certificate from the test PKI (bound to nobody here) and documents sealed with it. */
let langSonSeal: SoftKey;
let langSonPdf: Uint8Array;
let langSonOtherPdf: Uint8Array;
let langSonHeldPdf: Uint8Array;
/** Refused from an axis sender: tampered after sealing; sealed by a certificate of no trusted chain; signed by a person; sealed with an agency of ours's seal. */
let tamperedPdf: Uint8Array;
let untrustedPdf: Uint8Array;
let personalPdf: Uint8Array;
/** An agency the axis knows and this server does not (the pattern the exchange carries). */
const REMOTE = '000.00.05.H17';
const REMOTE_SYSTEM = 'vxp.test.backan';
/** Another agency known only through the axis, with no certificate bound here at all. */
const LANG_SON = '000.00.06.H17';
const LANG_SON_SEAL = '/C=VN/ST=Lạng Sơn/L=Lạng Sơn/O=UBND tỉnh Lạng Sơn/CN=UBND tỉnh Lạng Sơn/UID=MST:4900123456';
const OUR_SYSTEM = 'vxp.test.vanthu';
const SECRET = `bi-mat-chung-${randomUUID()}`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  keys = await testKeys(pki);
  agencyPdf = (await signPdf(fixture('classic-xref.pdf'), keys.agency, {})).bytes;
  remotePdf = (await signPdf(fixture('xref-stream.pdf'), keys.leader, {})).bytes;
  langSonSeal = issueSoftKey(pki, 'UBND tỉnh Lạng Sơn', { rsa: 2048 }, 'sha256', LANG_SON_SEAL);
  langSonPdf = await signPdfWithSoftKey(fixture('object-streams.pdf'), langSonSeal);
  langSonOtherPdf = await signPdfWithSoftKey(fixture('classic-xref.pdf'), langSonSeal);
  langSonHeldPdf = await signPdfWithSoftKey(fixture('xref-stream.pdf'), langSonSeal);
  // One byte of the signed part changed (inside the binary comment under the header: the file still reads).
  tamperedPdf = Uint8Array.from(langSonPdf);
  tamperedPdf[12]! ^= 0x01;
  untrustedPdf = await signPdfWithSoftKey(fixture('object-streams.pdf'), selfSignedSoftKey(LANG_SON_SEAL));
  personalPdf = await signPdfWithSoftKey(fixture('object-streams.pdf'), issueSoftKey(pki, 'Hoàng Văn Nam', { rsa: 2048 }, 'sha256', '/C=VN/O=UBND tỉnh Lạng Sơn/CN=Hoàng Văn Nam/UID=CCCD:020190011111'));
}, 60_000);
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
      { code: LANG_SON, name: 'UBND tỉnh Lạng Sơn', system: REMOTE_SYSTEM },
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
    expect(await connector.syncDirectory()).toEqual({ added: 3, updated: 0, skipped: 1 });
    expect((await server.database.db.selectFrom('axis_agencies').select('organ_id').execute()).map((r) => r.organ_id).sort()).toEqual([REMOTE, LANG_SON, 'vxp.saas.03'].sort());

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

  it('tells the axis "done" for a package only once its import is on disk (the axis forgets what it is told is done)', async () => {
    const info = parseCertificate(keys.leader.certificate);
    await server.database.db
      .insertInto('certificate_bindings')
      .values({ cert_sha256: info.sha256, organ_id: REMOTE, role: 'agency', subject: info.subject.commonName ?? info.subject.text, not_after: info.notAfter, created_at: new Date().toISOString() })
      .onConflict((c) => c.doNothing())
      .execute();
    const subject = 'Văn bản từ Bắc Kạn chờ ghi xuống đĩa';
    const [docId] = emulator.submit(REMOTE_SYSTEM, new Uint8Array(Buffer.from(documentXml({ from: REMOTE, to: [NOI_VU], documentId: randomUUID(), subject, attachments: [{ cid: 'cid:9', name: 'Cong van.pdf', bytes: remotePdf }] }), 'utf8')), 'edoc');
    const count = async (): Promise<number> => Number((await server.database.db.selectFrom('messages').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    // The real barrier, held shut by the test.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let asked = 0;
    const held: ServerDatabase = {
      ...server.database,
      durable: async () => {
        asked += 1;
        await gate;
        await server.database.durable();
      },
    };
    const connector = connectorOn(await configOn(held));
    const round = connector.round();
    await expect.poll(() => asked, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await count()).toBe(before + 1);
    expect(emulator.statusOf(docId!)).toBe('new');
    open();
    expect(await round).toMatchObject({ imported: 1 });
    expect(emulator.statusOf(docId!)).toBe('done');
    await connector.stop();
  });

  /** A package from Lạng Sơn to Sở Nội vụ with one attachment, as the remote agency's software puts it on the axis; its DocId. */
  function fromLangSon(subject: string, pdf: Uint8Array, form: { documentId?: string; bussiness?: string } = {}): string {
    const xml = documentXml({ from: LANG_SON, to: [NOI_VU], documentId: form.documentId ?? randomUUID(), subject, attachments: [{ cid: 'cid:1', name: 'Cong van LS.pdf', bytes: pdf }], ...(form.bussiness ? { bussiness: form.bussiness } : {}) });
    const [docId] = emulator.submit(REMOTE_SYSTEM, new Uint8Array(Buffer.from(xml, 'utf8')), 'edoc');
    return docId!;
  }
  async function landed(subject: string): Promise<InboxItem[]> {
    const noiVu = await login(server.app, keys.spare);
    const inbox = (await server.app.inject({ method: 'GET', url: '/v1/inbox', headers: bearer(noiVu) })).json<{ items: InboxItem[] }>();
    return inbox.items.filter((i) => i.metadata.subject === subject);
  }
  async function submitAudit(messageId: string): Promise<Record<string, unknown>> {
    const row = await server.database.db.selectFrom('audit_log').select('detail').where('kind', '=', 'submit').where('message_id', '=', messageId).executeTakeFirstOrThrow();
    return JSON.parse(row.detail) as Record<string, unknown>;
  }

  it('accepts a package from an agency known only through the axis on a trusted organization seal bound nowhere here (noted in the audit), and refuses a tampered one, an untrusted chain, a person’s signature, our own agency’s seal, and an unbound seal for an axis agency whose seal is bound, telling the axis "fail"', async () => {
    const connector = connectorOn(await configOn(server.database));
    await connector.syncDirectory();
    expect(await server.database.db.selectFrom('certificate_bindings').select('organ_id').where('organ_id', '=', LANG_SON).execute()).toEqual([]);
    const accepted = fromLangSon('Lạng Sơn: đóng dấu cơ quan', langSonPdf);
    const refusedIds = {
      tampered: fromLangSon('Lạng Sơn: sửa sau khi ký', tamperedPdf),
      untrusted: fromLangSon('Lạng Sơn: chuỗi không tin cậy', untrustedPdf),
      personal: fromLangSon('Lạng Sơn: chữ ký cá nhân', personalPdf),
      ourSeal: fromLangSon('Lạng Sơn: dấu của Cao Bằng', agencyPdf),
    };
    // An axis agency whose seal the administrator bound here (Bắc Kạn: the leader's certificate) is held to the strict rule.
    const leader = parseCertificate(keys.leader.certificate);
    await server.database.db.insertInto('certificate_bindings').values({ cert_sha256: leader.sha256, organ_id: REMOTE, role: 'agency', subject: leader.subject.text, not_after: leader.notAfter, created_at: new Date().toISOString() }).onConflict((c) => c.column('cert_sha256').doNothing()).execute();
    const boundXml = documentXml({ from: REMOTE, to: [NOI_VU], documentId: randomUUID(), subject: 'Bắc Kạn: dấu chưa gắn', attachments: [{ cid: 'cid:1', name: 'Cong van BK.pdf', bytes: langSonOtherPdf }] });
    const [boundDocId] = emulator.submit(REMOTE_SYSTEM, new Uint8Array(Buffer.from(boundXml, 'utf8')), 'edoc');
    expect(await connector.round()).toMatchObject({ imported: 1, refused: 5, held: 0 });
    expect(emulator.statusOf(boundDocId!)).toBe('fail');
    expect((await server.database.db.selectFrom('axis_incoming').select('last_error').where('axis_doc_id', '=', boundDocId!).executeTakeFirstOrThrow()).last_error).toContain('carries no signature of the sending agency');
    expect(emulator.statusOf(accepted)).toBe('done');
    for (const docId of Object.values(refusedIds)) expect(emulator.statusOf(docId)).toBe('fail');

    const items = await landed('Lạng Sơn: đóng dấu cơ quan');
    expect(items).toHaveLength(1);
    expect(items[0]!.sender).toBe(LANG_SON);
    expect(await submitAudit(items[0]!.messageId)).toMatchObject({ source: 'edxml', seal: 'seal not bound: sender known through the axis', sealNotBound: [sha256(langSonPdf)] });
    for (const subject of ['Lạng Sơn: sửa sau khi ký', 'Lạng Sơn: chuỗi không tin cậy', 'Lạng Sơn: chữ ký cá nhân', 'Lạng Sơn: dấu của Cao Bằng']) expect(await landed(subject)).toEqual([]);

    const errors = new Map((await server.database.db.selectFrom('axis_incoming').select(['axis_doc_id', 'state', 'last_error']).execute()).map((r) => [r.axis_doc_id, r]));
    expect(errors.get(accepted)).toMatchObject({ state: 'done', last_error: null });
    expect(errors.get(refusedIds.tampered)).toMatchObject({ state: 'refused', last_error: expect.stringContaining('not valid') as unknown });
    expect(errors.get(refusedIds.untrusted)).toMatchObject({ state: 'refused', last_error: expect.stringMatching(/trusted|chain/i) as unknown });
    for (const key of ['personal', 'ourSeal'] as const) expect(errors.get(refusedIds[key])).toMatchObject({ state: 'refused', last_error: expect.stringContaining('not a valid organization (agency) signature') as unknown });

    // Our own agencies keep the strict rule: Sở Nội vụ's file sealed by an unbound organization certificate is refused.
    const noiVu = await login(server.app, keys.spare);
    const refused = await submit(server.app, noiVu, { ...envelope([{ sha256: await upload(server.app, noiVu, langSonOtherPdf) }], [CAO_BANG]), sender: NOI_VU });
    expect(refused.statusCode).toBe(422);
    expect(refused.json<{ reasons: { code: string }[] }>().reasons.map((r) => r.code)).toContain('SERVER_PDF_NOT_SIGNED_BY_SENDER');

    // Nothing is taken twice: the next round finds nothing new.
    expect(await connector.round()).toMatchObject({ imported: 0, refused: 0, held: 0 });
    expect(await landed('Lạng Sơn: đóng dấu cơ quan')).toHaveLength(1);
  });

  it('holds a package whose seal’s revocation cannot be checked yet (the axis hears "processing"), leaves its update waiting on the axis, then accepts it on the re-check, tells the axis "done" and takes the update', async () => {
    // The server's revocation setting, held here: offline stands for a responder that does not answer.
    const revocation = { online: false, requireKnown: false };
    const config = resolveConfig({ database: server.database, trust: await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] }), origin: ORIGIN, receiptKey: ephemeralReceiptKey(), clock: () => new Date(), revocation });
    const connector = connectorOn(config);
    await connector.syncDirectory();
    const subject = 'Lạng Sơn: chờ kiểm tra lại';
    const documentId = randomUUID();
    const docId = fromLangSon(subject, langSonHeldPdf, { documentId });
    // Its update, sent right after: it names the original by DocumentId, which is not a message here yet.
    const updateBusiness = `<edXML:Bussiness><edXML:DocumentId>${documentId}</edXML:DocumentId><edXML:BussinessDocType>2</edXML:BussinessDocType><edXML:BussinessDocReason>Cập nhật</edXML:BussinessDocReason><edXML:Paper>0</edXML:Paper></edXML:Bussiness>`;
    const updateDocId = fromLangSon('Lạng Sơn: cập nhật văn bản đang chờ', await signPdfWithSoftKey(fixture('classic-xref.pdf'), langSonSeal), { bussiness: updateBusiness });
    expect(await connector.round()).toMatchObject({ imported: 0, refused: 0, held: 1, deferred: 1 });
    expect(emulator.statusOf(docId)).toBe('processing');
    // The update waits on the axis, unanswered, for its original.
    expect(emulator.statusOf(updateDocId)).toBe('new');
    const incoming = await server.database.db.selectFrom('axis_incoming').select(['state', 'message_id', 'last_error']).where('axis_doc_id', '=', docId).executeTakeFirstOrThrow();
    expect(incoming.state).toBe('held');
    expect(incoming.last_error).toMatch(/revocation/i);
    expect(await landed(subject)).toEqual([]);
    const pending = await server.database.db.selectFrom('pending_submissions').select(['state', 'edxml']).where('id', '=', incoming.message_id!).executeTakeFirstOrThrow();
    expect(pending.state).toBe('pending');
    expect(JSON.parse(pending.edxml!)).toMatchObject({ documentId: expect.any(String) as unknown });

    // Listed again while held: not taken again, nothing told.
    const requestsBefore = emulator.requests.filter((r) => r.operation === 'getEdoc').length;
    expect(await connector.round()).toMatchObject({ imported: 0, refused: 0, held: 0, settled: 0, deferred: 1 });
    // Only the update was downloaded again.
    expect(emulator.requests.filter((r) => r.operation === 'getEdoc').length).toBe(requestsBefore + 1);
    expect(emulator.statusOf(docId)).toBe('processing');

    // The responder answers again: the server's re-check accepts it, the next round tells the axis.
    revocation.online = true;
    expect(await recheckPending(config, undefined, { all: true })).toMatchObject({ accepted: [incoming.message_id], refused: [] });
    // Settled first, then the update finds its original in the same round.
    expect(await connector.round()).toMatchObject({ settled: 1, imported: 1, held: 0, deferred: 0 });
    expect(emulator.statusOf(docId)).toBe('done');
    expect(emulator.statusOf(updateDocId)).toBe('done');
    const update = await server.database.db.selectFrom('messages').select(['type', 'in_reply_to']).where('sender', '=', LANG_SON).where('type', '=', 'update').execute();
    expect(update).toEqual([{ type: 'update', in_reply_to: incoming.message_id }]);
    expect(await server.database.db.selectFrom('axis_incoming').select('state').where('axis_doc_id', '=', docId).executeTakeFirstOrThrow()).toEqual({ state: 'done' });
    const items = await landed(subject);
    expect(items).toHaveLength(1);
    expect(items[0]!.messageId).toBe(incoming.message_id);
    // Kept as it came, as when accepted at once: its DocumentId, and the audit's note on the seal.
    expect(await server.database.db.selectFrom('edxml_documents').select('document_id').where('message_id', '=', incoming.message_id!).executeTakeFirstOrThrow()).toEqual({ document_id: (JSON.parse(pending.edxml!) as { documentId: string }).documentId });
    expect(await submitAudit(incoming.message_id!)).toMatchObject({ source: 'edxml', seal: 'seal not bound: sender known through the axis' });
    expect(await connector.round()).toMatchObject({ settled: 0, imported: 0, held: 0 });
  });

  it('refuses a held package when the re-check finds its seal bound to one of our agencies meanwhile, and tells the axis "fail"', async () => {
    const revocation = { online: false, requireKnown: false };
    const config = resolveConfig({ database: server.database, trust: await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] }), origin: ORIGIN, receiptKey: ephemeralReceiptKey(), clock: () => new Date(), revocation });
    const connector = connectorOn(config);
    await connector.syncDirectory();
    const subject = 'Lạng Sơn: dấu hóa ra đã gắn cho cơ quan khác';
    const docId = fromLangSon(subject, langSonOtherPdf);
    expect(await connector.round()).toMatchObject({ held: 1 });
    expect(emulator.statusOf(docId)).toBe('processing');
    const messageId = (await server.database.db.selectFrom('axis_incoming').select('message_id').where('axis_doc_id', '=', docId).executeTakeFirstOrThrow()).message_id!;
    // Meanwhile the administrator binds that certificate as Văn phòng Chính phủ's seal: it no longer stands for Lạng Sơn.
    const seal = parseCertificate(langSonSeal.certificate);
    await server.database.db.insertInto('certificate_bindings').values({ cert_sha256: seal.sha256, organ_id: VPCP, role: 'agency', subject: seal.subject.text, not_after: seal.notAfter, created_at: new Date().toISOString() }).execute();
    try {
      revocation.online = true;
      expect(await recheckPending(config, undefined, { all: true })).toMatchObject({ accepted: [], refused: [messageId] });
      expect(await connector.round()).toMatchObject({ settled: 1, imported: 0, held: 0 });
      expect(emulator.statusOf(docId)).toBe('fail');
      const incoming = await server.database.db.selectFrom('axis_incoming').select(['state', 'last_error']).where('axis_doc_id', '=', docId).executeTakeFirstOrThrow();
      expect(incoming).toMatchObject({ state: 'refused', last_error: expect.stringContaining('not a valid organization (agency) signature') as unknown });
      expect(await landed(subject)).toEqual([]);
      // Listed as "fail" from now on: not taken again.
      expect(await connector.round()).toMatchObject({ settled: 0, imported: 0, refused: 0, held: 0 });
    } finally {
      await server.database.db.deleteFrom('certificate_bindings').where('cert_sha256', '=', seal.sha256).execute();
    }
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

  it('takes a package from the axis once through a real restart: the server process killed (SIGKILL) after the import and before the axis heard, started again', async () => {
    const emulator = new AxisEmulator(new Map([[OUR_SYSTEM, SECRET]]));
    await emulator.start();
    emulator.agencies.push({ code: LANG_SON, name: 'UBND tỉnh Lạng Sơn', system: REMOTE_SYSTEM }, { code: NOI_VU, name: 'Sở Nội vụ tỉnh Cao Bằng', system: OUR_SYSTEM });
    const url = `sqlite:${path.join(mkdtempSync(path.join(tmpdir(), 'vanthu-axis-restart-')), 'exchange.db')}`;
    const setup = await openServerDatabase(url);
    await addAgency(setup.db, { organId: NOI_VU, name: 'Sở Nội vụ tỉnh Cao Bằng', certificates: [keys.spare.certificate] });
    await setup.close();
    const subject = 'Lạng Sơn: qua một lần khởi động lại';
    const xml = documentXml({ from: LANG_SON, to: [NOI_VU], documentId: randomUUID(), subject, attachments: [{ cid: 'cid:1', name: 'Cong van LS.pdf', bytes: langSonPdf }] });
    const [docId] = emulator.submit(REMOTE_SYSTEM, new Uint8Array(Buffer.from(xml, 'utf8')), 'edoc');
    // The acknowledgement never gets an answer while the first process lives.
    emulator.failNext('updateStatus', 'hang', 1_000);

    const startServer = (): { child: ReturnType<typeof spawn>; output: () => string; exited: Promise<NodeJS.Signals | number | null> } => {
      const child = spawn(process.execPath, ['bin/vanthu.mjs', 'server', '--db', url, '--port', '0', '--no-bundled-trust', '--trust', pki.rootPem, '--axis-endpoint', emulator.url, '--axis-system-id', OUR_SYSTEM, '--axis-poll-seconds', '1'], {
        env: { ...process.env, VANTHU_AXIS_SECRET: SECRET, VANTHU_LOG_LEVEL: 'info' },
      });
      let output = '';
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
      return { child, output: () => output, exited };
    };
    const landedHere = async (): Promise<{ messages: number; deliveries: number }> => {
      const database = await openServerDatabase(url);
      try {
        const messages = await database.db.selectFrom('messages').select(sql<number>`count(*)`.as('n')).where('sender', '=', LANG_SON).executeTakeFirstOrThrow();
        const deliveries = await database.db.selectFrom('deliveries').innerJoin('messages', 'messages.id', 'deliveries.message_id').select(sql<number>`count(*)`.as('n')).where('messages.sender', '=', LANG_SON).where('deliveries.recipient', '=', NOI_VU).executeTakeFirstOrThrow();
        return { messages: Number(messages.n), deliveries: Number(deliveries.n) };
      } finally {
        await database.close();
      }
    };
    const acknowledgements = (): number => emulator.requests.filter((r) => r.operation === 'updateStatus').length;

    const first = startServer();
    try {
      for (let i = 0; i < 600 && acknowledgements() === 0; i += 1) await sleep(100);
      expect(acknowledgements(), first.output()).toBeGreaterThan(0);
      // Killed mid-poll: the package is in, the axis was never answered.
      expect(await landedHere()).toEqual({ messages: 1, deliveries: 1 });
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');
      expect(emulator.statusOf(docId!)).toBe('new');
    } finally {
      first.child.kill('SIGKILL');
    }

    emulator.clearFaults();
    const second = startServer();
    try {
      for (let i = 0; i < 600 && emulator.statusOf(docId!) !== 'done'; i += 1) await sleep(100);
      expect(emulator.statusOf(docId!), second.output()).toBe('done');
      expect(await landedHere()).toEqual({ messages: 1, deliveries: 1 });
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      await emulator.close();
    }
    expect(emulator.requests.every((r) => r.macOk)).toBe(true);
  }, 120_000);
});
