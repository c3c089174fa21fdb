// Signature wrapping attacks (SWA): a /ByteRange or signature dictionary rearranged so the signed bytes verify while the file shows something else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf, type PdfSigningKey } from '../../../../src/core/signing/index.js';
import { finalizeAllModules, type TokenSession } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { discPng, fixture, pdfsig, writeTemp } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import {
  appendUpdate,
  bodyOf,
  changedDict,
  concat,
  line,
  nextObjectNumber,
  raw,
  reasons,
  refOf,
  signatureObjects,
  stream,
  text,
  tokenKey,
  valueOf,
  withRefs,
} from './attack-kit.js';

const pki = usePki();
const sessions: TokenSession[] = [];
let trust: TrustStore;
let leader: PdfSigningKey;
let signed: Uint8Array;
let sig: { field: number; value: number };
let range: [number, number, number, number];

beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  leader = await tokenKey(pki, 'VANTHU LEADER', 'leader-rsa', sessions);
  signed = (await signPdf(fixture('classic-xref.pdf'), leader, { widget: { page: 1, rect: [350, 100, 150, 75], image: discPng(80, [20, 40, 200]) }, reason: 'Phat hanh' })).bytes;
  [sig] = (await signatureObjects(signed)) as [{ field: number; value: number }];
  const match = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(bodyOf(signed, sig.value));
  range = match!.slice(1).map(Number) as [number, number, number, number];
  expect(range[2] + range[3]).toBe(signed.length);
});
afterAll(async () => {
  for (const session of sessions) await session.logout().catch(() => undefined);
  await finalizeAllModules();
});

/** Overwrites the /ByteRange numbers in place, padded to the same width (the signer leaves room for that). */
function rewriteByteRange(file: Uint8Array, values: number[]): Uint8Array {
  const out = new Uint8Array(file);
  const at = text(out).lastIndexOf('/ByteRange', range[1]);
  const open = text(out).indexOf('[', at) + 1;
  const close = text(out).indexOf(']', open);
  out.set(raw(` ${values.join(' ')} `.padEnd(close - open, ' ')), open);
  return out;
}

describe('signature wrapping attacks', () => {
  it('a /ByteRange moved past bytes slipped in after /Contents (the gap holds more than the hex string)', async () => {
    const [, a, b, c] = range;
    const contents = await refOf(signed, 4, 'Contents');
    // Slipped in as a dictionary entry so the signature dictionary still parses; a rewritten xref could point into it.
    const slipped = raw(` /Slipped (${contents} 0 obj ${stream(line(770, 'So: 99/UBND-VP'))} endobj)`);
    const moved = rewriteByteRange(concat(signed.subarray(0, b), slipped, signed.subarray(b)), [0, a, b + slipped.length, c]);
    const report = await validatePdf(moved, { trust, online: true });
    expect(report.signatures[0]?.verdict).toBe('invalid');
    expect(reasons(report)).toMatch(/BYTE_RANGE_INVALID: .*the unsigned gap (is not a hex string|holds more than the signature)/);
  });

  it('a /ByteRange pointing to a moved copy of the signed part, rewritten by a later update', async () => {
    const [, a, b, c] = range;
    // The gap grows by zero padding (still all hex), the second signed part moves after it, and an update
    // redefines the signature dictionary with a /ByteRange that points at the moved copy: the hashed bytes are
    // exactly the signed ones, so the digest and the signature value still verify.
    const padding = raw('00'.repeat(512));
    const moved = concat(signed.subarray(0, b - 1), padding, signed.subarray(b - 1));
    const body = bodyOf(signed, sig.value).replace(/\/ByteRange\s*\[[^\]]*\]/, `/ByteRange [0 ${a} ${b + padding.length} ${c}]`);
    const contents = await refOf(signed, 4, 'Contents');
    const attacked = await appendUpdate(moved, [
      { number: sig.value, body },
      { number: contents, body: stream(line(770, 'So: 99/UBND-VP')) },
    ]);
    const report = await validatePdf(attacked, { trust, online: true });
    const first = report.signatures[0]!;
    expect(first.integrity).toMatchObject({ digestMatches: true, signatureValid: true });
    expect(first.verdict).toBe('invalid');
    expect(reasons(report)).toMatch(/BYTE_RANGE_INVALID: .*signature dictionary/);
  });

  for (const order of ['forged first', 'forged last'] as const) {
    it(`a signature dictionary redefined with a second /Contents (${order})`, async () => {
      const body = bodyOf(signed, sig.value);
      const forged = `/Contents <${'00'.repeat(64)}>`;
      const real = /\/Contents\s*<[0-9A-Fa-f]*>/.exec(body)![0];
      const twice = body.replace(real, order === 'forged first' ? `${forged} ${real}` : `${real} ${forged}`);
      const attacked = await appendUpdate(signed, [{ number: sig.value, body: twice }]);
      const report = await validatePdf(attacked, { trust, online: true });
      expect(report.signatures[0]?.verdict).toBe('invalid');
      expect(reasons(report)).toMatch(/BYTE_RANGE_INVALID: .*signature dictionary/);
    });
  }

  it("a widget outside the form's /Fields carrying a copy of the signature, with its own appearance over the text", async () => {
    const n = await nextObjectNumber(signed);
    const annots = await valueOf(signed, 4, 'Annots');
    const attacked = await appendUpdate(signed, [
      { number: n, body: bodyOf(signed, sig.value) },
      { number: n + 1, body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature2) /V ${n} 0 R /Rect [60 760 460 790] /F 4 /P 4 0 R /AP << /N ${n + 2} 0 R >> >>` },
      { number: n + 2, body: stream(`1 1 1 rg 0 0 400 30 re f 0 g ${line(10, 'So: 99/UBND-VP')}`, '/Type /XObject /Subtype /Form /BBox [0 0 400 30] /Resources << /Font << /F1 8 0 R >> >>') },
      { number: 4, body: await changedDict(signed, 4, { Annots: withRefs(annots, n + 1) }) },
    ]);
    const report = await validatePdf(attacked, { trust, online: true });
    expect(report.signatures).toHaveLength(1);
    expect(report.signatures[0]?.verdict).toBe('invalid');
    expect(reasons(report)).toContain('annotations other than signatures added');
  });

  for (const startxref of ['intact', 'broken'] as const) {
    it(`a copy of the signature under a new field, with its own reason and a visible widget (cross-reference ${startxref})`, async () => {
      const n = await nextObjectNumber(signed);
      const catalogForm = await refOf(signed, 1, 'AcroForm');
      const fields = await valueOf(signed, catalogForm, 'Fields');
      const annots = await valueOf(signed, 4, 'Annots');
      const copied = bodyOf(signed, sig.value).replace(/\/Reason\s*\([^)]*\)/, '/Reason (Dong y chi 9.000.000.000 dong)');
      let attacked = await appendUpdate(signed, [
        { number: n, body: copied },
        { number: n + 1, body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Signature2) /V ${n} 0 R /Rect [60 700 460 740] /F 132 /P 4 0 R /AP << /N ${n + 2} 0 R >> >>` },
        { number: n + 2, body: stream(`0 g ${line(10, 'Da duyet chi 9.000.000.000 dong')}`, '/Type /XObject /Subtype /Form /BBox [0 0 400 40] /Resources << /Font << /F1 8 0 R >> >>') },
        { number: catalogForm, body: await changedDict(signed, catalogForm, { Fields: withRefs(fields, n + 1) }) },
        { number: 4, body: await changedDict(signed, 4, { Annots: withRefs(annots, n + 1) }) },
      ]);
      if (startxref === 'intact') {
        // pdfsig takes the copy for a second valid signature over the first revision (unsigned metadata passed off as signed).
        expect(pdfsig(writeTemp('swa-copied.pdf', attacked), pki.nssDbSpec).map((s) => s.signatureValidation)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
      } else {
        // A startxref pointing nowhere: viewers rebuild the cross-reference by scanning, so the copy is still found.
        const broken = text(attacked).replace(/startxref\n\d+\n%%EOF\n$/, 'startxref\n0\n%%EOF\n');
        expect(broken).not.toBe(text(attacked));
        attacked = raw(broken);
      }
      const report = await validatePdf(attacked, { trust, online: true });
      expect(report.verdict).toBe('invalid');
      const copy = report.signatures.find((s) => s.fieldName === 'Signature2')!;
      expect(copy.verdict).toBe('invalid');
      expect(copy.findings.map((f) => `${f.code}: ${f.messageEn}`).join('\n')).toMatch(/BYTE_RANGE_INVALID: .*signature dictionary was written after the bytes it signs/);
    });
  }
});
