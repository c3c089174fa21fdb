// edXML import and export keep their meaning on SQLite and PostgreSQL: a received DocumentId and trace list travel on unchanged,
// update/replacement/recall reach the original by DocumentId, status packages move the delivery they answer, and our statuses leave as status packages.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePackage, parseAnyEdxml, parseEdxml, type EdxmlStatusPackage } from '../../../src/core/edxml/index.js';
import { signPdf } from '../../../src/core/signing/index.js';
import { trustStoreFrom } from '../../../src/core/trust/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { ephemeralReceiptKey, exportMessage, exportStatus, importEdxml, resolveConfig, type ResolvedConfig } from '../../../src/server/index.js';
import { isVanthuError } from '../../../src/shared/errors.js';
import { runVanthu } from '../../kit/cli.js';
import { documentXml, statusXml } from '../../kit/edxml-fixtures.js';
import { fixture } from '../../kit/pdf-tools.js';
import { usePki } from '../../kit/pki.js';
import { logoutAll } from '../../kit/signing-key.js';
import { CAO_BANG, DIALECTS, NOI_VU, ORIGIN, envelope, expectRefusal, login, sha256, startTestServer, submit, testKeys, upload, type Keys, type TestServer } from './kit.js';

const pki = usePki();
let keys: Keys;
let signedPdf: Uint8Array;
let secondPdf: Uint8Array;
const DOCUMENT_ID = '6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const TRACES = '<edXML:TraceHeader><edXML:OrganId>000.00.00.H14</edXML:OrganId><edXML:Timestamp>2026/01/05 10:15:30</edXML:Timestamp></edXML:TraceHeader>';

beforeAll(async () => {
  keys = await testKeys(pki);
  signedPdf = (await signPdf(fixture('classic-xref.pdf'), keys.agency, {})).bytes;
  secondPdf = (await signPdf(fixture('xref-stream.pdf'), keys.agency, {})).bytes;
});
afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

const bytesOf = (xml: string): Uint8Array => new Uint8Array(Buffer.from(xml, 'utf8'));
const bussiness = (type: number, reason: string): string =>
  `<edXML:Bussiness><edXML:DocumentId>${DOCUMENT_ID}</edXML:DocumentId><edXML:BussinessDocType>${type}</edXML:BussinessDocType><edXML:BussinessDocReason>${reason}</edXML:BussinessDocReason>` +
  `<edXML:ReplacementInfoList><edXML:ReplacementInfo><edXML:DocumentId>${DOCUMENT_ID}</edXML:DocumentId><edXML:OrganIdList><edXML:OrganId>${NOI_VU}</edXML:OrganId></edXML:OrganIdList></edXML:ReplacementInfo></edXML:ReplacementInfoList></edXML:Bussiness>`;

describe.each(DIALECTS)('edXML meaning on %s', (dialect) => {
  let server: TestServer;
  let config: ResolvedConfig;
  let originalId: string;

  beforeAll(async () => {
    server = await startTestServer(pki, keys, dialect);
    config = resolveConfig({ database: server.database, trust: await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] }), origin: ORIGIN, receiptKey: ephemeralReceiptKey(), clock: server.clock.now, revocation: { online: true, requireKnown: true } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps a received DocumentId and trace list through import → export → show → import → export, attachments byte for byte', async () => {
    const received = bytesOf(documentXml({ from: CAO_BANG, to: [NOI_VU], documentId: DOCUMENT_ID, attachments: [{ cid: 'cid:209', name: 'Cong van 05.pdf', bytes: signedPdf }] }).replace(/<edXML:TraceHeader>.*?vxp\.saas\.03.*?<\/edXML:TraceHeader>/, ''));
    const first = await importEdxml(config, received);
    expect(first).toMatchObject({ kind: 'document', created: true });
    originalId = first.messageId;

    const exported = await exportMessage(server.database.db, originalId, undefined, new Date('2026-01-06T01:00:00Z'));
    const shown = describePackage(parseAnyEdxml(exported.bytes));
    expect(shown.documentId).toBe(DOCUMENT_ID);
    // The trace list as received, then ours.
    expect(shown.traces).toEqual([{ organId: CAO_BANG, timestamp: '2026/01/05 10:15:30' }, { organId: CAO_BANG, timestamp: '2026/01/06 08:00:00' }]);
    const pkg = parseEdxml(exported.bytes);
    expect(pkg.attachments.map((a) => sha256(a.bytes))).toEqual([sha256(signedPdf)]);
    expect(pkg.attachments[0]!.contentId).toMatch(/^cid:/);

    const again = await importEdxml(config, exported.bytes);
    expect(again).toMatchObject({ kind: 'document', created: false, messageId: originalId });
    const reexported = parseEdxml((await exportMessage(server.database.db, originalId, undefined, new Date('2026-01-06T01:00:00Z'))).bytes);
    expect(reexported.header.documentId).toBe(DOCUMENT_ID);
    expect(reexported.traces).toEqual(pkg.traces);
    expect(reexported.attachments.map((a) => Buffer.from(a.bytes).toString('base64'))).toEqual(pkg.attachments.map((a) => Buffer.from(a.bytes).toString('base64')));
  });

  it('applies status packages to the delivery they answer, with the transitions the API enforces, once each', async () => {
    const arrived = await importEdxml(config, bytesOf(statusXml('01', DOCUMENT_ID, NOI_VU)));
    expect(arrived).toMatchObject({ kind: 'status', created: true, messageId: originalId, events: [{ code: '01', recipient: NOI_VU, by: NOI_VU }] });
    const registered = bytesOf(statusXml('03', DOCUMENT_ID, NOI_VU));
    expect(await importEdxml(config, registered)).toMatchObject({ kind: 'status', created: true, events: [{ code: '03' }] });
    expect(await importEdxml(config, registered)).toMatchObject({ kind: 'status', created: false });
    const delivery = await server.database.db.selectFrom('deliveries').select('status').where('message_id', '=', originalId).where('recipient', '=', NOI_VU).executeTakeFirstOrThrow();
    expect(delivery.status).toBe('03');
    // 02 after 03 is not a move a recipient may make.
    await expect(importEdxml(config, bytesOf(statusXml('02', DOCUMENT_ID, NOI_VU)))).rejects.toMatchObject({ code: 'SERVER_STATUS_TRANSITION' });
    // A code the server does not keep, and a document nobody here sent.
    await expect(importEdxml(config, bytesOf(statusXml('09', DOCUMENT_ID, NOI_VU)))).rejects.toMatchObject({ code: 'EDXML_FIELD_INVALID' });
    await expect(importEdxml(config, bytesOf(statusXml('01', '000.00.00.H14,2020/01/01,1/X', NOI_VU)))).rejects.toSatisfy((e: unknown) => isVanthuError(e, 'SERVER_NOT_FOUND'));

    const status = parseAnyEdxml((await exportStatus(server.database.db, originalId, NOI_VU)).bytes) as EdxmlStatusPackage;
    expect(status).toMatchObject({ kind: 'status', status: { statusCode: '03', from: { organId: NOI_VU }, responseFor: { organId: CAO_BANG, documentId: DOCUMENT_ID } } });
  });

  it('reaches the original by DocumentId for an update named only in Bussiness, and for a recall', async () => {
    const update = bytesOf(
      documentXml({ from: CAO_BANG, to: [NOI_VU], documentId: `${CAO_BANG},2026/01/09,06/UBND-VP`, date: '2026/01/09', bussiness: `${TRACES}${bussiness(2, 'Cập nhật số liệu')}`, attachments: [{ cid: 'cid:1', name: 'Cap nhat.pdf', bytes: secondPdf }] }),
    );
    const updated = await importEdxml(config, update);
    expect(updated).toMatchObject({ kind: 'document', created: true, envelope: { type: 'update', inReplyTo: originalId } });
    const exported = parseEdxml((await exportMessage(server.database.db, updated.messageId)).bytes);
    expect(exported.business).toMatchObject({ docType: 2, documentId: DOCUMENT_ID, replacementInfoList: [{ documentId: DOCUMENT_ID, organIds: [NOI_VU] }] });
    expect(exported.header.responseFor?.[0]?.documentId).toBe(DOCUMENT_ID);

    const recall = bytesOf(documentXml({ from: CAO_BANG, to: [NOI_VU], documentId: DOCUMENT_ID, bussiness: bussiness(1, 'Thu hồi'), attachments: [{ cid: 'cid:1', name: 'Thu hoi.pdf', bytes: secondPdf }] }));
    const recalled = await importEdxml(config, recall);
    expect(recalled).toMatchObject({ kind: 'document', envelope: { type: 'recall', inReplyTo: originalId } });
  });

  it('refuses control characters in text fields and names that are not plain base names, over the API as from edXML', async () => {
    const token = await login(server.app, keys.agency);
    const file = await upload(server.app, token, signedPdf);
    for (const [files, metadata] of [
      [[{ sha256: file, name: '../../etc/Cong van.pdf' }], { subject: 'Thử' }],
      [[{ sha256: file, name: 'C:\\Windows\\x.pdf' }], { subject: 'Thử' }],
      [[{ sha256: file, name: 'Cong van.pdf' }], { subject: 'Về việc \u0000 thử' }],
      [[{ sha256: file, name: 'Cong van.pdf' }], { subject: 'Thử', codeNotation: 'UBND\u001b[31m' }],
    ] as const) {
      const body = envelope(files as never, [NOI_VU], { metadata });
      expect(expectRefusal(await submit(server.app, token, body), 400, 'SERVER_BAD_REQUEST').error.messageEn).toMatch(/control characters|file name without folders/);
    }
    // edXML import: the name is cut to its base name, the package still arrives.
    const named = await importEdxml(config, bytesOf(documentXml({ from: CAO_BANG, to: [NOI_VU], documentId: 'ten-tep-co-thu-muc', attachments: [{ cid: 'cid:1', name: '../../../tmp/Cong van 9.pdf', bytes: signedPdf }] })));
    expect(named).toMatchObject({ kind: 'document', envelope: { files: [{ name: 'Cong van 9.pdf' }] } });
  });

  it('exports a package signed on the agency token from the command line (RSA-SHA256), and RSA-SHA1 when configured', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'vanthu-edxml-sign-')), 'signed.edxml');
    const sign = ['--sign', '--module', pki.module, '--token', 'VANTHU AGENCY', '--cert', 'agency-rsa', '--pin-stdin'];
    const result = await runVanthu(['edxml', 'export', originalId, '--db', server.url, '-o', out, ...sign, '--json'], { stdin: `${pki.userPin}\n` });
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const pkg = parseEdxml(readFileSync(out));
    expect(pkg.signature).toMatchObject({ result: 'valid', algorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256' });
    expect(pkg.header.documentId).toBe(DOCUMENT_ID);
    const sha1 = await runVanthu(['edxml', 'export', originalId, '--db', server.url, '-o', out, ...sign, '--algorithm', 'rsa-sha1', '--json'], { stdin: `${pki.userPin}\n` });
    expect(sha1.code, sha1.stderr + sha1.stdout).toBe(0);
    expect(parseEdxml(readFileSync(out)).signature).toMatchObject({ result: 'valid', algorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' });
  }, 180_000);
});
