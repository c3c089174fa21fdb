// edXML as the axis exchanges it: every real form read (root, attachments outside and inside, cid, zips with nested packages, Bussiness, statuses 01–16, odd organ ids and dates, undeclared xlink), signatures checked, and packages written and signed on the SoftHSM token read back unchanged.
import { createSign } from 'node:crypto';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildEdxml,
  buildSignedEdxml,
  checkEnvelopedSignature,
  edxmlToMessage,
  parseAnyEdxml,
  parseEdxml,
  statusToEdxml,
  xmlKeyFromSigner,
  type EdxmlPackage,
  type EdxmlStatusPackage,
  type XmlSigningKey,
} from '../../../../src/core/edxml/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { isVanthuError, type ErrorCode } from '../../../../src/shared/errors.js';
import { documentXml, makeEdxmlFixtures, makeOutsideKeys, ORIGINAL_DOCUMENT_ID, samplePdf, statusXml } from '../../../kit/edxml-fixtures.js';
import { usePki } from '../../../kit/pki.js';
import { logoutAll, tokenSigningKey } from '../../../kit/signing-key.js';

const pki = usePki();
let fixtures: Map<string, Uint8Array>;
let tokenKey: XmlSigningKey;

beforeAll(async () => {
  const agency = await tokenSigningKey(pki, 'VANTHU AGENCY', 'agency-rsa');
  tokenKey = xmlKeyFromSigner(agency.signer, agency.certificate);
  fixtures = await makeEdxmlFixtures({ token: tokenKey, ...makeOutsideKeys() });
}, 60_000);
afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

const fixture = (name: string): Uint8Array => {
  const bytes = fixtures.get(name);
  if (!bytes) throw new Error(`no fixture ${name}`);
  return bytes;
};
const documentOf = (name: string): EdxmlPackage => parseEdxml(fixture(name));

function refusal(run: () => unknown, code: ErrorCode): string {
  try {
    run();
  } catch (error) {
    if (!isVanthuError(error)) throw error;
    expect(error.code, error.messageEn).toBe(code);
    return error.messageEn;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

describe('reading real packages', () => {
  it('reads the <edXML> root with AttachmentEncoded outside the envelope, joining cid: references', () => {
    const pkg = documentOf('document-edxml-root-attachments-outside.edxml');
    expect(pkg.header.from.organId).toBe('000.00.00.H14');
    expect(pkg.header.to.map((t) => t.organId)).toEqual(['28.22.H17', '14.00.W00']);
    expect(pkg.header.documentId).toBe(ORIGINAL_DOCUMENT_ID);
    expect(pkg.header.subject).toBe('Về việc triển khai văn bản điện tử & hỏa tốc');
    expect(pkg.header.otherInfo?.direction).toBe('false');
    expect(pkg.header.responseFor).toBeUndefined();
    expect(pkg.traces.map((t) => t.organId)).toEqual(['000.00.00.H14', 'vxp.saas.03']);
    expect(pkg.business).toEqual({ docType: 0, paper: 0 });
    expect(pkg.attachments).toHaveLength(1);
    expect(pkg.attachments[0]!.contentId).toBe('cid:209');
    expect(Buffer.from(pkg.attachments[0]!.bytes).equals(Buffer.from(samplePdf('main 05')))).toBe(true);
    expect(pkg.signature).toBeUndefined();
  });

  it('reads the older form with the attachments inside the envelope', () => {
    const pkg = documentOf('document-attachments-inside-envelope.edxml');
    expect(pkg.attachments.map((a) => a.name)).toEqual(['Cong van 05.pdf']);
  });

  it('reads organ ids as they occur and dates in their variants, keeping a UUID DocumentId as it came', () => {
    const pkg = documentOf('document-odd-organ-ids-and-dates.edxml');
    expect(pkg.header.from.organId).toBe('vxp.saas.03');
    expect(pkg.header.promulgationInfo?.promulgationDate).toBe('2026/01/05');
    expect(pkg.header.documentId).toBe('7a9c1f0e-2b6d-4c1e-9f3a-5d8e2c4b6a10');
    // Field errors name the field and the line it is on.
    expect(refusal(() => parseEdxml(documentXml({ from: '../etc/passwd' })), 'EDXML_FIELD_INVALID')).toMatch(/TraceHeader\/OrganId.*"\.\.\/etc\/passwd".*line 2\d\)/);
    expect(refusal(() => parseEdxml(documentXml({ date: '2026/02/30' })), 'EDXML_FIELD_INVALID')).toMatch(/PromulgationDate.*"2026\/02\/30".*line 11\)/);
  });

  it('reads a status package for every code 01–16, naming the document it answers', () => {
    for (let n = 1; n <= 16; n += 1) {
      const code = String(n).padStart(2, '0');
      const pkg = parseAnyEdxml(fixture(`status-${code}.edxml`)) as EdxmlStatusPackage;
      expect(pkg.kind).toBe('status');
      expect(pkg.status.statusCode).toBe(code);
      expect(pkg.status.responseFor.documentId).toBe(ORIGINAL_DOCUMENT_ID);
      expect(pkg.status.staffInfo?.staff).toBe('Trần Thị Bích');
      expect(pkg.status.from.organId).toBe('28.22.H17');
    }
    refusal(() => parseAnyEdxml(statusXml('17')), 'EDXML_FIELD_INVALID');
    refusal(() => parseEdxml(fixture('status-01.edxml')), 'EDXML_NOT_EDXML');
  });

  it('reads update, replacement and recall with Bussiness: DocumentId, type, reason, ReplacementInfoList, StaffInfo', () => {
    const update = documentOf('update-bussiness-doctype-2.edxml');
    expect(update.business).toMatchObject({ documentId: ORIGINAL_DOCUMENT_ID, docType: 2, reason: 'Cập nhật số liệu', staffInfo: { staff: 'Lê Văn Cường' } });
    expect(update.business?.replacementInfoList).toEqual([{ documentId: ORIGINAL_DOCUMENT_ID, organIds: ['28.22.H17', '14.00.W00'] }]);
    // The replacement names its original only in Bussiness: it still reaches it.
    const replace = documentOf('replace-bussiness-replacement-info-only.edxml');
    expect(replace.header.responseFor).toBeUndefined();
    const asMessage = (name: string) => edxmlToMessage({ ...documentOf(name), header: { ...documentOf(name).header, from: { organId: '000.00.00.H14' }, to: [{ organId: '000.00.01.H14' }] } });
    expect(asMessage('replace-bussiness-replacement-info-only.edxml')).toMatchObject({ type: 'replace', responseFor: { documentId: ORIGINAL_DOCUMENT_ID } });
    expect(asMessage('update-bussiness-doctype-2.edxml')).toMatchObject({ type: 'update', responseFor: { documentId: ORIGINAL_DOCUMENT_ID } });
    expect(asMessage('recall-bussiness-doctype-1.edxml')).toMatchObject({ type: 'recall', responseFor: { documentId: ORIGINAL_DOCUMENT_ID } });
  });

  it('unpacks a zipped attachment within limits, reads the package nested in it, and cuts entry names to safe base names', () => {
    const pkg = documentOf('zip-attachment-nested-edxml.edxml');
    const zip = pkg.attachments[0]!;
    expect(zip.contentType).toBe('application/zip');
    expect(zip.unpacked?.map((e) => e.name).sort()).toEqual(['ghi-chu.pdf', 'van-ban-goc.edxml']);
    const nested = zip.unpacked!.find((e) => e.name === 'van-ban-goc.edxml')!.nested as EdxmlPackage;
    expect(nested.header.documentId).toBe('000.00.18.G12,2026/01/02,12/VPCP-KSTT');
    expect(Buffer.from(nested.attachments[0]!.bytes).toString('latin1')).toContain('nested VPCP');
    // For the exchange, the zip gives its PDFs: the nested package's document and the loose note.
    const message = edxmlToMessage({ ...pkg, header: { ...pkg.header, from: { organId: '000.00.00.H14' }, to: [{ organId: '000.00.01.H14' }] } });
    expect(message.files.map((f) => f.name).sort()).toEqual(['Van ban VPCP.pdf', 'ghi-chu.pdf']);
  });

  it('refuses a zip bomb, too many entries, and a broken zip, naming the attachment', () => {
    const bomb = zipSync({ 'zeros.pdf': new Uint8Array(8 * 1024 * 1024) }, { level: 9 });
    expect(refusal(() => parseEdxml(documentXml({ attachments: [{ cid: 'cid:1', name: 'bom.zip', type: 'application/zip', bytes: bomb }] })), 'EDXML_ATTACHMENT_INVALID')).toMatch(/bom\.zip.*compressed more than/);
    const many = zipSync(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}.pdf`, samplePdf(String(i))])));
    refusal(() => parseEdxml(documentXml({ attachments: [{ cid: 'cid:1', name: 'many.zip', bytes: many }] }), { zip: { maxEntries: 10 } }), 'EDXML_ATTACHMENT_INVALID');
    const broken = zipSync({ 'a.pdf': samplePdf('a') }).slice(0, 40);
    refusal(() => parseEdxml(documentXml({ attachments: [{ cid: 'cid:1', name: 'broken.zip', bytes: broken }] })), 'EDXML_ATTACHMENT_INVALID');
  });

  it('reads an undeclared xlink: prefix leniently; any other undeclared prefix or a mismatched tag is an error with its line', () => {
    expect(documentOf('xlink-prefix-undeclared.edxml').header.toPlaces).toEqual(['Lưu VT']);
    expect(refusal(() => parseEdxml(documentXml({ messageExtra: '\n<foo:Bar>x</foo:Bar>' })), 'EDXML_MALFORMED')).toMatch(/line 2[0-9].*undeclared namespace prefix "foo"/);
    const mismatched = documentXml().replace('</edXML:Subject>', '</edXML:Subjet>');
    expect(refusal(() => parseEdxml(mismatched), 'EDXML_MALFORMED')).toMatch(/line 1[0-9].*does not match/);
  });

  it('refuses control characters in text fields and cuts attachment names to a safe base name', () => {
    expect(refusal(() => parseEdxml(documentXml({ subject: 'Về việc &#x7f; xoá' })), 'EDXML_FIELD_INVALID')).toMatch(/Subject.*U\+007F.*line 13\)/);
    expect(refusal(() => parseEdxml(documentXml({ subject: 'C1 &#x85; điều khiển' })), 'EDXML_FIELD_INVALID')).toMatch(/U\+0085/);
    const pkg = parseEdxml(documentXml({ attachments: [{ cid: 'cid:1', name: '../../etc/passwd.pdf', bytes: samplePdf('x') }, { cid: 'cid:2', name: 'C:\\Windows\\evil.pdf', bytes: samplePdf('y') }] }));
    expect(pkg.attachments.map((a) => a.name)).toEqual(['passwd.pdf', 'evil.pdf']);
    expect(pkg.attachments[0]!.writtenName).toBe('../../etc/passwd.pdf');
  });
});

describe('signatures', () => {
  it('checks RSA-SHA256 (made on the token) and RSA-SHA1 (an outside CA) as valid', () => {
    const token = documentOf('signed-token-rsa-sha256.edxml').signature!;
    expect(token).toMatchObject({ result: 'valid', algorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256' });
    expect(token.placeholderCertificate).toBeUndefined();
    const sha1 = documentOf('signed-outside-ca-rsa-sha1.edxml').signature!;
    expect(sha1).toMatchObject({ result: 'valid', algorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' });
    expect(sha1.subject).toContain('So Noi vu tinh Bac Kan');
    expect((parseAnyEdxml(fixture('status-03-signed-rsa-sha256.edxml')) as EdxmlStatusPackage).signature?.result).toBe('valid');
  });

  it('reports a placeholder certificate without failing the package, and a changed package as invalid', () => {
    const placeholder = documentOf('signed-placeholder-cert-rsa-sha1.edxml');
    expect(placeholder.signature).toMatchObject({ result: 'valid', placeholderCertificate: true });
    expect(placeholder.signature?.detail).toMatch(/self-signed/);
    const broken = documentOf('signature-broken-subject-changed.edxml');
    expect(broken.header.subject).toContain('thu hồi');
    expect(broken.signature?.result).toBe('invalid');
    // A certificate that is not one at all: unchecked, reported as a placeholder.
    const garbage = Buffer.from(fixture('signed-token-rsa-sha256.edxml')).toString('utf8').replace(/<X509Certificate>[^<]+</, '<X509Certificate>UExBQ0VIT0xERVI=<');
    expect(checkEnvelopedSignature(garbage)).toMatchObject({ result: 'unchecked', placeholderCertificate: true });
  });
});

describe('writing packages the axis accepts', () => {
  it('writes the real shape in schema order, keeps DocumentId and the trace list, appends ours, signs on the token, and reads back byte for byte', async () => {
    const original = documentOf('document-odd-organ-ids-and-dates.edxml');
    const written = await buildSignedEdxml({ ...original, traces: [...original.traces, { organId: '000.00.00.H14', timestamp: '2026/01/06 08:00:00' }] }, tokenKey);
    const xml = Buffer.from(written).toString('utf8');
    expect(xml).toMatch(/^<\?xml[^>]*>\n<edXML xmlns="http:\/\/www\.mic\.gov\.vn\/TBT\/QCVN_102_2016"/);
    // AttachmentEncoded after the envelope closes; the signature in the header after the trace list.
    expect(xml.indexOf('</edXML:edXMLEnvelope>')).toBeLessThan(xml.indexOf('<edXML:AttachmentEncoded>'));
    expect(xml.indexOf('</edXML:TraceHeaderList>')).toBeLessThan(xml.indexOf('<Signature'));
    expect(xml.indexOf('<Signature')).toBeLessThan(xml.indexOf('</edXML:edXMLHeader>'));
    const order = ['<edXML:From>', '<edXML:To>', '<edXML:DocumentId>', '<edXML:Code>', '<edXML:PromulgationInfo>', '<edXML:DocumentType>', '<edXML:Subject>', '<edXML:Content>', '<edXML:SignerInfo>', '<edXML:DueDate>', '<edXML:OtherInfo>', '<edXML:SteeringType>', '<edXML:ToPlaces>'];
    const positions = order.map((tag) => xml.indexOf(tag));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const back = parseEdxml(written);
    expect(back.signature).toMatchObject({ result: 'valid' });
    expect(back.header.documentId).toBe('7a9c1f0e-2b6d-4c1e-9f3a-5d8e2c4b6a10');
    expect(back.traces).toEqual([...original.traces, { organId: '000.00.00.H14', timestamp: '2026/01/06 08:00:00' }]);
    expect(back.attachments.map((a) => [a.contentId, Buffer.from(a.bytes).toString('base64')])).toEqual(original.attachments.map((a) => [a.contentId, Buffer.from(a.bytes).toString('base64')]));
    // Unsigned, then changed: the same writer's output checks as invalid once altered after signing.
    expect(parseEdxml(buildEdxml(original)).signature).toBeUndefined();
  });

  it('writes a status package for every code 01–16 with ResponseFor naming the original, signed RSA-SHA256 or RSA-SHA1', async () => {
    const metadata = { subject: 'x', codeNumber: '05', codeNotation: 'UBND-VP', issuedDate: '2026-01-05' };
    for (let n = 1; n <= 16; n += 1) {
      const code = String(n).padStart(2, '0');
      const pkg = statusToEdxml({ from: { organId: '28.22.H17', organName: 'Sở Nội vụ' }, original: { sender: '000.00.00.H14', metadata, documentId: ORIGINAL_DOCUMENT_ID }, code, description: `Lý do ${code}`, at: new Date('2026-01-05T04:00:00Z') });
      const back = parseAnyEdxml(n % 2 === 0 ? await buildSignedEdxml(pkg, tokenKey) : buildEdxml(pkg)) as EdxmlStatusPackage;
      expect(back).toMatchObject({ kind: 'status', status: { statusCode: code, timestamp: '2026/01/05 11:00:00', responseFor: { organId: '000.00.00.H14', code: '05/UBND-VP', promulgationDate: '2026/01/05', documentId: ORIGINAL_DOCUMENT_ID } } });
      if (n % 2 === 0) expect(back.signature?.result).toBe('valid');
    }
    const keys = makeOutsideKeys();
    const sha1 = parseAnyEdxml(await buildSignedEdxml(statusToEdxml({ from: { organId: '28.22.H17' }, original: { sender: '000.00.00.H14', metadata }, code: '01', at: new Date() }), keys.issued, 'rsa-sha1'));
    expect(sha1.signature).toMatchObject({ result: 'valid', algorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' });
    // RSA-SHA1 on the SoftHSM token, as the axis samples sign.
    const onToken = parseAnyEdxml(await buildSignedEdxml(parseAnyEdxml(statusXml('01')), tokenKey, 'rsa-sha1'));
    expect(onToken.signature).toMatchObject({ result: 'valid', algorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' });
    // A signer that can only hash SHA-256 (a software one here) is a clear error for SHA-1, never a wrong signature.
    const sha256Only = xmlKeyFromSigner({ sign: (data) => Promise.resolve(new Uint8Array(createSign('RSA-SHA256').update(data).sign(keys.issued.keyPem))) }, keys.issued.certificateDer);
    await expect(buildSignedEdxml(parseAnyEdxml(statusXml('01')), sha256Only, 'rsa-sha1')).rejects.toMatchObject({ code: 'TOKEN_MECHANISM_UNSUPPORTED' });
  });
});
