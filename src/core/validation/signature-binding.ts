// Ties a signature to its own dictionary: the gap its /ByteRange leaves out must be the /Contents of that very dictionary, written inside the bytes it signs.
import type { Revision } from '../pdf/reader/index.js';
import type { SignatureField } from './signature-fields.js';

const latin1 = new TextDecoder('latin1');

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

/**
 * Why the signature dictionary a field points to is not the one its bytes sign, or undefined when it is.
 *
 * The digest proves only that the bytes around the gap are unchanged; nothing in the CMS says which
 * dictionary the gap belongs to. Signature wrapping uses that: a later update redefines the
 * dictionary (a /ByteRange pointing at a moved copy of the signed part, a second /Contents), or a new
 * field reuses another signature's /ByteRange and /Contents under its own /Reason, /M and widget,
 * none of which the signature covers. So the dictionary viewers resolve (through the
 * cross-reference) must start inside the first signed part and reach the gap as its /Contents, and
 * the /Contents it holds must be the gap's bytes.
 */
export function signatureBindingProblem(file: Uint8Array, field: SignatureField, gapContents: Uint8Array, final: Revision): string | undefined {
  const firstPartEnd = field.byteRange[1] ?? 0;
  if (!field.contents || !sameBytes(field.contents, gapContents)) return "the signed gap is not this signature dictionary's /Contents";
  if (!field.holderRef) return 'the signature dictionary is not an indirect object, so it cannot be in the signed bytes';
  const [number, generation] = field.holderRef.split(' ').map(Number) as [number, number];
  const header = `${number}[\\0\\t\\n\\f\\r ]+${generation}[\\0\\t\\n\\f\\r ]+obj\\b`;
  // The entry viewers follow; where the cross-reference lacks it, the last definition a rebuilding scan finds.
  const entry = final.entry(number);
  if (entry?.type !== 'direct' || entry.gen !== generation) return 'the signature dictionary is not written directly in the file';
  const offset = entry.offset;
  if (offset >= firstPartEnd) return 'the signature dictionary was written after the bytes it signs (added or redefined by a later update)';
  const written = latin1.decode(file.subarray(offset, firstPartEnd));
  if (!new RegExp(`^[\\0\\t\\n\\f\\r ]*${header}`).test(written) || /\bendobj\b/.test(written) || !/\/Contents[\0\t\n\f\r ]*$/.test(written)) {
    return 'the signed gap is not the /Contents of the signature dictionary the file points to';
  }
  return undefined;
}
