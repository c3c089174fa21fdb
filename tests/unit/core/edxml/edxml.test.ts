// edXML build/parse: Vietnamese text and XML specials round-trip; DTDs, entities, malformed and oversize packages are refused.
import { describe, expect, it } from 'vitest';
import {
  buildEdxml, edxmlToMessage, envelopeToEdxml, parseEdxml, parseXml, vietnamTimestamp, EDXML_NS, type EdxmlPackage } from '../../../../src/core/edxml/index.js';
import { isVanthuError, type ErrorCode } from '../../../../src/shared/errors.js';
import type { MessageEnvelope } from '../../../../src/shared/exchange-protocol.js';

const TRICKY = 'Về việc "thử" <b>&amp;</b> \'nháy\' ]]> tab\there\r\nCRLF 𝔘 — Hỏa tốc';

const pdf = (text: string): Uint8Array => new Uint8Array(Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`, 'latin1'));

function fullPackage(): EdxmlPackage {
  return {
    header: {
      from: { organId: '000.00.00.H14', organizationInCharge: 'Văn phòng UBND', organName: 'UBND tỉnh Cao Bằng', organAdd: 'Số 011 Hoàng Đình Giong, TP. Cao Bằng', email: 'vanthu@caobang.gov.vn', telephone: '0206 3852 139', fax: '0206 3852 140', website: 'https://caobang.gov.vn' },
      to: [
        { organId: '000.00.01.H14', organName: 'Sở Nội vụ tỉnh Cao Bằng' },
        { organId: '000.00.18.G12', organName: 'Văn phòng Chính phủ & "các Bộ"' },
      ],
      code: { codeNumber: '05', codeNotation: 'UBND-VP' },
      promulgationInfo: { place: 'Cao Bằng', promulgationDate: '2026/01/05' },
      documentType: { type: 1, typeDetail: 2, typeName: 'Công văn' },
      subject: TRICKY,
      content: 'Nội dung < 5 > 3 & xong',
      signerInfo: { competence: 'TM. ỦY BAN NHÂN DÂN', position: 'CHỦ TỊCH', fullName: 'Nguyễn Văn Ánh' },
      dueDate: '2026/02/28',
      toPlaces: ['Như trên;', 'Lưu: VT, VP.'],
      otherInfo: { priority: 3, sphereOfPromulgation: 'Toàn tỉnh', typerNotation: 'NVA', promulgationAmount: 10, pageAmount: 2, appendixes: ['Phụ lục I', 'Phụ lục II'] },
      responseFor: [{ organId: '000.00.18.G12', code: '12/VPCP-KSTT', promulgationDate: '2025/12/30', documentId: '000.00.18.G12,2025/12/30,12/VPCP-KSTT' }],
      steeringType: 1,
      documentId: '000.00.00.H14,2026/01/05,05/UBND-VP',
    },
    traces: [{ organId: '000.00.00.H14', timestamp: '2026/01/05 10:15:30' }],
    business: { docType: 2, reason: 'Cập nhật số liệu', paper: 0 },
    attachments: [
      { contentId: '1@vanthu', contentType: 'application/pdf', name: 'Công văn 05.pdf', description: 'Văn bản chính', bytes: pdf('main') },
      { contentId: '2@vanthu', contentType: 'application/pdf', name: 'Phụ lục "I".pdf', description: 'Phụ lục', bytes: new Uint8Array([0, 1, 2, 250, 251, 252, 253, 254, 255]) },
    ],
  };
}

function refusal(run: () => unknown, code: ErrorCode): string {
  try {
    run();
  } catch (error) {
    expect(isVanthuError(error), String(error)).toBe(true);
    if (!isVanthuError(error)) throw error;
    expect(error.code, error.messageEn).toBe(code);
    expect(error.messageVi).not.toBe(error.messageEn);
    return error.messageEn;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

const wrap = (inner: string, attachments = ''): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<edXML:edXMLEnvelope xmlns:edXML="${EDXML_NS}"><edXML:edXMLHeader><edXML:MessageHeader>` +
  `<edXML:From><edXML:OrganId>000.00.00.H14</edXML:OrganId></edXML:From><edXML:To><edXML:OrganId>000.00.01.H14</edXML:OrganId></edXML:To>${inner}` +
  `</edXML:MessageHeader></edXML:edXMLHeader>${attachments}</edXML:edXMLEnvelope>`;

describe('edXML build and parse', () => {
  it('round-trips every field, Vietnamese text, XML specials, CR/LF/tab and binary attachments', () => {
    const pkg = fullPackage();
    const bytes = buildEdxml(pkg);
    const xml = Buffer.from(bytes).toString('utf8');
    expect(xml).toContain(`xmlns:edXML="${EDXML_NS}"`);
    expect(xml).toContain('&lt;b&gt;&amp;amp;&lt;/b&gt;');
    expect(xml).not.toContain(']]>');
    expect(xml).toContain('<edXML:BussinessDocType>2</edXML:BussinessDocType>');
    expect(parseEdxml(bytes)).toEqual({ kind: 'document', ...pkg });
  });

  it('reads a package another system wrote: other prefix, default namespace, CDATA, comments, attachments in the body, wrapped base64', () => {
    const content = Buffer.from(pdf('from elsewhere')).toString('base64').replace(/(.{8})/g, '$1\n  ');
    const xml = `\ufeff<?xml version="1.0" encoding="utf-8"?>
<!-- xuất từ hệ thống khác -->
<ns0:edXMLEnvelope xmlns:ns0="${EDXML_NS}">
  <ns0:edXMLHeader><MessageHeader xmlns="${EDXML_NS}">
    <From><OrganId>000.00.18.G12</OrganId><OrganName>Văn phòng Chính phủ</OrganName></From>
    <To><OrganId>000.00.00.H14</OrganId></To>
    <Subject><![CDATA[Về việc <thử> & "kiểm tra"]]></Subject>
    <OtherInfo><Priority>1</Priority></OtherInfo>
  </MessageHeader>
  <ns0:TraceHeaderList><ns0:Bussiness><ns0:BussinessDocType>0</ns0:BussinessDocType></ns0:Bussiness></ns0:TraceHeaderList></ns0:edXMLHeader>
  <ns0:edXMLBody><ns0:edXMLManifest version="1.0"><ns0:Reference><ns0:ContentId>a1</ns0:ContentId></ns0:Reference></ns0:edXMLManifest>
    <ns0:AttachmentEncoded><ns0:Attachment><ns0:ContentId>a1</ns0:ContentId><ns0:AttachmentName>cv.pdf</ns0:AttachmentName>
      <ns0:ContentTransferEncoded>
  ${content}
      </ns0:ContentTransferEncoded></ns0:Attachment></ns0:AttachmentEncoded>
  </ns0:edXMLBody>
</ns0:edXMLEnvelope>
<!-- hết -->`;
    const pkg = parseEdxml(xml);
    expect(pkg.header.subject).toBe('Về việc <thử> & "kiểm tra"');
    expect(pkg.header.from).toEqual({ organId: '000.00.18.G12', organName: 'Văn phòng Chính phủ' });
    expect(pkg.header.otherInfo).toEqual({ priority: 1 });
    expect(pkg.business).toEqual({ docType: 0 });
    expect(Buffer.from(pkg.attachments[0]!.bytes).toString('latin1')).toContain('from elsewhere');
    expect(pkg.attachments[0]!.contentType).toBe('application/octet-stream');
  });

  it('refuses a DTD in every form: external entities (XXE), entity expansion bombs, parameter entities', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE edXMLEnvelope [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${wrap('<edXML:Subject>&xxe;</edXML:Subject>').replace(/^<\?xml[^>]*>\n/, '')}`;
    refusal(() => parseEdxml(xxe), 'EDXML_DTD_FORBIDDEN');
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`;
    refusal(() => parseEdxml(laughs), 'EDXML_DTD_FORBIDDEN');
    refusal(() => parseEdxml(`<!DOCTYPE x SYSTEM "http://attacker.example/evil.dtd"><x/>`), 'EDXML_DTD_FORBIDDEN');
    // Without a DTD an entity other than the five predefined ones cannot exist.
    expect(refusal(() => parseEdxml(wrap('<edXML:Subject>&xxe;</edXML:Subject>')), 'EDXML_MALFORMED')).toContain('undefined entity &xxe;');
    // A DOCTYPE smuggled inside the root is refused too.
    refusal(() => parseXml('<a><!DOCTYPE b></a>'), 'EDXML_DTD_FORBIDDEN');
  });

  it('refuses malformed XML with the line of the fault', () => {
    const cases: [string, string][] = [
      ['<a><b></a>', 'does not match'],
      ['<a>', 'not closed'],
      ['<a/><b/>', 'content after the root'],
      ['<a/>tail', 'content after the root'],
      ['<a x="1" x="2"/>', 'duplicate attribute'],
      ['<a x=1/>', 'not quoted'],
      ['<a>1 & 2</a>', '"&" not starting'],
      ['<a>&#0;</a>', 'bad character reference'],
      ['<a>\u0001</a>', 'not allowed in XML'],
      ['<?xml version="1.0" encoding="ISO-8859-1"?><a/>', 'only UTF-8'],
      ['<p:a/>', 'undeclared namespace prefix'],
      ['<a>\n\n<b>\n</c></a>', 'does not match'],
      ['', 'no root element'],
      ['<a><![CDATA[open</a>', 'unterminated CDATA'],
    ];
    for (const [xml, expected] of cases) expect(refusal(() => parseXml(xml), 'EDXML_MALFORMED'), xml).toContain(expected);
    expect(refusal(() => parseXml('<a>\n\n<b>\n</c></a>'), 'EDXML_MALFORMED')).toContain('line 4');
    expect(refusal(() => parseXml(new Uint8Array([0x3c, 0x61, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x61, 0x3e])), 'EDXML_MALFORMED')).toContain('not UTF-8');
  });

  it('refuses oversize packages, attachments, element counts and nesting', () => {
    const bytes = buildEdxml(fullPackage());
    refusal(() => parseEdxml(bytes, { maxBytes: bytes.length - 1 }), 'EDXML_TOO_LARGE');
    expect(parseEdxml(bytes, { maxBytes: bytes.length }).attachments).toHaveLength(2);
    refusal(() => parseEdxml(bytes, { maxAttachmentBytes: 8 }), 'EDXML_TOO_LARGE');
    refusal(() => parseEdxml(bytes, { maxElements: 20 }), 'EDXML_TOO_LARGE');
    expect(refusal(() => parseXml(`${'<a>'.repeat(40)}${'</a>'.repeat(40)}`), 'EDXML_MALFORMED')).toContain('deeper than 32');
  });

  it('refuses what is not edXML, and edXML with missing or malformed fields', () => {
    refusal(() => parseEdxml('<edXMLEnvelope/>'), 'EDXML_NOT_EDXML');
    refusal(() => parseEdxml(`<x:edXMLEnvelope xmlns:x="${EDXML_NS}"/>`), 'EDXML_NOT_EDXML');
    expect(refusal(() => parseEdxml(wrap('')), 'EDXML_FIELD_INVALID')).toContain('MessageHeader/Subject');
    expect(refusal(() => parseEdxml(wrap('<edXML:Subject>s</edXML:Subject><edXML:DueDate>2026/02/30</edXML:DueDate>')), 'EDXML_FIELD_INVALID')).toContain('DueDate');
    expect(refusal(() => parseEdxml(wrap('<edXML:Subject>s</edXML:Subject><edXML:OtherInfo><edXML:Priority>9</edXML:Priority></edXML:OtherInfo>')), 'EDXML_FIELD_INVALID')).toContain('Priority');
    expect(refusal(() => parseEdxml(wrap('<edXML:Subject>a</edXML:Subject><edXML:Subject>b</edXML:Subject>')), 'EDXML_FIELD_INVALID')).toContain('more than once');
    const attachment = (content: string): string =>
      `<edXML:AttachmentEncoded><edXML:Attachment><edXML:ContentId>1</edXML:ContentId><edXML:AttachmentName>a.pdf</edXML:AttachmentName><edXML:ContentTransferEncoded>${content}</edXML:ContentTransferEncoded></edXML:Attachment></edXML:AttachmentEncoded>`;
    expect(refusal(() => parseEdxml(wrap('<edXML:Subject>s</edXML:Subject>', attachment('JVBER!!!'))), 'EDXML_ATTACHMENT_INVALID')).toContain('not base64');
    refusal(() => parseEdxml(wrap('<edXML:Subject>s</edXML:Subject>', attachment(''))), 'EDXML_ATTACHMENT_INVALID');
    const orphan = `<edXML:edXMLBody><edXML:edXMLManifest><edXML:Reference><edXML:ContentId>9</edXML:ContentId></edXML:Reference></edXML:edXMLManifest></edXML:edXMLBody>`;
    expect(refusal(() => parseEdxml(wrap('<edXML:Subject>s</edXML:Subject>', orphan + attachment('JVBERg=='))), 'EDXML_ATTACHMENT_INVALID')).toContain('not attached');
  });
});

describe('edXML and the exchange envelope', () => {
  const envelope: MessageEnvelope = {
    sender: '000.00.00.H14',
    recipients: ['000.00.01.H14', '000.00.18.G12'],
    type: 'replace',
    inReplyTo: '0190a4b2-0000-7000-8000-000000000001',
    metadata: {
      subject: TRICKY,
      codeNumber: '06',
      codeNotation: 'UBND-VP',
      issuedDate: '2026-01-06',
      organName: 'UBND tỉnh Cao Bằng',
      typeName: 'Công văn',
      description: 'Thay thế Công văn số 05/UBND-VP',
      signerInfo: { position: 'CHỦ TỊCH', fullName: 'Nguyễn Văn Ánh' },
      priority: 2,
      pageAmount: 3,
      issuedAmount: 12,
      dueDate: '2026-03-01',
      steeringType: 2,
    },
    files: [
      { sha256: 'a'.repeat(64), role: 'main', name: 'Công văn 06.pdf' },
      { sha256: 'b'.repeat(64), role: 'appendix', name: 'Phụ lục.pdf' },
      { sha256: 'c'.repeat(64), role: 'attachment', name: 'Tờ trình.pdf' },
    ],
  };

  it('carries metadata, roles, type and the document replaced through a package and back', () => {
    const pkg = envelopeToEdxml({
      envelope,
      senderName: 'UBND tỉnh Cao Bằng',
      recipientNames: new Map([['000.00.01.H14', 'Sở Nội vụ']]),
      acceptedAt: new Date('2026-01-06T03:15:30.000Z'),
      files: envelope.files.map((f, i) => ({ ...f, bytes: pdf(`file ${i}`) })),
      original: { sender: '000.00.00.H14', metadata: { subject: 'cũ', codeNumber: '05', codeNotation: 'UBND-VP', issuedDate: '2026-01-05' } },
    });
    expect(pkg.header.documentId).toBe('000.00.00.H14,2026/01/06,06/UBND-VP');
    expect(pkg.traces).toEqual([{ organId: '000.00.00.H14', timestamp: '2026/01/06 10:15:30' }]);
    expect(pkg.business?.docType).toBe(3);
    const back = edxmlToMessage(parseEdxml(buildEdxml(pkg)));
    expect(back.sender).toBe(envelope.sender);
    expect(back.recipients).toEqual(envelope.recipients);
    expect(back.type).toBe('replace');
    expect(back.metadata).toEqual(envelope.metadata);
    expect(back.files.map((f) => [f.name, f.role])).toEqual(envelope.files.map((f) => [f.name, f.role]));
    expect(Buffer.from(back.files[1]!.bytes).toString('latin1')).toContain('file 1');
    expect(back.responseFor).toEqual({ organId: '000.00.00.H14', code: '05/UBND-VP', promulgationDate: '2026/01/05', documentId: '000.00.00.H14,2026/01/05,05/UBND-VP' });
  });

  it('refuses metadata beyond Decree 30 limits, bad organ ids, and a recall that names no document', () => {
    const base = envelopeToEdxml({ envelope: { ...envelope, type: 'new', inReplyTo: undefined }, acceptedAt: new Date(), files: [{ ...envelope.files[0]!, bytes: pdf('x') }] });
    expect(refusal(() => edxmlToMessage({ ...base, header: { ...base.header, subject: 'x'.repeat(501) } }), 'EDXML_FIELD_INVALID')).toContain('subject');
    expect(refusal(() => edxmlToMessage({ ...base, header: { ...base.header, to: [{ organId: 'H14/../x' }] } }), 'EDXML_FIELD_INVALID')).toContain('recipients');
    expect(refusal(() => edxmlToMessage({ ...base, business: { docType: 1 } }), 'EDXML_FIELD_INVALID')).toContain('ResponseFor');
  });

  it('writes trace timestamps in Vietnam time', () => {
    expect(vietnamTimestamp(new Date('2025-12-31T17:00:01Z'))).toBe('2026/01/01 00:00:01');
  });
});
