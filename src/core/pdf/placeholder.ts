// Finds the /ByteRange and /Contents placeholders of a prepared signature, fills the byte range, and writes the CMS into /Contents.
import { createHash } from 'node:crypto';
import { VanthuError } from '../../shared/errors.js';
import type { HashAlgorithm } from '../../shared/token.js';

export type ByteRange = readonly [0, number, number, number];

/** A PDF with one signature whose /Contents is still zeros: everything needed to sign and embed later. */
export interface PreparedPdfSignature {
  /** The whole file: the original bytes, then the incremental update. */
  bytes: Uint8Array;
  /** [0, a, b, c]: bytes [0, a) and [b, b + c) are signed; [a, b) is `<hex>` of /Contents. */
  byteRange: ByteRange;
  /** Bytes of CMS that fit in /Contents (the hex string holds twice as many digits). */
  reservedSize: number;
  fieldName: string;
  /** Length of the original file, an exact prefix of bytes. */
  originalLength: number;
}

const latin1 = new TextDecoder('latin1');
const ascii = new TextEncoder();
const ZERO = 0x30;

const fail = (detail: string): never => {
  throw new VanthuError('PDF_PLACEHOLDER_INVALID', { detail });
};

interface Located {
  /** Offset of the first byte inside the ByteRange's [ ]. */
  byteRangeStart: number;
  byteRangeEnd: number;
  /** Offset of `<` and just after `>` of /Contents. */
  contentsStart: number;
  contentsEnd: number;
}

/**
 * The placeholders inside object `objectNumber 0 obj`, written after `from` (the start of the
 * update): searching only there keeps earlier signatures' dictionaries out of reach.
 */
export function locatePlaceholders(bytes: Uint8Array, from: number, objectNumber: number): Located {
  const text = latin1.decode(bytes.subarray(from));
  const header = new RegExp(`(?:^|[\\r\\n])${objectNumber} 0 obj\\b`).exec(text);
  if (!header) return fail(`object ${objectNumber} is not written directly in the update`);
  const objStart = header.index;
  const objEnd = text.indexOf('endobj', objStart);
  if (objEnd < 0) return fail(`object ${objectNumber} has no endobj`);
  const object = text.slice(objStart, objEnd);

  const br = /\/ByteRange\s*\[([^\]]*)\]/.exec(object);
  if (!br?.[1]) return fail('no /ByteRange array');
  const byteRangeStart = from + objStart + br.index + br[0].indexOf('[') + 1;
  const byteRangeEnd = byteRangeStart + br[1].length;

  const contents = /\/Contents\s*<([0-9A-Fa-f]*)>/.exec(object);
  if (!contents?.[1]) return fail('no /Contents hex string');
  const contentsStart = from + objStart + contents.index + contents[0].indexOf('<');
  const contentsEnd = contentsStart + contents[1].length + 2;
  return { byteRangeStart, byteRangeEnd, contentsStart, contentsEnd };
}

/** Overwrites the ByteRange placeholder in place with [0 a b c], padded with spaces to the same length. */
export function fillByteRange(bytes: Uint8Array, located: Located): ByteRange {
  const byteRange: ByteRange = [0, located.contentsStart, located.contentsEnd, bytes.length - located.contentsEnd];
  const width = located.byteRangeEnd - located.byteRangeStart;
  const value = ` ${byteRange.join(' ')} `;
  if (value.length > width) fail(`the ByteRange placeholder is ${width} bytes, ${value.length} needed`);
  bytes.set(ascii.encode(value.padEnd(width, ' ')), located.byteRangeStart);
  return byteRange;
}

function checkPlaceholder(prepared: PreparedPdfSignature): void {
  const { bytes, byteRange } = prepared;
  const [, a, b, c] = byteRange;
  if (!(a > 0 && b > a && b + c === bytes.length)) fail(`the byte range ${byteRange.join(' ')} does not cover the file of ${bytes.length} bytes`);
  if (bytes[a] !== 0x3c || bytes[b - 1] !== 0x3e) fail('the byte range does not frame the /Contents hex string');
  if (b - a - 2 !== prepared.reservedSize * 2) fail('the /Contents placeholder has another size than reserved');
  const written = latin1.decode(bytes.subarray(Math.max(0, a - 64), a + 1));
  if (!/\/Contents\s*<$/.test(written)) fail('the byte range does not start at /Contents');
}

/** The bytes a signature covers: [0, a) then [b, b + c), in one new buffer. */
export function signedContent(prepared: PreparedPdfSignature): Uint8Array {
  checkPlaceholder(prepared);
  const [, a, b, c] = prepared.byteRange;
  const out = new Uint8Array(a + c);
  out.set(prepared.bytes.subarray(0, a), 0);
  out.set(prepared.bytes.subarray(b, b + c), a);
  return out;
}

/** The two signed parts without copying (for streaming into a hash). */
export function signedParts(prepared: PreparedPdfSignature): [Uint8Array, Uint8Array] {
  checkPlaceholder(prepared);
  const [, a, b, c] = prepared.byteRange;
  return [prepared.bytes.subarray(0, a), prepared.bytes.subarray(b, b + c)];
}

/** The digest of the signed bytes (the CMS messageDigest), hashed from the file without a copy. */
export function digestSignedContent(prepared: PreparedPdfSignature, algorithm: HashAlgorithm): Uint8Array {
  const hash = createHash(algorithm.replace('-', '').toLowerCase());
  for (const part of signedParts(prepared)) hash.update(part);
  return hash.digest();
}

/**
 * The final PDF: a copy of the prepared bytes with the DER CMS written as hex into /Contents
 * (the rest of the placeholder stays zeros, which DER parsers ignore after the outer length).
 */
export function embedSignature(prepared: PreparedPdfSignature, cmsDer: Uint8Array, options: { inPlace?: boolean } = {}): Uint8Array {
  checkPlaceholder(prepared);
  const [, a, b] = prepared.byteRange;
  if (cmsDer.length === 0) throw new VanthuError('BAD_INPUT', { detail: 'empty CMS signature' });
  if (cmsDer.length > prepared.reservedSize) throw new VanthuError('PDF_SIGNATURE_TOO_LARGE', { size: cmsDer.length, reserved: prepared.reservedSize });
  for (let i = a + 1; i < b - 1; i++) {
    if (prepared.bytes[i] !== ZERO) fail('the /Contents placeholder is not empty (already signed?)');
  }
  // In place when the caller owns the prepared bytes and drops them: no second copy of a big file.
  const out = options.inPlace ? prepared.bytes : new Uint8Array(prepared.bytes);
  out.set(ascii.encode(Buffer.from(cmsDer).toString('hex').toUpperCase()), a + 1);
  return out;
}
