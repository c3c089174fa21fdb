// edXML export and import of messages on SQLite and PostgreSQL: `vanthu edxml export|import` and GET /v1/messages/{id}/edxml,
// round trips of signed PDFs and Vietnamese metadata, recall by package, and refusal of unsigned, tampered, foreign and malformed packages.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEdxml, parseEdxml, type EdxmlPackage } from '../../../src/core/edxml/index.js';
import { signPdf } from '../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { receiptVerifies, loadReceiptKey, verifyAuditLog } from '../../../src/server/index.js';
import type { InboxItem, MessageEnvelope, SignedReceipt } from '../../../src/shared/exchange-protocol.js';
import { runVanthu } from '../../kit/cli.js';
import { fixture } from '../../kit/pdf-tools.js';
import { usePki } from '../../kit/pki.js';
import { logoutAll } from '../../kit/signing-key.js';
import { CAO_BANG, DIALECTS, NOI_VU, VPCP, bearer, envelope, expectRefusal, login, sha256, startTestServer, submit, testKeys, upload, type Keys, type TestServer } from './kit.js';

const pki = usePki();
let keys: Keys;
let goodPdf: Uint8Array;
let appendixPdf: Uint8Array;
let noiVuPdf: Uint8Array;
const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-edxml-'));

beforeAll(async () => {
  keys = await testKeys(pki);
  const byLeader = await signPdf(fixture('classic-xref.pdf'), keys.leader, { reason: 'Phê duyệt' });
  goodPdf = (await signPdf(byLeader.bytes, keys.agency, {})).bytes;
  appendixPdf = (await signPdf(fixture('xref-stream.pdf'), keys.agency, {})).bytes;
  noiVuPdf = (await signPdf(fixture('classic-xref.pdf'), keys.spare, {})).bytes;
});
afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

const METADATA = {
  subject: 'Về việc triển khai "văn bản điện tử" <giai đoạn 2> & hỏa tốc',
  codeNumber: '07',
  codeNotation: 'UBND-VP',
  typeName: 'Công văn',
  issuedDate: '2026-01-07',
  organName: 'UBND tỉnh Cao Bằng',
  signerInfo: { position: 'CHỦ TỊCH', fullName: 'Nguyễn Văn Ánh' },
  priority: 3,
  dueDate: '2026-02-01',
};

// Each test runs `vanthu` child processes, each compiling TypeScript first: minutes on a busy machine, not seconds.
const CLI_TIMEOUT = 180_000;

describe.each(DIALECTS)('edXML on %s', (dialect) => {
  let server: TestServer;
  let caoBang: string;
  let noiVu: string;
  let messageId: string;
  let body: MessageEnvelope;
  let receiptKeyFile: string;
  const file = (name: string): string => path.join(dir, `${dialect}-${name}`);
  const cli = (args: string[]) => runVanthu([...args, '--db', server.url]);
  const importArgs = (f: string): string[] => ['edxml', 'import', f, '--no-bundled-trust', '--trust', pki.rootPem, '--receipt-key', receiptKeyFile, '--json'];
  const count = async (table: 'messages' | 'blobs' | 'audit_log'): Promise<number> =>
    Number((await server.database.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const exported = (): EdxmlPackage => parseEdxml(readFileSync(file('out.edxml')));

  beforeAll(async () => {
    server = await startTestServer(pki, keys, dialect);
    caoBang = await login(server.app, keys.agency);
    noiVu = await login(server.app, keys.spare);
    receiptKeyFile = file('receipt.pem');
    writeFileSync(receiptKeyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const main = await upload(server.app, caoBang, goodPdf);
    const appendix = await upload(server.app, caoBang, appendixPdf);
    body = envelope([{ sha256: main, name: 'Công văn 07.pdf' }, { sha256: appendix, role: 'appendix', name: 'Phụ lục I.pdf' }], [NOI_VU, VPCP], { metadata: METADATA }) as unknown as MessageEnvelope;
    messageId = randomUUID();
    expect((await submit(server.app, caoBang, body, messageId)).statusCode).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('exports a message with its signed PDFs and Vietnamese metadata, the same from the command line and over the API', async () => {
    const result = await cli(['edxml', 'export', messageId, '-o', file('out.edxml'), '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, messageId, attachments: 2 });
    const pkg = exported();
    expect(pkg.header.from).toEqual({ organId: CAO_BANG, organName: 'UBND tỉnh Cao Bằng' });
    expect(pkg.header.to).toEqual([{ organId: NOI_VU, organName: 'Sở Nội vụ tỉnh Cao Bằng' }, { organId: VPCP, organName: 'Văn phòng Chính phủ' }]);
    expect(pkg.header.subject).toBe(METADATA.subject);
    expect(pkg.header.code).toEqual({ codeNumber: '07', codeNotation: 'UBND-VP' });
    expect(pkg.header.documentId).toBe(`${CAO_BANG},2026/01/07,07/UBND-VP`);
    expect(pkg.header.otherInfo).toEqual({ priority: 3 });
    expect(pkg.business).toEqual({ docType: 0 });
    expect(pkg.attachments.map((a) => [a.name, a.description, sha256(a.bytes)])).toEqual([
      ['Công văn 07.pdf', 'Văn bản chính', sha256(goodPdf)],
      ['Phụ lục I.pdf', 'Phụ lục', sha256(appendixPdf)],
    ]);
    const api = await server.app.inject({ method: 'GET', url: `/v1/messages/${messageId}/edxml`, headers: bearer(noiVu) });
    expect(api.statusCode).toBe(200);
    expect(api.headers['content-type']).toContain('application/xml');
    expect(sha256(api.rawPayload)).toBe(sha256(readFileSync(file('out.edxml'))));
  }, CLI_TIMEOUT);

  it('hides the package of a message from an agency that neither sent nor received it, and refuses a bad id', async () => {
    const toVpcp = randomUUID();
    expect((await submit(server.app, caoBang, envelope([{ sha256: sha256(goodPdf) }], [VPCP], { metadata: { subject: 'chỉ gửi VPCP' } }), toVpcp)).statusCode).toBe(201);
    expectRefusal(await server.app.inject({ method: 'GET', url: `/v1/messages/${toVpcp}/edxml`, headers: bearer(noiVu) }), 404, 'SERVER_NOT_FOUND');
    expectRefusal(await server.app.inject({ method: 'GET', url: `/v1/messages/${randomUUID()}/edxml`, headers: bearer(caoBang) }), 404, 'SERVER_NOT_FOUND');
    expectRefusal(await server.app.inject({ method: 'GET', url: `/v1/messages/${toVpcp}/edxml` }), 401, 'SERVER_UNAUTHENTICATED');
    const missing = await cli(['edxml', 'export', randomUUID(), '-o', file('none.edxml')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Không tìm thấy');
    expect((await cli(['edxml', 'export', 'abc', '-o', file('none.edxml')])).code).toBe(2);
    expect((await cli(['edxml', 'export', messageId])).code).toBe(2);
  }, CLI_TIMEOUT);

  it('imports a package through the signature checks into the recipients’ inboxes, once however often it is imported', async () => {
    // What the national exchange would hand over: the exported package, read by another system and written again.
    const pkg = exported();
    pkg.header.subject = 'Chuyển tiếp: Về việc triển khai văn bản điện tử';
    pkg.header.to = [{ organId: NOI_VU }];
    writeFileSync(file('in.edxml'), buildEdxml(pkg));
    const messagesBefore = await count('messages');
    const first = await runVanthu([...importArgs(file('in.edxml')), '--db', server.url]);
    expect(first.code, first.stderr + first.stdout).toBe(0);
    const imported = JSON.parse(first.stdout) as { created: boolean; messageId: string; envelope: MessageEnvelope; receipt: SignedReceipt };
    expect(imported.created).toBe(true);
    expect(imported.envelope.metadata).toEqual({ ...METADATA, subject: 'Chuyển tiếp: Về việc triển khai văn bản điện tử' });
    expect(imported.envelope.files.map((f) => [f.sha256, f.role, f.name])).toEqual(body.files.map((f) => [f.sha256, f.role, f.name]));
    expect(receiptVerifies(loadReceiptKey(receiptKeyFile), imported.receipt)).toBe(true);
    expect(await count('messages')).toBe(messagesBefore + 1);

    const again = await runVanthu([...importArgs(file('in.edxml')), '--db', server.url]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: false, messageId: imported.messageId, receipt: imported.receipt });
    expect(await count('messages')).toBe(messagesBefore + 1);

    const inbox = await server.app.inject({ method: 'GET', url: '/v1/inbox', headers: bearer(noiVu) });
    const item = inbox.json<{ items: InboxItem[] }>().items.find((i) => i.messageId === imported.messageId);
    expect(item?.metadata.subject).toBe('Chuyển tiếp: Về việc triển khai văn bản điện tử');
    expect(item?.files.map((f) => f.sha256)).toEqual([sha256(goodPdf), sha256(appendixPdf)]);
    const audit = await server.database.db.selectFrom('audit_log').select('detail').where('message_id', '=', imported.messageId).where('kind', '=', 'submit').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail)).toMatchObject({ source: 'edxml' });
    expect(await verifyAuditLog(server.database.db)).toMatchObject({ ok: true });
  }, CLI_TIMEOUT);

  it('recalls a document by a package whose BussinessDocType is 1 and whose ResponseFor names it', async () => {
    const recall: EdxmlPackage = { ...exported(), business: { docType: 1, reason: 'Sai số liệu' }, attachments: [] };
    recall.header = { ...recall.header, to: [{ organId: NOI_VU }], documentId: undefined, responseFor: [{ organId: CAO_BANG, documentId: `${CAO_BANG},2026/01/07,07/UBND-VP` }] };
    writeFileSync(file('recall.edxml'), buildEdxml(recall));
    const result = await runVanthu([...importArgs(file('recall.edxml')), '--db', server.url]);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(JSON.parse(result.stdout).envelope).toMatchObject({ type: 'recall', inReplyTo: messageId, files: [] });
    const delivery = await server.database.db.selectFrom('deliveries').select('status').where('message_id', '=', messageId).where('recipient', '=', NOI_VU).executeTakeFirstOrThrow();
    expect(delivery.status).toBe('13');

    recall.header.responseFor = [{ organId: CAO_BANG, documentId: `${CAO_BANG},2026/01/07,99/UBND-VP` }];
    writeFileSync(file('recall-unknown.edxml'), buildEdxml(recall));
    const unknown = await runVanthu([...importArgs(file('recall-unknown.edxml')), '--db', server.url]);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout).error.code).toBe('SERVER_IN_REPLY_TO_INVALID');
  }, CLI_TIMEOUT);

  it('refuses unsigned, tampered and foreign-signed attachments, an unknown sender and malformed packages, storing nothing', async () => {
    const before = { messages: await count('messages'), blobs: await count('blobs'), audit: await count('audit_log') };
    const variant = (name: string, change: (pkg: EdxmlPackage) => void): string => {
      const pkg = exported();
      pkg.header.subject = `biến thể ${name}`;
      change(pkg);
      writeFileSync(file(name), buildEdxml(pkg));
      return file(name);
    };
    const tampered = new Uint8Array(goodPdf);
    tampered[Buffer.from(tampered).indexOf('So: 05') + 4] = '6'.charCodeAt(0);
    const cases: [string, (pkg: EdxmlPackage) => void, string][] = [
      ['unsigned.edxml', (pkg) => void (pkg.attachments[0]!.bytes = fixture('classic-xref.pdf')), 'SERVER_PDF_NOT_VALID'],
      ['tampered.edxml', (pkg) => void (pkg.attachments[0]!.bytes = tampered), 'SERVER_PDF_NOT_VALID'],
      ['foreign.edxml', (pkg) => void (pkg.attachments[1]!.bytes = noiVuPdf), 'SERVER_PDF_NOT_SIGNED_BY_SENDER'],
      ['not-pdf.edxml', (pkg) => void (pkg.attachments[1]!.bytes = new TextEncoder().encode('<html>không phải PDF</html>')), 'SERVER_FILE_NOT_PDF'],
    ];
    for (const [name, change, code] of cases) {
      const result = await runVanthu([...importArgs(variant(name, change)), '--db', server.url]);
      expect(result.code, `${name}: ${result.stderr}${result.stdout}`).toBe(1);
      const answer = JSON.parse(result.stdout) as { error: { code: string }; reasons: { code: string; messageVi: string }[] };
      expect(answer.error.code).toBe('SERVER_SUBMISSION_INVALID');
      expect(answer.reasons.map((r) => r.code), name).toContain(code);
    }
    const stranger = await runVanthu([...importArgs(variant('stranger.edxml', (pkg) => void (pkg.header.from = { organId: '000.00.77.H14' }))), '--db', server.url]);
    expect(stranger.code).toBe(1);
    expect(JSON.parse(stranger.stdout).error.code).toBe('SERVER_NOT_FOUND');

    writeFileSync(file('xxe.edxml'), `<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]><e>&x;</e>`);
    const xxe = await runVanthu([...importArgs(file('xxe.edxml')), '--db', server.url]);
    expect(xxe.code).toBe(2);
    expect(JSON.parse(xxe.stdout).error.code).toBe('EDXML_DTD_FORBIDDEN');
    writeFileSync(file('cut.edxml'), readFileSync(file('out.edxml')).subarray(0, 2000));
    const cut = await runVanthu([...importArgs(file('cut.edxml')), '--db', server.url]);
    expect(cut.code).toBe(2);
    expect(JSON.parse(cut.stdout).error.code).toBe('EDXML_MALFORMED');
    expect((await runVanthu(['edxml', 'import', file('absent.edxml'), '--db', server.url])).code).toBe(2);

    expect({ messages: await count('messages'), blobs: await count('blobs'), audit: await count('audit_log') }).toEqual(before);
  }, CLI_TIMEOUT);
});
