// Shadow attacks: content the attacker hides in a document before the victim signs it, revealed or swapped in by an update that looks allowed.
import { execFileSync } from 'node:child_process';
import { PDFDocument, PDFName } from '@cantoo/pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf, type PdfSigningKey } from '../../../../src/core/signing/index.js';
import { finalizeAllModules, type TokenSession } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { discPng, fixture, writeTemp } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import {
  A4,
  HELVETICA,
  appendUpdate,
  changedDict,
  concat,
  definitions,
  lastStartxref,
  line,
  nextObjectNumber,
  pageObject,
  raw,
  reasons,
  refOf,
  stream,
  text,
  tokenKey,
  writePdf,
} from './attack-kit.js';

const pki = usePki();
const sessions: TokenSession[] = [];
let trust: TrustStore;
let leader: PdfSigningKey;

beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  leader = await tokenKey(pki, 'VANTHU LEADER', 'leader-rsa', sessions);
});
afterAll(async () => {
  for (const session of sessions) await session.logout().catch(() => undefined);
  await finalizeAllModules();
});

/** The victim signs what the attacker prepared (visible leader signature on page 1); the validator must find it valid as signed. */
async function victimSigns(pdf: Uint8Array): Promise<Uint8Array> {
  const signed = (await signPdf(pdf, leader, { widget: { page: 1, rect: [350, 100, 150, 75], image: discPng(80, [20, 40, 200]) } })).bytes;
  const report = await validatePdf(signed, { trust, online: true });
  expect(report.verdict, reasons(report)).toBe('valid');
  return signed;
}

// poppler's complaints about the attack files go nowhere: only the text it shows matters here.
const pageText = (file: Uint8Array): string => execFileSync('pdftotext', [writeTemp('shadow.pdf', file), '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

/** Validates an attacked file: the first (victim's) signature must be invalid, with the reason matching. */
async function expectCaught(file: Uint8Array, reason: RegExp): Promise<void> {
  const report = await validatePdf(file, { trust, online: true });
  expect(report.signatures[0]?.verdict, reasons(report)).toBe('invalid');
  expect(report.verdict).toBe('invalid');
  expect(reasons(report)).toMatch(reason);
}

const amount = (y: number, words: string): string => `1 1 1 rg 60 ${y - 10} 420 30 re f 0 g ${line(y, words)}`;
const form = (extra = ''): string => `/Type /XObject /Subtype /Form /BBox ${A4} /Resources << /Font << /F1 5 0 R >> >> ${extra}`;

/** A one-page contract whose page draws the form XObject 7 over its text; `overlayDict` is how 7 presents itself. */
const contractWithOverlay = (overlayDict: string, resources = '<< /Font << /F1 5 0 R >> /XObject << /Shadow 7 0 R >> >>'): Uint8Array =>
  writePdf([
    '<< /Type /Catalog /Pages 3 0 R >>',
    '<< /Title (Hop dong) /Producer (attacker) >>',
    '<< /Type /Pages /Kids [4 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 3 0 R /MediaBox ${A4} /Resources ${resources} /Contents 6 0 R >>`,
    HELVETICA,
    stream(`${line(770, 'HOP DONG MUA BAN')} ${line(740, 'So tien: 1.000.000 dong')} q /Shadow Do Q`),
    stream('', overlayDict),
  ]);

describe('shadow attacks: hide', () => {
  it('an empty overlay XObject that calls itself XMP metadata, filled in after signing', async () => {
    const signed = await victimSigns(contractWithOverlay(form('/Type /Metadata')));
    const attacked = await appendUpdate(signed, [{ number: 7, body: stream(amount(740, 'So tien: 9.000.000.000 dong'), form('/Type /Metadata')) }]);
    expect(pageText(attacked)).toContain('9.000.000.000');
    await expectCaught(attacked, /object 7 0 R.*changed/);
  });

  it('the overlay filled in by an update that also names it the document information (/Info)', async () => {
    const signed = await victimSigns(contractWithOverlay(form()));
    const attacked = await appendUpdate(signed, [{ number: 7, body: stream(amount(740, 'So tien: 9.000.000.000 dong'), form()) }], { info: '7 0 R' });
    expect(pageText(attacked)).toContain('9.000.000.000');
    await expectCaught(attacked, /object 7 0 R.*changed/);
  });

  it('page resources that call themselves validation data (/Type /DSS), remapped to another overlay after signing', async () => {
    const base = contractWithOverlay(form(), '8 0 R');
    // Object 8: the page's resources, dressed as a DSS dictionary.
    const withResources = await appendUpdate(base, [{ number: 8, body: '<< /Type /DSS /Font << /F1 5 0 R >> /XObject << /Shadow 7 0 R >> >>' }]);
    const signed = await victimSigns(withResources);
    const n = await nextObjectNumber(signed);
    const attacked = await appendUpdate(signed, [
      { number: n, body: stream(amount(740, 'So tien: 9.000.000.000 dong'), form()) },
      { number: 8, body: `<< /Type /DSS /Font << /F1 5 0 R >> /XObject << /Shadow ${n} 0 R >> >>` },
    ]);
    expect(pageText(attacked)).toContain('9.000.000.000');
    await expectCaught(attacked, /object 8 0 R \(DSS\)/);
  });

  it('an annotation hidden by its flags, shown after signing', async () => {
    const annotation = (flags: number): string => `<< /Type /Annot /Subtype /Square /Rect [60 730 480 760] /F ${flags} /AP << /N 8 0 R >> >>`;
    const prepared = writePdf([
      '<< /Type /Catalog /Pages 3 0 R >>',
      '<< /Title (Hop dong) >>',
      '<< /Type /Pages /Kids [4 0 R] /Count 1 >>',
      `<< /Type /Page /Parent 3 0 R /MediaBox ${A4} /Resources << /Font << /F1 5 0 R >> >> /Contents 6 0 R /Annots [7 0 R] >>`,
      HELVETICA,
      stream(`${line(770, 'HOP DONG MUA BAN')} ${line(740, 'So tien: 1.000.000 dong')}`),
      annotation(2),
      stream(amount(10, 'So tien: 9.000.000.000 dong'), '/Type /XObject /Subtype /Form /BBox [0 0 420 30] /Resources << /Font << /F1 5 0 R >> >>'),
    ]);
    const signed = await victimSigns(prepared);
    await expectCaught(await appendUpdate(signed, [{ number: 7, body: annotation(4) }]), /object 7 0 R \(Annot\): F changed/);
  });

  it('an empty signature field hidden by its flags, with an appearance over the text, shown after signing', async () => {
    const widget = (flags: number): string =>
      `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Approval) /Rect [60 730 480 760] /F ${flags} /P 4 0 R /AP << /N 8 0 R >> >>`;
    const prepared = writePdf([
      '<< /Type /Catalog /Pages 3 0 R /AcroForm << /Fields [7 0 R] >> >>',
      '<< /Title (Hop dong) >>',
      '<< /Type /Pages /Kids [4 0 R] /Count 1 >>',
      `<< /Type /Page /Parent 3 0 R /MediaBox ${A4} /Resources << /Font << /F1 5 0 R >> >> /Contents 6 0 R /Annots [7 0 R] >>`,
      HELVETICA,
      stream(`${line(770, 'HOP DONG MUA BAN')} ${line(740, 'So tien: 1.000.000 dong')}`),
      widget(2),
      stream(amount(10, 'So tien: 9.000.000.000 dong'), '/Type /XObject /Subtype /Form /BBox [0 0 420 30] /Resources << /Font << /F1 5 0 R >> >>'),
    ]);
    const signed = await victimSigns(prepared);
    await expectCaught(await appendUpdate(signed, [{ number: 7, body: widget(4) }]), /object 7 0 R \(Annot\)/);
  });
});

describe('shadow attacks: replace', () => {
  it("a form field's value and appearance replaced after signing", async () => {
    const signed = await victimSigns(fixture('with-form.pdf'));
    const n = await nextObjectNumber(signed);
    const attacked = await appendUpdate(signed, [
      { number: n, body: stream(`0 g ${line(5, 'da sua')}`, '/Type /XObject /Subtype /Form /BBox [0 0 228 20] /Resources << /Font << /F1 8 0 R >> >>') },
      { number: 12, body: await changedDict(signed, 12, { V: '(da sua)', AP: `<< /N ${n} 0 R >>` }) },
    ]);
    await expectCaught(attacked, /object 12 0 R \(Annot\): (V, AP|AP, V) changed/);
  });

  it('an empty signature field whose appearance is replaced by an update that fills /V with no signature', async () => {
    const prepared = writePdf([
      '<< /Type /Catalog /Pages 3 0 R /AcroForm << /Fields [7 0 R] >> >>',
      '<< /Title (Hop dong) >>',
      '<< /Type /Pages /Kids [4 0 R] /Count 1 >>',
      `<< /Type /Page /Parent 3 0 R /MediaBox ${A4} /Resources << /Font << /F1 5 0 R >> >> /Contents 6 0 R /Annots [7 0 R] >>`,
      HELVETICA,
      stream(`${line(770, 'HOP DONG MUA BAN')} ${line(740, 'So tien: 1.000.000 dong')}`),
      '<< /Type /Annot /Subtype /Widget /FT /Sig /T (Approval) /Rect [60 730 480 760] /F 4 /P 4 0 R >>',
    ]);
    const signed = await victimSigns(prepared);
    const n = await nextObjectNumber(signed);
    for (const value of ['null', '(signed)', `${n + 1} 0 R`]) {
      const attacked = await appendUpdate(signed, [
        { number: n, body: stream(amount(10, 'So tien: 9.000.000.000 dong'), '/Type /XObject /Subtype /Form /BBox [0 0 420 30] /Resources << /Font << /F1 5 0 R >> >>') },
        { number: n + 1, body: '<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached >>' },
        { number: 7, body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Approval) /Rect [60 730 480 760] /F 4 /P 4 0 R /V ${value} /AP << /N ${n} 0 R >> >>` },
      ]);
      expect(pageText(attacked)).toContain('9.000.000.000');
      const report = await validatePdf(attacked, { trust, online: true });
      expect(report.verdict, value).toBe('invalid');
    }
  });
});

describe('shadow attacks: hide-and-replace', () => {
  it("an update that redefines the page's font object", async () => {
    const signed = await victimSigns(fixture('classic-xref.pdf'));
    const attacked = await appendUpdate(signed, [{ number: 8, body: '<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>' }]);
    await expectCaught(attacked, /object 8 0 R \(Font\): BaseFont changed/);
  });

  it('an update that redefines a content stream kept in an object stream', async () => {
    const signed = await victimSigns(fixture('object-streams.pdf'));
    const contents = await refOf(signed, await pageObject(signed, 0), 'Contents');
    const attacked = await appendUpdate(signed, [{ number: contents, body: stream(line(770, 'So: 99/UBND-VP')) }]);
    expect(pageText(attacked)).toContain('99/UBND-VP');
    await expectCaught(attacked, new RegExp(`object ${contents} 0 R changed`));
  });

  for (const prev of ['chained', 'looping'] as const) {
    it(`an update made only of a cross-reference section that points an object back at its older bytes (/Prev ${prev})`, async () => {
      const signed = await victimSigns(fixture('incrementally-updated.pdf'));
      const [older] = definitions(signed, 7);
      expect(pageText(signed)).toContain('Trang 2 (sua)');
      let attacked = await appendUpdate(signed, [], { xref: { 7: older! } });
      // A /Prev pointing back at its own section must not make the reader give up on the entries it did read.
      if (prev === 'looping') {
        const looped = text(attacked).replace(/\/Prev \d+ >>\nstartxref\n(\d+)\n%%EOF\n$/, (_, at: string) => `/Prev ${at} >>\nstartxref\n${at}\n%%EOF\n`);
        expect(looped).not.toBe(text(attacked));
        attacked = raw(looped);
      }
      if (prev === 'chained') expect(pageText(attacked)).not.toContain('Trang 2 (sua)');
      await expectCaught(attacked, /object 7: .*cross-reference/);
    });
  }

  it('an update whose cross-reference points an object at bytes hidden inside a new stream', async () => {
    const signed = await victimSigns(fixture('classic-xref.pdf'));
    const contents = await refOf(signed, 4, 'Contents');
    const n = await nextObjectNumber(signed);
    const hidden = `${contents} 0 obj\n${stream(line(770, 'So: 99/UBND-VP'))}\nendobj\n`;
    const carrier = raw(`${n} 0 obj\n${stream(`% notes\n${hidden}`)}\nendobj\n`);
    const at = signed.length + 1 + text(carrier).indexOf(`${contents} 0 obj`);
    const attacked = await appendUpdate(signed, [], { prefix: carrier, xref: { [contents]: at } });
    expect(pageText(attacked)).toContain('99/UBND-VP');
    // Read as viewers read it (through the cross-reference), the page's content stream is simply other content.
    await expectCaught(attacked, new RegExp(`object ${contents} 0 R changed`));
  });

  it('an update that redefines the page content under generation 1, which MuPDF shows for "N 0 R"', async () => {
    const signed = await victimSigns(fixture('classic-xref.pdf'));
    const contents = await refOf(signed, 4, 'Contents');
    const attacked = await appendUpdate(signed, [{ number: contents, generation: 1, body: stream(line(770, 'So: 99/UBND-VP')) }]);
    const mupdf = execFileSync('mutool', ['draw', '-F', 'txt', writeTemp('generation.pdf', attacked), '1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(mupdf).toContain('99/UBND-VP');
    await expectCaught(attacked, new RegExp(`object ${contents}: redefined under generation 1 instead of 0`));
  });

  it('an update whose xref stream puts a new page dictionary in an object stream, followed by a direct copy of the old one', async () => {
    const signed = await victimSigns(fixture('object-streams.pdf'));
    const doc = await PDFDocument.load(signed, { forIncrementalUpdate: true, updateMetadata: false });
    const snapshot = doc.takeSnapshot();
    snapshot.prevStartXRef = lastStartxref(signed);
    const page = doc.getPage(0);
    const oldPage = page.node.toString();
    page.node.set(PDFName.of('Contents'), doc.context.register(doc.context.stream(line(770, 'So: 99/UBND-VP'))));
    snapshot.markRefForSave(page.ref);
    const update = text(await doc.saveIncremental(snapshot, { useObjectStreams: true }));
    // The copy goes just before the xref stream: the parser reads it last, the xref stream never names it.
    const xrefStream = [...update.matchAll(/\d+ 0 obj\s*<<(?:(?!endobj)[\s\S])*?\/Type\s*\/XRef/g)].at(-1)!.index;
    const copy = `${page.ref.objectNumber} 0 obj\n${oldPage}\nendobj\n`;
    const moved = update.slice(xrefStream).replace(/startxref\s+(\d+)/, (_, at: string) => `startxref\n${Number(at) + copy.length}`);
    const attacked = concat(signed, raw(update.slice(0, xrefStream) + copy + moved));
    expect(pageText(attacked)).toContain('99/UBND-VP');
    // The reader follows the xref stream as viewers do, so the page it resolves is the new one, whatever copy follows.
    await expectCaught(attacked, new RegExp(`page object ${page.ref.objectNumber} 0 R \\(Page\\): content changed`));
  });

  it('an update whose cross-reference marks the page content free', async () => {
    const signed = await victimSigns(fixture('classic-xref.pdf'));
    const contents = await refOf(signed, 4, 'Contents');
    const attacked = await appendUpdate(signed, [], { xref: { [contents]: 'free' } });
    // poppler rebuilds the cross-reference and still finds the stream; viewers that trust it show an empty page.
    await expectCaught(attacked, new RegExp(`object ${contents}: deleted`));
  });

  it('a second definition of the content hidden in the signed revision, selected later by the cross-reference alone', async () => {
    const single = writePdf([
      '<< /Type /Catalog /Pages 3 0 R >>',
      '<< /Title (Hop dong) >>',
      '<< /Type /Pages /Kids [4 0 R] /Count 1 >>',
      `<< /Type /Page /Parent 3 0 R /MediaBox ${A4} /Resources << /Font << /F1 5 0 R >> >> /Contents 6 0 R >>`,
      HELVETICA,
      stream(`${line(770, 'HOP DONG MUA BAN')} ${line(740, 'So tien: 1.000.000 dong')}`),
    ]);
    // The shadow definition goes after the others, out of the xref: viewers show the first one.
    const xrefAt = text(single).lastIndexOf('\nxref\n') + 1;
    const shadow = raw(`6 0 obj\n${stream(`${line(770, 'HOP DONG MUA BAN')} ${line(740, 'So tien: 9.000.000.000 dong')}`)}\nendobj\n`);
    const prepared = concat(single.subarray(0, xrefAt), shadow, raw(text(single.subarray(xrefAt)).replace(/startxref\n\d+/, `startxref\n${xrefAt + shadow.length}`)));
    expect(pageText(prepared)).toContain('1.000.000 dong');
    const signed = await victimSigns(prepared);
    const attacked = await appendUpdate(signed, [], { xref: { 6: definitions(signed, 6)[1]! } });
    expect(pageText(attacked)).toContain('9.000.000.000');
    await expectCaught(attacked, /object 6: .*defined twice/);
  });

  it('an update that switches the trailer /Root to a catalog hidden in the signed revision', async () => {
    const prepared = writePdf([
      '<< /Type /Catalog /Pages 3 0 R /AcroForm 7 0 R >>',
      '<< /Title (Hop dong) >>',
      '<< /Type /Pages /Kids [4 0 R] /Count 1 >>',
      `<< /Type /Page /Parent 3 0 R /MediaBox ${A4} /Resources << /Font << /F1 5 0 R >> >> /Contents 6 0 R >>`,
      HELVETICA,
      stream(`${line(770, 'HOP DONG MUA BAN')} ${line(740, 'So tien: 1.000.000 dong')}`),
      '<< /Fields [] >>',
      '<< /Type /Catalog /Pages 9 0 R /AcroForm 7 0 R >>',
      '<< /Type /Pages /Kids [10 0 R] /Count 1 >>',
      `<< /Type /Page /Parent 9 0 R /MediaBox ${A4} /Resources << /Font << /F1 5 0 R >> >> /Contents 11 0 R >>`,
      stream(`${line(770, 'HOP DONG MUA BAN')} ${line(740, 'So tien: 9.000.000.000 dong')}`),
    ]);
    const signed = await victimSigns(prepared);
    const attacked = await appendUpdate(signed, [{ number: 2, body: '<< /Title (Hop dong - ban cuoi) >>' }], { root: '8 0 R' });
    expect(pageText(attacked)).toContain('9.000.000.000');
    await expectCaught(attacked, /catalog was replaced/);
  });
});
