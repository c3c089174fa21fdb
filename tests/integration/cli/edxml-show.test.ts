// `vanthu edxml show`: the fields of every fixture form, in both languages and as JSON; a broken signature is exit 1, an unreadable package exit 2.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePackage, parseAnyEdxml, summaryText, xmlKeyFromSigner, type PackageSummary } from '../../../src/core/edxml/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { runVanthu } from '../../kit/cli.js';
import { makeEdxmlFixtures, makeOutsideKeys, ORIGINAL_DOCUMENT_ID, writeFixtures } from '../../kit/edxml-fixtures.js';
import { usePki } from '../../kit/pki.js';
import { logoutAll, tokenSigningKey } from '../../kit/signing-key.js';

const pki = usePki();
let fixtures: Map<string, Uint8Array>;
let dir: string;
const CLI_TIMEOUT = 180_000;

beforeAll(async () => {
  const agency = await tokenSigningKey(pki, 'VANTHU AGENCY', 'agency-rsa');
  fixtures = await makeEdxmlFixtures({ token: xmlKeyFromSigner(agency.signer, agency.certificate), ...makeOutsideKeys() });
  dir = writeFixtures(fixtures);
}, 60_000);
afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

describe('edxml show', () => {
  it('summarises every fixture with the fields a clerk needs, Vietnamese and English labels', () => {
    for (const [name, bytes] of fixtures) {
      const summary = describePackage(parseAnyEdxml(bytes));
      const text = summaryText(summary);
      expect(text, name).toContain('Loại gói / Kind:');
      expect(text, name).toContain('Nơi gửi / From:');
      expect(text, name).toContain('Chữ ký / Signature:');
      if (summary.kind === 'status') {
        expect(text, name).toMatch(/Trạng thái \/ Status: \d\d /);
        expect(text, name).toContain(`Trả lời văn bản / Answers document: ${ORIGINAL_DOCUMENT_ID}`);
      } else {
        expect(text, name).toContain('Mã văn bản / DocumentId:');
        expect(text, name).toContain('Số, ký hiệu / Number and notation: 05/UBND-VP');
        expect(text, name).toContain('Trích yếu / Subject:');
        expect(text, name).toMatch(/Nghiệp vụ \/ Business type: [0-3] /);
        expect(text, name).toMatch(/Tệp đính kèm \/ Attachments:\n {2}- .+ \(application\/(pdf|zip), \d+ bytes, cid:/);
      }
    }
    const zip = summaryText(describePackage(parseAnyEdxml(fixtures.get('zip-attachment-nested-edxml.edxml')!)));
    expect(zip).toContain('van-ban-goc.edxml');
    expect(zip).toContain('gói edXML lồng / nested edXML package:');
    expect(zip).toContain('Mã văn bản / DocumentId: 000.00.18.G12,2026/01/02,12/VPCP-KSTT');
    const status = summaryText(describePackage(parseAnyEdxml(fixtures.get('status-02.edxml')!)));
    expect(status).toContain('Trạng thái / Status: 02 Từ chối tiếp nhận / Rejected');
  });

  it('prints a document, a status as JSON, and says when a signature does not hold', async () => {
    const document = await runVanthu(['edxml', 'show', path.join(dir, 'signed-token-rsa-sha256.edxml')]);
    expect(document.code, document.stderr).toBe(0);
    expect(document.stdout).toContain('Loại gói / Kind: gói văn bản / document package');
    expect(document.stdout).toContain('Nơi nhận / Recipients: 28.22.H17 (Cơ quan 28.22.H17); 14.00.W00 (Cơ quan 14.00.W00)');
    expect(document.stdout).toMatch(/Chữ ký \/ Signature: hợp lệ \/ valid rsa-sha256 — .*VANTHU|Chữ ký \/ Signature: hợp lệ \/ valid rsa-sha256/);

    const status = await runVanthu(['edxml', 'show', path.join(dir, 'status-03-signed-rsa-sha256.edxml'), '--json']);
    expect(status.code, status.stderr).toBe(0);
    const summary = JSON.parse(status.stdout) as PackageSummary & { ok: boolean };
    expect(summary).toMatchObject({ ok: true, kind: 'status', status: { code: '03', en: 'Accepted (registered)' }, answers: { documentId: ORIGINAL_DOCUMENT_ID }, signature: { result: 'valid' } });

    const broken = await runVanthu(['edxml', 'show', path.join(dir, 'signature-broken-subject-changed.edxml')]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('Chữ ký / Signature: KHÔNG hợp lệ / INVALID');

    const bad = path.join(dir, 'not-well-formed.edxml');
    writeFileSync(bad, '<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">\n<a></b>\n</edXML>');
    const refused = await runVanthu(['edxml', 'show', bad, '--json']);
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout)).toMatchObject({ ok: false, error: { code: 'EDXML_MALFORMED', params: { line: 2 } } });
  }, CLI_TIMEOUT);
});
