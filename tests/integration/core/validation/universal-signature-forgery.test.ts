// Universal signature forgery (USF): signature dictionaries with no, empty or meaningless /Contents or /ByteRange must never pass for signatures.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedSignature, preparePdfSignature } from '../../../../src/core/pdf/index.js';
import { signPdf, type PdfSigningKey } from '../../../../src/core/signing/index.js';
import { finalizeAllModules, type TokenSession } from '../../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../../src/core/trust/index.js';
import { validatePdf } from '../../../../src/core/validation/index.js';
import { checkByteRange } from '../../../../src/core/validation/byte-range.js';
import { trimPadding } from '../../../../src/core/validation/cms-check.js';
import { PdfFile } from '../../../../src/core/pdf/reader/index.js';
import { findSignatureFields } from '../../../../src/core/validation/signature-fields.js';
import { fixture } from '../../../kit/pdf-tools.js';
import { usePki } from '../../../kit/pki.js';
import { raw, reasons, text, tokenKey } from './attack-kit.js';

const pki = usePki();
const sessions: TokenSession[] = [];
let trust: TrustStore;
let leader: PdfSigningKey;
/** A genuine CMS by the leader's token, over another document: what a forger can copy. */
let genuineCms: Uint8Array;

beforeAll(async () => {
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  leader = await tokenKey(pki, 'VANTHU LEADER', 'leader-rsa', sessions);
  const other = (await signPdf(fixture('xref-stream.pdf'), leader, {})).bytes;
  const [field] = findSignatureFields(new PdfFile(other).revision());
  genuineCms = trimPadding(checkByteRange(other, field!.byteRange).contents);
});
afterAll(async () => {
  for (const session of sessions) await session.logout().catch(() => undefined);
  await finalizeAllModules();
});

/**
 * A file that claims a signature the leader never made: the signer's own placeholder with the copied CMS
 * in it, then one same-length edit of the signature dictionary (so every offset stays right).
 */
async function forged(edit: (dict: string, at: { a: number; b: number; length: number }) => string): Promise<Uint8Array> {
  const prepared = await preparePdfSignature(fixture('classic-xref.pdf'), { reservedSize: genuineCms.length + 512 });
  const bytes = embedSignature(prepared, genuineCms);
  const all = text(bytes);
  const start = all.lastIndexOf('<<', all.lastIndexOf('/ByteRange'));
  const end = all.indexOf('>>', prepared.byteRange[2]) + 2;
  const before = all.slice(start, end);
  const after = edit(before, { a: prepared.byteRange[1], b: prepared.byteRange[2], length: bytes.length });
  expect(after.length, 'the edit keeps the length').toBe(before.length);
  const out = new Uint8Array(bytes);
  out.set(raw(after), start);
  return out;
}

const blank = (s: string): string => ' '.repeat(s.length);
const byteRangeOf = (dict: string): string => /\/ByteRange\s*\[[^\]]*\]/.exec(dict)![0];
const contentsOf = (dict: string): string => /\/Contents\s*<[0-9A-Fa-f]*>/.exec(dict)![0];
/** A same-length replacement: `by` padded with spaces to the length of `what`. */
const replace = (dict: string, what: string, by: string): string => dict.replace(what, by.padEnd(what.length, ' '));

const variants: [string, (dict: string, at: { a: number; b: number; length: number }) => string, RegExp][] = [
  ['a genuine CMS over another document', (dict) => dict, /DIGEST_MISMATCH/],
  ['/Contents empty, the /ByteRange framing "<>"', (dict, { a, length }) => replace(replace(dict, contentsOf(dict), '/Contents <>'), byteRangeOf(dict), `/ByteRange [0 ${a} ${a + 2} ${length - a - 2}]`), /CMS_UNREADABLE/],
  ['/Contents absent', (dict) => replace(dict, contentsOf(dict), ''), /BYTE_RANGE_INVALID/],
  ['/ByteRange absent', (dict) => replace(dict, byteRangeOf(dict), ''), /BYTE_RANGE_INVALID/],
  ['/ByteRange null', (dict) => replace(dict, byteRangeOf(dict), '/ByteRange null'), /BYTE_RANGE_INVALID/],
  ['/ByteRange a number', (dict) => replace(dict, byteRangeOf(dict), '/ByteRange 0'), /BYTE_RANGE_INVALID/],
  ['/ByteRange [0 0 0 0]', (dict) => replace(dict, byteRangeOf(dict), '/ByteRange [0 0 0 0]'), /BYTE_RANGE_INVALID/],
  ['/ByteRange covering only the /Contents hex string', (dict, { a, b }) => replace(dict, byteRangeOf(dict), `/ByteRange [${a} 0 ${a} ${b - a}]`), /BYTE_RANGE_INVALID/],
  ['/ByteRange with two ranges that cover nothing', (dict, { b }) => replace(dict, byteRangeOf(dict), `/ByteRange [0 0 ${b} 0]`), /BYTE_RANGE_INVALID/],
  ['/ByteRange with negative and fractional numbers', (dict, { a, b, length }) => replace(dict, byteRangeOf(dict), `/ByteRange [0 ${a}.5 ${b} -${length - b}]`), /BYTE_RANGE_INVALID/],
];

describe('universal signature forgery', () => {
  for (const [name, edit, code] of variants) {
    it(name, async () => {
      const file = await forged(edit);
      const report = await validatePdf(file, { trust, online: true });
      expect(report.verdict).toBe('invalid');
      expect(report.signatures).toHaveLength(1);
      expect(report.signatures[0]?.verdict).toBe('invalid');
      expect(reasons(report)).toMatch(code);
    });
  }

  it('the forger leaves the signature dictionary blank, and the validator says so instead of "unsigned"', async () => {
    const file = await forged((dict) => `<<${blank(dict.slice(2, -2))}>>`);
    const report = await validatePdf(file, { trust, online: true });
    expect(report.verdict).toBe('invalid');
    expect(reasons(report)).toMatch(/BYTE_RANGE_INVALID/);
  });
});
