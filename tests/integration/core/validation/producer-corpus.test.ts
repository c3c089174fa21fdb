// The producer corpus: PDFs written by ghostscript, mutool, qpdf, cairo, pdf-lib and pdfsig, each signed by the leader then sealed by the agency, judged by pdfsig, qpdf, openssl and vanthu.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf, type PdfSigningKey } from '../../../../src/core/signing/index.js';
import { finalizeAllModules, type TokenSession } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { checkByteRange } from '../../../../src/core/validation/byte-range.js';
import { trimPadding } from '../../../../src/core/validation/cms-check.js';
import { startFakeTsa, type FakeTsa } from '../../../kit/fake-tsa.js';
import { opensslCmsVerify } from '../../../kit/openssl-cms.js';
import { discPng, pdfsig, qpdfCheck, writeTemp } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { reasons, tokenKey } from './attack-kit.js';

const pki = usePki();
const sessions: TokenSession[] = [];
const corpusDir = path.resolve('tests/fixtures/pdf/corpus');
const corpus = readdirSync(corpusDir).filter((name) => name.endsWith('.pdf')).sort();
/** The one corpus file that arrives already signed, by pdfsig with a key the test PKI does not know. */
const PDFSIG_FIELD = 'PdfsigSignature';
let trust: TrustStore;
let tsa: FakeTsa;
let leader: PdfSigningKey;
let agency: PdfSigningKey;

beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  tsa = await startFakeTsa(pki);
  leader = await tokenKey(pki, 'VANTHU LEADER', 'leader-rsa', sessions);
  agency = await tokenKey(pki, 'VANTHU AGENCY', 'agency-rsa', sessions);
});
afterAll(async () => {
  await tsa?.close();
  for (const session of sessions) await session.logout().catch(() => undefined);
  await finalizeAllModules();
});

describe('producer corpus: leader then agency seal', () => {
  it('holds the producers the issue names, and stays small', () => {
    expect(corpus).toEqual(
      expect.arrayContaining(['ghostscript-pdf14.pdf', 'mutool-clean-garbage-compressed.pdf', 'qpdf-qdf.pdf', 'pdf-lib-generated.pdf', 'pdfsig-signed.pdf']),
    );
    const total = corpus.reduce((sum, name) => sum + readFileSync(path.join(corpusDir, name)).length, 0);
    expect(total).toBeLessThan(200 * 1024);
  });

  for (const name of corpus) {
    it(name, async () => {
      const original = new Uint8Array(readFileSync(path.join(corpusDir, name)));
      const first = await signPdf(original, leader, { widget: { page: 1, rect: [350, 100, 150, 75], image: discPng(80, [20, 40, 200]) }, reason: 'Ky ban hanh' });
      const second = await signPdf(first.bytes, agency, { level: 'B-T', tsaUrl: tsa.url, widget: { page: 1, rect: [330, 95, 70, 70], image: discPng(70, [210, 20, 20]) } });
      expect(second.level).toBe('B-T');
      expect(Buffer.from(second.bytes.subarray(0, original.length)).equals(Buffer.from(original)), 'incremental: the original is a prefix').toBe(true);

      const file = writeTemp(name, second.bytes);
      const qpdf = qpdfCheck(file);
      expect(qpdf.status, qpdf.output).toBe(0);

      const judged = pdfsig(file, pki.nssDbSpec);
      const ours = judged.filter((s) => s.field !== PDFSIG_FIELD);
      expect(ours.map((s) => [s.field, s.signatureValidation, s.certificateValidation])).toEqual([
        [first.fieldName, 'Signature is Valid.', 'Certificate is Trusted.'],
        [second.fieldName, 'Signature is Valid.', 'Certificate is Trusted.'],
      ]);
      expect(ours[1]?.totalDocumentSigned).toBe(true);

      const report = await validatePdf(second.bytes, { trust, online: true });
      const mine = report.signatures.filter((s) => s.fieldName !== PDFSIG_FIELD);
      expect(mine.map((s) => [s.fieldName, s.verdict, s.modifications.disallowed]), reasons(report)).toEqual([
        [first.fieldName, 'valid', []],
        [second.fieldName, 'valid', []],
      ]);
      expect(mine[0]?.modifications.allowed.join(' ')).toContain('signature added');
      expect(mine.map((s) => s.signer?.subject.commonName)).toEqual(['Nguyễn Thị Hồng Nhung', 'UBND tỉnh Cao Bằng']);

      const other = report.signatures.find((s) => s.fieldName === PDFSIG_FIELD);
      if (name === 'pdfsig-signed.pdf') {
        // Our two signatures changed nothing pdfsig's signature covers, for vanthu and for pdfsig itself.
        expect(other?.modifications).toMatchObject({ disallowed: [] });
        expect(judged.find((s) => s.field === PDFSIG_FIELD)?.signatureValidation).toBe('Signature is Valid.');
      } else expect(other).toBeUndefined();

      // openssl as the outside judge of the leader's CMS over exactly the bytes its /ByteRange names.
      const range = report.signatures.find((s) => s.fieldName === first.fieldName)!.coverage.byteRange;
      const extracted = checkByteRange(second.bytes, range);
      const verified = opensslCmsVerify(pki, trimPadding(extracted.contents), Buffer.concat(extracted.signedParts));
      expect(verified.ok, verified.output).toBe(true);
    });
  }

  // NSS writes the CMS with BER indefinite lengths; the reader converts BER to DER (src/core/cms/ber.ts).
  it("reads pdfsig's BER-encoded CMS: sound, but signed by a key no trusted root vouches for", async () => {
    const report = await validatePdf(new Uint8Array(readFileSync(path.join(corpusDir, 'pdfsig-signed.pdf'))), { trust, online: true });
    expect(report.signatures[0]).toMatchObject({ integrity: { digestMatches: true, signatureValid: true }, verdict: 'indeterminate' });
    expect(report.signatures[0]?.findings.map((f) => f.code)).toContain('CHAIN_UNTRUSTED');
  });
});
