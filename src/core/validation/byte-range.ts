// Checks a signature's /ByteRange against the file and extracts what it signs and the CMS it holds.
import { plainHex } from '../pdf/reader/index.js';

export interface ByteRangeCheck {
  valid: boolean;
  problem: string | undefined;
  /**
   * The signed bytes: the file minus the /Contents hex string, as its two parts (views into the file, not a
   * copy: a 100 MB file checked signature by signature would otherwise be copied once per signature).
   */
  signedParts: Uint8Array[];
  /** The CMS DER from the /Contents hex string (trailing zero padding left on). */
  contents: Uint8Array;
  /** End offset of the revision this signature signs. */
  revisionEnd: number;
}

const isWhite = (byte: number | undefined): boolean => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09 || byte === 0x0c || byte === 0x00;

export function checkByteRange(file: Uint8Array, byteRange: readonly number[]): ByteRangeCheck {
  const checked = byteRangeContents(file, byteRange);
  if (!checked.valid) return { ...checked, signedParts: [] };
  const [, firstLength, secondStart, secondLength] = byteRange as [number, number, number, number];
  return { ...checked, signedParts: [file.subarray(0, firstLength), file.subarray(secondStart, secondStart + secondLength)] };
}

/**
 * The same checks and the CMS, without the signed bytes: for who needs only the signature (raising
 * its level), a copy of the whole file less.
 */
export function byteRangeContents(file: Uint8Array, byteRange: readonly number[]): Omit<ByteRangeCheck, 'signedParts'> {
  const fail = (problem: string): Omit<ByteRangeCheck, 'signedParts'> => ({ valid: false, problem, contents: new Uint8Array(), revisionEnd: 0 });
  if (byteRange.length !== 4 || byteRange.some((n) => !Number.isSafeInteger(n) || n < 0)) return fail('not four non-negative integers');
  const [start, firstLength, secondStart, secondLength] = byteRange as [number, number, number, number];
  if (start !== 0) return fail('does not start at the beginning of the file');
  if (secondStart < firstLength || secondStart + secondLength > file.length) return fail('ranges overlap or run past the end of the file');
  // The gap must be exactly the /Contents hex string "<…>": anything else there would be unsigned content.
  const gap = file.subarray(firstLength, secondStart);
  if (gap.length < 2 || gap[0] !== 0x3c || gap[gap.length - 1] !== 0x3e) return fail('the unsigned gap is not a hex string');
  // Only hex digits, an even count: anything else in the gap is not the signature.
  const decoded = plainHex(gap.subarray(1, gap.length - 1));
  if (!decoded) return fail('the unsigned gap holds more than the signature');
  return { valid: true, problem: undefined, contents: new Uint8Array(decoded), revisionEnd: secondStart + secondLength };
}

/** Whether the signed revision is the whole file (trailing end-of-line bytes after %%EOF do not count). */
export function coversWholeFile(file: Uint8Array, revisionEnd: number): boolean {
  for (let i = revisionEnd; i < file.length; i++) if (!isWhite(file[i])) return false;
  return true;
}

/** Offsets just after each "%%EOF" marker (before its end-of-line, which a signed revision may or may not include). */
export function revisionEnds(file: Uint8Array): number[] {
  const marker = Buffer.from('%%EOF');
  const ends: number[] = [];
  const buffer = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  for (let at = buffer.indexOf(marker); at !== -1; at = buffer.indexOf(marker, at + marker.length)) ends.push(at + marker.length);
  return ends;
}
