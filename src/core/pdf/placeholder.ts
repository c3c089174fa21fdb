// Finds the /ByteRange and /Contents placeholders of a prepared signature, fills the byte range, and writes the CMS into /Contents.
import { createHash } from 'node:crypto';
import { VanthuError } from '../../shared/errors.js';
import type { HashAlgorithm } from '../../shared/token.js';

export type ByteRange = readonly [0, number, number, number];

/**
 * A PDF with one signature whose /Contents is still zeros: everything needed to sign and embed
 * later. The file is `original` then `update`, kept apart so a big file is never held twice: the
 * signed bytes are hashed from both, and the file is written as one then the other.
 */
export interface PreparedPdfSignature {
  /** The file as it was, untouched: an exact prefix of the result. */
  original: Uint8Array;
  /** The incremental update that adds the signature field; /ByteRange and /Contents are in it. */
  update: Uint8Array;
  /** [0, a, b, c] in the whole file: bytes [0, a) and [b, b + c) are signed; [a, b) is `<hex>` of /Contents. */
  byteRange: ByteRange;
  /** Bytes of CMS that fit in /Contents (the hex string holds twice as many digits). */
  reservedSize: number;
  fieldName: string;
}

/** Bytes to write at `offset` of the whole file: the CMS as hex inside /Contents. */
export interface ContentsPatch {
  offset: number;
  bytes: Uint8Array;
}

const latin1 = new TextDecoder('latin1');
const ascii = new TextEncoder();
const ZERO = 0x30;

const fail = (detail: string): never => {
  throw new VanthuError('PDF_PLACEHOLDER_INVALID', { detail });
};

interface Located {
  /** Offset in the whole file of the first byte inside the ByteRange's [ ]. */
  byteRangeStart: number;
  byteRangeEnd: number;
  /** Offset in the whole file of `<` and just after `>` of /Contents. */
  contentsStart: number;
  contentsEnd: number;
}

/**
 * The placeholders inside object `objectNumber 0 obj` of the update, which starts at offset
 * `base` of the whole file: searching only the update keeps earlier signatures' dictionaries out
 * of reach.
 */
export function locatePlaceholders(update: Uint8Array, base: number, objectNumber: number): Located {
  const text = latin1.decode(update);
  const header = new RegExp(`(?:^|[\\r\\n])${objectNumber} 0 obj\\b`).exec(text);
  if (!header) return fail(`object ${objectNumber} is not written directly in the update`);
  const objStart = header.index;
  const objEnd = text.indexOf('endobj', objStart);
  if (objEnd < 0) return fail(`object ${objectNumber} has no endobj`);
  const object = text.slice(objStart, objEnd);

  const br = /\/ByteRange\s*\[([^\]]*)\]/.exec(object);
  if (!br?.[1]) return fail('no /ByteRange array');
  const byteRangeStart = base + objStart + br.index + br[0].indexOf('[') + 1;
  const byteRangeEnd = byteRangeStart + br[1].length;

  const contents = /\/Contents\s*<([0-9A-Fa-f]*)>/.exec(object);
  if (!contents?.[1]) return fail('no /Contents hex string');
  const contentsStart = base + objStart + contents.index + contents[0].indexOf('<');
  const contentsEnd = contentsStart + contents[1].length + 2;
  return { byteRangeStart, byteRangeEnd, contentsStart, contentsEnd };
}

/** Overwrites the ByteRange placeholder inside the update (at `base` of the file) with [0 a b c], padded with spaces to the same length. */
export function fillByteRange(update: Uint8Array, base: number, located: Located): ByteRange {
  const byteRange: ByteRange = [0, located.contentsStart, located.contentsEnd, base + update.length - located.contentsEnd];
  const width = located.byteRangeEnd - located.byteRangeStart;
  const value = ` ${byteRange.join(' ')} `;
  if (value.length > width) fail(`the ByteRange placeholder is ${width} bytes, ${value.length} needed`);
  update.set(ascii.encode(value.padEnd(width, ' ')), located.byteRangeStart - base);
  return byteRange;
}

/** Length of the whole file. */
export const preparedLength = (prepared: PreparedPdfSignature): number => prepared.original.length + prepared.update.length;

/** The whole file in one new buffer: for small files and tests; a big file is better written part by part. */
export function preparedBytes(prepared: PreparedPdfSignature): Uint8Array {
  return concat([prepared.original, prepared.update]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The byte range lies in the file, frames /Contents, and /Contents (inside the update) has the reserved size. */
function checkPlaceholder(prepared: PreparedPdfSignature): void {
  const { original, update, byteRange } = prepared;
  const [, a, b, c] = byteRange;
  const length = preparedLength(prepared);
  if (!(a > 0 && b > a && b + c === length)) fail(`the byte range ${byteRange.join(' ')} does not cover the file of ${length} bytes`);
  const base = original.length;
  if (a < base + 1) fail('the byte range does not start inside the update');
  if (update[a - base] !== 0x3c || update[b - 1 - base] !== 0x3e) fail('the byte range does not frame the /Contents hex string');
  if (b - a - 2 !== prepared.reservedSize * 2) fail('the /Contents placeholder has another size than reserved');
  const written = latin1.decode(update.subarray(Math.max(0, a - base - 64), a - base + 1));
  if (!/\/Contents\s*<$/.test(written)) fail('the byte range does not start at /Contents');
}

/** The signed parts without copying: the original, the update up to /Contents, the update after it. */
export function signedParts(prepared: PreparedPdfSignature): Uint8Array[] {
  checkPlaceholder(prepared);
  const [, a, b] = prepared.byteRange;
  const base = prepared.original.length;
  return [prepared.original, prepared.update.subarray(0, a - base), prepared.update.subarray(b - base)];
}

/** The bytes a signature covers: [0, a) then [b, b + c), in one new buffer. */
export function signedContent(prepared: PreparedPdfSignature): Uint8Array {
  return concat(signedParts(prepared));
}

/** The digest of the signed bytes (the CMS messageDigest), hashed part by part without a copy. */
export function digestSignedContent(prepared: PreparedPdfSignature, algorithm: HashAlgorithm): Uint8Array {
  const hash = createHash(algorithm.replace('-', '').toLowerCase());
  for (const part of signedParts(prepared)) hash.update(part);
  return hash.digest();
}

/**
 * The DER CMS as hex and where it goes in the file (just after `<` of /Contents); the rest of the
 * placeholder stays zeros, which DER parsers ignore after the outer length. Checks that it fits
 * and that the placeholder is still empty.
 */
export function contentsPatch(prepared: PreparedPdfSignature, cmsDer: Uint8Array): ContentsPatch {
  checkPlaceholder(prepared);
  const [, a, b] = prepared.byteRange;
  if (cmsDer.length === 0) throw new VanthuError('BAD_INPUT', { detail: 'empty CMS signature' });
  if (cmsDer.length > prepared.reservedSize) throw new VanthuError('PDF_SIGNATURE_TOO_LARGE', { size: cmsDer.length, reserved: prepared.reservedSize });
  const base = prepared.original.length;
  for (let i = a + 1 - base; i < b - 1 - base; i++) {
    if (prepared.update[i] !== ZERO) fail('the /Contents placeholder is not empty (already signed?)');
  }
  return { offset: a + 1, bytes: ascii.encode(Buffer.from(cmsDer).toString('hex').toUpperCase()) };
}

/** A copy of the update with the CMS in /Contents: what follows the original bytes in the final PDF. The prepared bytes are left as they were. */
export function signedUpdate(prepared: PreparedPdfSignature, cmsDer: Uint8Array): Uint8Array {
  const patch = contentsPatch(prepared, cmsDer);
  const update = new Uint8Array(prepared.update);
  update.set(patch.bytes, patch.offset - prepared.original.length);
  return update;
}

/** The final PDF in one new buffer: the original, then a copy of the update with the CMS in /Contents. The prepared bytes are left as they were. */
export function embedSignature(prepared: PreparedPdfSignature, cmsDer: Uint8Array): Uint8Array {
  return concat([prepared.original, signedUpdate(prepared, cmsDer)]);
}
