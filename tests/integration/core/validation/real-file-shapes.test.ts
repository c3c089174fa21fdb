// Real-world file shapes the validator once got wrong, one fixture each named after its defect: valid ones stay valid, the hide attacks and damaged files are caught without a crash.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PdfSigningKey } from '../../../../src/core/signing/index.js';
import { finalizeAllModules, type TokenSession } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import type { PdfValidationReport } from '../../../../src/shared/validation.js';
import { startFakeTsa, type FakeTsa } from '../../../kit/fake-tsa.js';
import { fixture, pdfsig, qpdfCheck, writeTemp } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { A4, HELVETICA, appendUpdate, changedDict, line, reasons, stream, tokenKey, writePdf } from './attack-kit.js';
import {
  catalogDamaged,
  docTimestampAfterDssWithoutType,
  hybridXrefPdf,
  manySignatures,
  pagesPrivateKeyItxt,
  resourcesMovedSameContent,
  shadowHideXrefPastEof,
  shadowHideXrefToOtherObject,
  signVisible,
  xrefPrevBroken,
} from './shape-kit.js';

const pki = usePki();
const sessions: TokenSession[] = [];
let trust: TrustStore;
let tsa: FakeTsa;
let leader: PdfSigningKey;
let signed: Uint8Array;

// classic-xref.pdf: catalog 1, Info 2, pages 3, page 4 (content 5), page 6 (content 7), font 8.
beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  tsa = await startFakeTsa(pki);
  leader = await tokenKey(pki, 'VANTHU LEADER', 'leader-rsa', sessions);
  signed = await signVisible(fixture('classic-xref.pdf'), leader);
});
afterAll(async () => {
  await tsa?.close();
  for (const session of sessions) await session.logout().catch(() => undefined);
  await finalizeAllModules();
});

const validate = (file: Uint8Array): Promise<PdfValidationReport> => validatePdf(file, { trust, online: true });

/** Every signature's verdict and disallowed changes. */
const verdicts = (report: PdfValidationReport): [string, string[]][] => report.signatures.map((s) => [s.verdict, s.modifications.disallowed]);

describe('valid files in shapes real tools write', () => {
  it('resources-moved-same-content.pdf: a page rewritten with its /Resources moved to a new object of the same content', async () => {
    const file = await resourcesMovedSameContent(signed, 4);
    writeTemp('resources-moved-same-content.pdf', file);
    const report = await validate(file);
    expect(verdicts(report), reasons(report)).toEqual([['valid', []]]);
    expect(report.signatures[0]?.modifications.changes.map((c) => c.code)).toContain('SAME_CONTENT_REWRITTEN');
  });

  it('…but resources moved to a new object with other content are a change', async () => {
    const file = await appendUpdate(signed, [
      { number: 30, body: '<< /Font << /F1 31 0 R >> >>' },
      { number: 31, body: '<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>' },
      { number: 4, body: await changedDict(signed, 4, { Resources: '30 0 R' }) },
    ]);
    const report = await validate(file);
    expect(report.signatures[0]?.verdict).toBe('invalid');
    expect(reasons(report)).toMatch(/page 1, page object 4 0 R \(Page\): Resources changed/);
    expect(report.signatures[0]?.modifications.changes.find((c) => !c.allowed)?.messageVi).toBe('nội dung trang 1 bị thay đổi');
  });

  it('pages-private-key-itxt.pdf: iText adds /ITXT to /Pages with the same /Kids in another key order', async () => {
    const file = await pagesPrivateKeyItxt(signed, 3);
    writeTemp('pages-private-key-itxt.pdf', file);
    const report = await validate(file);
    expect(verdicts(report), reasons(report)).toEqual([['valid', []]]);
    expect(report.signatures[0]?.modifications.allowed).toContain('private key /ITXT of iText written into object 3 0 R (Pages)');
  });

  it('…but another key added to /Pages (a rotation) is a change', async () => {
    const file = await appendUpdate(signed, [{ number: 3, body: await changedDict(signed, 3, { Rotate: '90' }) }]);
    const report = await validate(file);
    expect(reasons(report)).toContain('pages added, removed or reordered');
    expect(report.signatures[0]?.verdict).toBe('invalid');
  });

  it('xref-prev-broken.pdf: the last section has a broken /Prev, so the rest is found by scanning', async () => {
    const file = await xrefPrevBroken(signed, 2);
    writeTemp('xref-prev-broken.pdf', file);
    const report = await validate(file);
    expect(verdicts(report), reasons(report)).toEqual([['valid', []]]);
    expect(report.signatures[0]?.modifications.allowed).toContain('document information (Info) updated');
  });

  it('doc-timestamp-after-dss-without-type.pdf: a DSS without /Type, timestamped, then given a /VRI and timestamped again', async () => {
    const file = await docTimestampAfterDssWithoutType(signed, 1, pki.subCaDer, tsa.url);
    expect(qpdfCheck(writeTemp('doc-timestamp-after-dss-without-type.pdf', file)).status).toBe(0);
    const report = await validate(file);
    expect(report.signatures.map((s) => [s.kind, s.modifications.disallowed]), reasons(report)).toEqual([
      ['signature', []],
      ['document-timestamp', []],
      ['document-timestamp', []],
    ]);
    expect(report.signatures[0]?.verdict, reasons(report)).toBe('valid');
    expect(report.signatures[0]?.modifications.allowed).toContain('validation data (DSS) added');
    // The first timestamp sealed the DSS object that the next update rewrote in place: recognised by where it hangs, not by a /Type.
    expect(report.signatures[1]?.modifications.allowed).toContain('validation data (DSS) updated');
  });
});

describe('hybrid-reference files', () => {
  it('hybrid-xref-stm.pdf: resources and font only listed by /XRefStm, signed, then the font redefined', async () => {
    const hybrid = hybridXrefPdf();
    expect(qpdfCheck(writeTemp('hybrid-xref-stm.pdf', hybrid)).status).toBe(0);
    const file = await signVisible(hybrid, leader);
    expect(pdfsig(writeTemp('hybrid-xref-stm-signed.pdf', file), pki.nssDbSpec)[0]).toMatchObject({ signatureValidation: 'Signature is Valid.' });
    const report = await validate(file);
    expect(verdicts(report), reasons(report)).toEqual([['valid', []]]);
    const attacked = await appendUpdate(file, [{ number: 5, body: '<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>' }]);
    const caught = await validate(attacked);
    expect(caught.signatures[0]?.verdict).toBe('invalid');
    expect(reasons(caught)).toMatch(/object 5 0 R \(Font\): BaseFont changed/);
  });
});

describe('hide shadow attacks through the cross-reference alone', () => {
  it('shadow-hide-xref-to-other-object.pdf: the page content entry points at the font object\'s bytes', async () => {
    const file = await shadowHideXrefToOtherObject(signed, 5, 8);
    writeTemp('shadow-hide-xref-to-other-object.pdf', file);
    const report = await validate(file);
    expect(report.signatures[0]?.verdict).toBe('invalid');
    expect(reasons(report)).toMatch(/object 5: a later cross-reference section points it at other bytes, which are not that object \(another object is there\)/);
    const change = report.signatures[0]?.modifications.changes.find((c) => c.code === 'OBJECT_REPLACED_BY_XREF');
    expect(change).toMatchObject({ params: { object: 5 }, allowed: false, messageVi: 'bảng tham chiếu chéo mới trỏ đối tượng số 5 tới dữ liệu không phải đối tượng đó' });
  });

  it('shadow-hide-xref-past-eof.pdf: the page content entry points past the end of the file', async () => {
    const file = await shadowHideXrefPastEof(signed, 5);
    writeTemp('shadow-hide-xref-past-eof.pdf', file);
    const report = await validate(file);
    expect(report.signatures[0]?.verdict).toBe('invalid');
    expect(reasons(report)).toMatch(/object 5: a later cross-reference section points it at other bytes, which are not that object \(nothing readable is there\)/);
  });
});

describe('references left dangling when signed', () => {
  it('an object the page already referred to, missing when signed, defined by a later update', async () => {
    const prepared = writePdf([
      '<< /Type /Catalog /Pages 3 0 R >>',
      '<< /Title (Hop dong) >>',
      '<< /Type /Pages /Kids [4 0 R] /Count 1 >>',
      `<< /Type /Page /Parent 3 0 R /MediaBox ${A4} /Resources << /Font << /F1 5 0 R >> >> /Contents [6 0 R 90 0 R] >>`,
      HELVETICA,
      stream(`${line(770, 'HOP DONG MUA BAN')} ${line(740, 'So tien: 1.000.000 dong')}`),
    ]);
    const file = await signVisible(prepared, leader);
    expect(verdicts(await validate(file))).toEqual([['valid', []]]);
    const attacked = await appendUpdate(file, [{ number: 90, body: stream(`1 1 1 rg 60 730 420 30 re f 0 g ${line(740, 'So tien: 9.000.000.000 dong')}`) }]);
    const report = await validate(attacked);
    expect(report.signatures[0]?.verdict).toBe('invalid');
    expect(reasons(report)).toMatch(/object 90: referenced but missing when signed, and defined by a later update/);
  });
});

describe('damaged files never make the validator throw', () => {
  for (const [name, body] of [
    ['an unterminated dictionary', '<< /Type /Catalog /Pages 3 0 R /AcroForm << /Fields [ 9 0 R'],
    ['an array', '[ /Type /Catalog /Pages 3 0 R ]'],
    ['an /AcroForm that is a string', '<< /Type /Catalog /Pages 3 0 R /AcroForm (form) >>'],
  ] as const) {
    it(`catalog-damaged.pdf: a later catalog that is ${name}`, async () => {
      const file = await catalogDamaged(signed, 1, body);
      writeTemp('catalog-damaged.pdf', file);
      const report = await validate(file);
      // The signature is still found (in the revision it signed) and reported invalid: the file changed under it.
      expect(report.signatures).toHaveLength(1);
      expect(report.signatures[0]?.verdict).toBe('invalid');
      expect(report.signatures[0]?.integrity.digestMatches).toBe(true);
      expect(report.verdict).toBe('invalid');
    });
  }
});

describe('many signatures', () => {
  it('a file signed 25 times: every signature valid, the last covering the whole file', async () => {
    const file = await manySignatures(fixture('classic-xref.pdf'), leader, 25);
    writeTemp('signed-25-times.pdf', file);
    const report = await validate(file);
    expect(report.signatures).toHaveLength(25);
    expect(report.signatures.map((s) => s.verdict), reasons(report)).toEqual(Array(25).fill('valid'));
    expect(report.signatures.map((s) => s.coverage.laterRevisions)).toEqual(Array.from({ length: 25 }, (_, i) => 24 - i));
    expect(report.signatures[24]?.coverage.coversWholeFile).toBe(true);
  }, 120_000);
});
