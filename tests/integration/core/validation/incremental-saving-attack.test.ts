// Incremental saving attacks (ISA): updates appended after signing that change what the signed document shows must make the signature invalid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf, type PdfSigningKey } from '../../../../src/core/signing/index.js';
import { finalizeAllModules, type TokenSession } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { discPng, fixture, pdfsig, writeTemp } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { A4, appendUpdate, changedDict, line, nextObjectNumber, reasons, refOf, stream, tokenKey, valueOf, withRefs } from './attack-kit.js';

const pki = usePki();
const sessions: TokenSession[] = [];
let trust: TrustStore;
let leader: PdfSigningKey;
let signed: Uint8Array;

beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  leader = await tokenKey(pki, 'VANTHU LEADER', 'leader-rsa', sessions);
  signed = (await signPdf(fixture('classic-xref.pdf'), leader, { widget: { page: 1, rect: [350, 100, 150, 75], image: discPng(80, [20, 40, 200]) } })).bytes;
  expect((await validatePdf(signed, { trust, online: true })).verdict).toBe('valid');
});
afterAll(async () => {
  for (const session of sessions) await session.logout().catch(() => undefined);
  await finalizeAllModules();
});

/** The first signature's verdict and everything said against the file. */
async function judge(file: Uint8Array): Promise<{ verdict: string; first: string; said: string }> {
  const report = await validatePdf(file, { trust, online: true });
  return { verdict: report.verdict, first: report.signatures[0]?.verdict ?? 'none', said: reasons(report) };
}

describe('incremental saving attacks', () => {
  it('an update that rewrites the page content stream', async () => {
    const contents = await refOf(signed, 4, 'Contents');
    const attacked = await appendUpdate(signed, [{ number: contents, body: stream(line(770, 'So: 99/UBND-VP - chi 9.000.000.000 dong')) }]);
    // pdfsig still calls the signature itself valid: only the changes after it tell the attack.
    expect(pdfsig(writeTemp('isa-content.pdf', attacked), pki.nssDbSpec)[0]).toMatchObject({ signatureValidation: 'Signature is Valid.', totalDocumentSigned: false });
    const { first, said } = await judge(attacked);
    expect(first).toBe('invalid');
    expect(said).toContain('MODIFIED_AFTER_SIGNING');
    expect(said).toContain(`object ${contents} 0 R changed`);
  });

  it("an update that points the page's /Contents at a new stream", async () => {
    const n = await nextObjectNumber(signed);
    const attacked = await appendUpdate(signed, [
      { number: n, body: stream(line(770, 'So: 99/UBND-VP')) },
      { number: 4, body: await changedDict(signed, 4, { Contents: `${n} 0 R` }) },
    ]);
    const { first, said } = await judge(attacked);
    expect(first).toBe('invalid');
    expect(said).toMatch(/page object 4 0 R \(Page\): content changed/);
  });

  it('an update that adds a page', async () => {
    const n = await nextObjectNumber(signed);
    const attacked = await appendUpdate(signed, [
      { number: n, body: `<< /Type /Page /Parent 3 0 R /MediaBox ${A4} /Resources << /Font << /F1 8 0 R >> >> /Contents ${n + 1} 0 R >>` },
      { number: n + 1, body: stream(line(770, 'Phu luc: chi them 9.000.000.000 dong')) },
      { number: 3, body: `<< /Type /Pages /Kids [4 0 R 6 0 R ${n} 0 R] /Count 3 >>` },
    ]);
    const { first, said } = await judge(attacked);
    expect(first).toBe('invalid');
    expect(said).toContain('pages added, removed or reordered');
  });

  it("an update that changes a form field's value", async () => {
    const form = (await signPdf(fixture('with-form.pdf'), leader, {})).bytes;
    expect((await validatePdf(form, { trust, online: true })).verdict).toBe('valid');
    const attacked = await appendUpdate(form, [{ number: 12, body: await changedDict(form, 12, { V: '(da sua sau khi ky)' }) }]);
    const { first, said } = await judge(attacked);
    expect(first).toBe('invalid');
    expect(said).toMatch(/object 12 0 R \(Annot\): V changed/);
  });

  it('an update that adds a FreeText annotation over the text', async () => {
    const n = await nextObjectNumber(signed);
    const annots = await valueOf(signed, 4, 'Annots');
    const attacked = await appendUpdate(signed, [
      { number: n, body: `<< /Type /Annot /Subtype /FreeText /Rect [60 760 460 790] /F 4 /Contents (So: 99/UBND-VP) /DA (/Helv 14 Tf 0 g) /AP << /N ${n + 1} 0 R >> >>` },
      { number: n + 1, body: stream(`1 1 1 rg 0 0 400 30 re f 0 g ${line(10, 'So: 99/UBND-VP')}`, `/Type /XObject /Subtype /Form /BBox [0 0 400 30] /Resources << /Font << /F1 8 0 R >> >>`) },
      { number: 4, body: await changedDict(signed, 4, { Annots: withRefs(annots, n) }) },
    ]);
    const { first, said } = await judge(attacked);
    expect(first).toBe('invalid');
    expect(said).toContain('annotations other than signatures added');
  });

  it('an update that adds an annotation dressed as an unsigned signature field (/FT /Sig) with a visible appearance', async () => {
    const n = await nextObjectNumber(signed);
    const annots = await valueOf(signed, 4, 'Annots');
    for (const subtype of ['FreeText', 'Widget']) {
      const attacked = await appendUpdate(signed, [
        { number: n, body: `<< /Type /Annot /Subtype /${subtype} /FT /Sig /T (Ghost) /Rect [60 760 460 790] /F 4 /P 4 0 R /AP << /N ${n + 1} 0 R >> >>` },
        { number: n + 1, body: stream(`1 1 1 rg 0 0 400 30 re f 0 g ${line(10, 'So: 99/UBND-VP')}`, `/Type /XObject /Subtype /Form /BBox [0 0 400 30] /Resources << /Font << /F1 8 0 R >> >>`) },
        { number: 4, body: await changedDict(signed, 4, { Annots: withRefs(annots, n) }) },
      ]);
      const { first, said } = await judge(attacked);
      expect(first, subtype).toBe('invalid');
      expect(said, subtype).toContain('annotations other than signatures added');
    }
  });
});
