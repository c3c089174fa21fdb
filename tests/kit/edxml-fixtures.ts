// Makes edXML packages in the structure real ones have (the axis SDK's samples, packages off the axis), one per form, each named after what is special about it.
import { spawnSync } from 'node:child_process';
import { createSign, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { EDXML_NS, signEnveloped, type XmlSignatureAlgorithm, type XmlSigningKey } from '../../src/core/edxml/index.js';

/** A software RSA key and its certificate made with openssl: an outside agency's key (their token is not ours to hold). */
export interface SoftwareKey extends XmlSigningKey {
  keyPem: string;
}

function openssl(args: string[], cwd: string): void {
  const run = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl ${args[0]}: ${run.stderr}`);
}

function keyFrom(dir: string, keyFile: string, certFile: string): SoftwareKey {
  const keyPem = readFileSync(path.join(dir, keyFile), 'utf8');
  const cert = new X509Certificate(readFileSync(path.join(dir, certFile)));
  return {
    keyPem,
    certificateDer: new Uint8Array(cert.raw),
    sign: (data, hash) => Promise.resolve(new Uint8Array(createSign(hash === 'SHA-1' ? 'RSA-SHA1' : 'RSA-SHA256').update(data).sign(keyPem))),
  };
}

/**
 * Two outside keys: `issued`, a leaf issued by a small CA (a proper certificate), and `placeholder`, a self-signed
 * certificate named as the SDK samples' placeholder is.
 */
export function makeOutsideKeys(): { issued: SoftwareKey; placeholder: SoftwareKey } {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-edxml-keys-'));
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=Outside Test CA/O=Axis Emulator Test'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=So Noi vu tinh Bac Kan/O=28.22.H17'], dir);
  openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '30'], dir);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ph.key', '-out', 'ph.pem', '-days', '30', '-subj', '/CN=Placeholder Certificate/O=SDK sample'], dir);
  return { issued: keyFrom(dir, 'leaf.key', 'leaf.pem'), placeholder: keyFrom(dir, 'ph.key', 'ph.pem') };
}

const b64 = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64');
/** A small PDF whose bytes are easy to recognise (edXML does not care that it is unsigned). */
export const samplePdf = (label: string): Uint8Array => new Uint8Array(Buffer.from(`%PDF-1.4\n% ${label}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`, 'latin1'));

const organ = (tag: string, id: string, name: string): string =>
  `<edXML:${tag}><edXML:OrganId>${id}</edXML:OrganId><edXML:OrganName>${name}</edXML:OrganName><edXML:OrganAdd>Số 1, đường A</edXML:OrganAdd><edXML:Email>vt@example.gov.vn</edXML:Email></edXML:${tag}>`;

export interface DocumentForm {
  from?: string;
  to?: string[];
  documentId?: string;
  subject?: string;
  date?: string;
  bussiness?: string;
  responseFor?: string;
  attachments?: { cid: string; name: string; type?: string; bytes: Uint8Array }[];
  /** Attachments inside the envelope's body, as older packages put them. */
  inside?: boolean;
  rootExtra?: string;
  messageExtra?: string;
}

/** A document package as the axis SDK writes it: <edXML> root, envelope, then AttachmentEncoded outside it. */
export function documentXml(form: DocumentForm = {}): string {
  const from = form.from ?? '000.00.00.H14';
  const date = form.date ?? '2026/01/05';
  const documentId = form.documentId ?? `${from},${date},05/UBND-VP`;
  const attachments = form.attachments ?? [{ cid: 'cid:209', name: 'Cong van 05.pdf', bytes: samplePdf('main 05') }];
  const references = attachments.map((a) => `<edXML:Reference><edXML:ContentId>${a.cid}</edXML:ContentId><edXML:ContentType>${a.type ?? 'application/pdf'}</edXML:ContentType><edXML:Description>Văn bản</edXML:Description><edXML:AttachmentName>${a.name}</edXML:AttachmentName></edXML:Reference>`).join('\n');
  const encoded = `<edXML:AttachmentEncoded>${attachments
    .map((a) => `<edXML:Attachment><edXML:ContentId>${a.cid}</edXML:ContentId><edXML:AttachmentName>${a.name}</edXML:AttachmentName><edXML:Description>Văn bản</edXML:Description><edXML:ContentType>${a.type ?? 'application/pdf'}</edXML:ContentType><edXML:ContentTransferEncoded>${b64(a.bytes).replace(/(.{76})/g, '$1\n')}</edXML:ContentTransferEncoded></edXML:Attachment>`)
    .join('\n')}</edXML:AttachmentEncoded>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="${EDXML_NS}" xmlns:edXML="${EDXML_NS}"${form.rootExtra ?? ''}>
<edXML:edXMLEnvelope>
<edXML:edXMLHeader>
<edXML:MessageHeader>
${organ('From', from, 'UBND tỉnh Cao Bằng')}
${(form.to ?? ['28.22.H17', '14.00.W00']).map((id) => organ('To', id, `Cơ quan ${id}`)).join('\n')}
<edXML:DocumentId>${documentId}</edXML:DocumentId>
<edXML:Code><edXML:CodeNumber>05</edXML:CodeNumber><edXML:CodeNotation>UBND-VP</edXML:CodeNotation></edXML:Code>
<edXML:PromulgationInfo><edXML:Place>Cao Bằng</edXML:Place><edXML:PromulgationDate>${date}</edXML:PromulgationDate></edXML:PromulgationInfo>
<edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeDetail>0</edXML:TypeDetail><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
<edXML:Subject>${form.subject ?? 'Về việc triển khai văn bản điện tử &amp; hỏa tốc'}</edXML:Subject>
<edXML:Content>Nội dung</edXML:Content>
<edXML:SignerInfo><edXML:Competence>TM. ỦY BAN NHÂN DÂN</edXML:Competence><edXML:Position>CHỦ TỊCH</edXML:Position><edXML:FullName>Nguyễn Văn Ánh</edXML:FullName></edXML:SignerInfo>
<edXML:DueDate>${date}</edXML:DueDate>
<edXML:OtherInfo><edXML:Priority>0</edXML:Priority><edXML:SphereOfPromulgation>Toàn tỉnh</edXML:SphereOfPromulgation><edXML:TyperNotation>NVA</edXML:TyperNotation><edXML:PromulgationAmount>1</edXML:PromulgationAmount><edXML:PageAmount>1</edXML:PageAmount><edXML:Direction>false</edXML:Direction><edXML:Appendixes/></edXML:OtherInfo>
<edXML:SteeringType>0</edXML:SteeringType>
<edXML:ToPlaces><edXML:Place>Như trên</edXML:Place></edXML:ToPlaces>
${form.responseFor ?? '<edXML:ResponseFor/>'}${form.messageExtra ?? ''}
</edXML:MessageHeader>
<edXML:TraceHeaderList>
<edXML:TraceHeader><edXML:OrganId>${from}</edXML:OrganId><edXML:Timestamp>2026/01/05 10:15:30</edXML:Timestamp></edXML:TraceHeader>
<edXML:TraceHeader><edXML:OrganId>vxp.saas.03</edXML:OrganId><edXML:Timestamp>2026/01/05 10:15:42</edXML:Timestamp></edXML:TraceHeader>
${form.bussiness ?? '<edXML:Bussiness><edXML:BussinessDocType>0</edXML:BussinessDocType><edXML:BussinessDocReason/><edXML:Paper>0</edXML:Paper></edXML:Bussiness>'}
</edXML:TraceHeaderList>
</edXML:edXMLHeader>
<edXML:edXMLBody>
<edXML:edXMLManifest version="1.0">
${references}
</edXML:edXMLManifest>
${form.inside ? encoded : ''}
</edXML:edXMLBody>
</edXML:edXMLEnvelope>
${form.inside ? '' : encoded}
</edXML>
`;
}

/** A status package: From, ResponseFor naming the document, StaffInfo, StatusCode, Description, Timestamp. */
export function statusXml(code: string, answers = '000.00.00.H14,2026/01/05,05/UBND-VP', from = '28.22.H17'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="${EDXML_NS}" xmlns:edXML="${EDXML_NS}">
<edXML:edXMLEnvelope>
<edXML:edXMLHeader>
<edXML:MessageHeader>
${organ('From', from, 'Sở Nội vụ tỉnh Bắc Kạn')}
<edXML:ResponseFor><edXML:OrganId>${answers.split(',')[0]}</edXML:OrganId><edXML:Code>05/UBND-VP</edXML:Code><edXML:PromulgationDate>2026/01/05</edXML:PromulgationDate><edXML:DocumentId>${answers}</edXML:DocumentId></edXML:ResponseFor>
<edXML:StaffInfo><edXML:Department>Văn phòng</edXML:Department><edXML:Staff>Trần Thị Bích</edXML:Staff><edXML:Mobile>0912345678</edXML:Mobile><edXML:Email>bich@example.gov.vn</edXML:Email></edXML:StaffInfo>
<edXML:StatusCode>${code}</edXML:StatusCode>
<edXML:Description>Trạng thái ${code}</edXML:Description>
<edXML:Timestamp>2026/01/05 11:00:00</edXML:Timestamp>
</edXML:MessageHeader>
<edXML:TraceHeaderList><edXML:TraceHeader><edXML:OrganId>${from}</edXML:OrganId><edXML:Timestamp>2026/01/05 11:00:01</edXML:Timestamp></edXML:TraceHeader></edXML:TraceHeaderList>
</edXML:edXMLHeader>
</edXML:edXMLEnvelope>
</edXML>
`;
}

const bussiness = (type: number, original: string, reason: string): string =>
  `<edXML:Bussiness><edXML:DocumentId>${original}</edXML:DocumentId><edXML:BussinessDocType>${type}</edXML:BussinessDocType><edXML:BussinessDocReason>${reason}</edXML:BussinessDocReason><edXML:Paper>0</edXML:Paper>` +
  `<edXML:ReplacementInfoList><edXML:ReplacementInfo><edXML:DocumentId>${original}</edXML:DocumentId><edXML:OrganIdList><edXML:OrganId>28.22.H17</edXML:OrganId><edXML:OrganId>14.00.W00</edXML:OrganId></edXML:OrganIdList></edXML:ReplacementInfo></edXML:ReplacementInfoList>` +
  `<edXML:StaffInfo><edXML:Department>Văn phòng</edXML:Department><edXML:Staff>Lê Văn Cường</edXML:Staff></edXML:StaffInfo></edXML:Bussiness>`;

export const ORIGINAL_DOCUMENT_ID = '000.00.00.H14,2026/01/05,05/UBND-VP';

/** Every form, by file name; signed ones need the keys. */
export async function makeEdxmlFixtures(keys: { token: XmlSigningKey; issued: SoftwareKey; placeholder: SoftwareKey }): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, string>();
  const sign = (xml: string, key: XmlSigningKey, algorithm: XmlSignatureAlgorithm): Promise<string> => signEnveloped(xml, key, algorithm);
  out.set('document-edxml-root-attachments-outside.edxml', documentXml());
  out.set('document-attachments-inside-envelope.edxml', documentXml({ inside: true }));
  out.set('document-odd-organ-ids-and-dates.edxml', documentXml({ from: 'vxp.saas.03', to: ['28.22.H17', '14.00.W00', '000.00.00.H14'], date: '05/01/2026', documentId: '7a9c1f0e-2b6d-4c1e-9f3a-5d8e2c4b6a10' }));
  for (let code = 1; code <= 16; code += 1) out.set(`status-${String(code).padStart(2, '0')}.edxml`, statusXml(String(code).padStart(2, '0')));
  const later = { date: '2026/01/09', documentId: '000.00.00.H14,2026/01/09,06/UBND-VP' };
  const responseFor = `<edXML:ResponseFor><edXML:OrganId>000.00.00.H14</edXML:OrganId><edXML:Code>05/UBND-VP</edXML:Code><edXML:PromulgationDate>2026/01/05</edXML:PromulgationDate><edXML:DocumentId>${ORIGINAL_DOCUMENT_ID}</edXML:DocumentId></edXML:ResponseFor>`;
  out.set('update-bussiness-doctype-2.edxml', documentXml({ ...later, responseFor, bussiness: bussiness(2, ORIGINAL_DOCUMENT_ID, 'Cập nhật số liệu') }));
  out.set('replace-bussiness-replacement-info-only.edxml', documentXml({ ...later, bussiness: bussiness(3, ORIGINAL_DOCUMENT_ID, 'Thay thế do sai sót') }));
  out.set('recall-bussiness-doctype-1.edxml', documentXml({ documentId: ORIGINAL_DOCUMENT_ID, responseFor, bussiness: bussiness(1, ORIGINAL_DOCUMENT_ID, 'Thu hồi để sửa') }));
  const nested = documentXml({ from: '000.00.18.G12', documentId: '000.00.18.G12,2026/01/02,12/VPCP-KSTT', attachments: [{ cid: 'cid:1', name: 'Van ban VPCP.pdf', bytes: samplePdf('nested VPCP') }] });
  const zip = zipSync({ 'goi/van-ban-goc.edxml': new Uint8Array(Buffer.from(nested, 'utf8')), 'goi/../../thu-muc/ghi-chu.pdf': samplePdf('note in zip') });
  out.set('zip-attachment-nested-edxml.edxml', documentXml({ attachments: [{ cid: 'cid:210', name: 'Goi kem theo.zip', type: 'application/zip', bytes: zip }] }));
  out.set('xlink-prefix-undeclared.edxml', documentXml({ messageExtra: '<edXML:ToPlaces xlink:type="simple"><edXML:Place>Lưu VT</edXML:Place></edXML:ToPlaces>' }).replace('<edXML:ToPlaces><edXML:Place>Như trên</edXML:Place></edXML:ToPlaces>\n', ''));
  out.set('signed-token-rsa-sha256.edxml', await sign(documentXml(), keys.token, 'rsa-sha256'));
  out.set('signed-outside-ca-rsa-sha1.edxml', await sign(documentXml({ from: '28.22.H17', documentId: '28.22.H17,2026/01/05,05/UBND-VP' }), keys.issued, 'rsa-sha1'));
  out.set('signed-placeholder-cert-rsa-sha1.edxml', await sign(documentXml(), keys.placeholder, 'rsa-sha1'));
  const signed = await sign(documentXml(), keys.issued, 'rsa-sha256');
  out.set('signature-broken-subject-changed.edxml', signed.replace('Về việc triển khai', 'Về việc thu hồi'));
  out.set('status-03-signed-rsa-sha256.edxml', await sign(statusXml('03'), keys.token, 'rsa-sha256'));
  return new Map([...out].map(([name, xml]) => [name, new Uint8Array(Buffer.from(xml, 'utf8'))]));
}

/** Writes the fixtures into a fresh folder (for the CLI); returns it. */
export function writeFixtures(fixtures: Map<string, Uint8Array>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-edxml-fixtures-'));
  for (const [name, bytes] of fixtures) writeFileSync(path.join(dir, name), bytes);
  return dir;
}
