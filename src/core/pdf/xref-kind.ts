// Finds a PDF's newest cross-reference section (the last startxref) and tells whether it is a classic table or a stream.

export type XrefKind = 'table' | 'stream';

export interface LastXref {
  offset: number;
  kind: XrefKind;
}

const latin1 = new TextDecoder('latin1');
// Enough to hold "startxref", its offset and %%EOF with some trailing junk.
const TAIL = 1024;

/** The last section a reader starts from, or undefined when startxref is missing or points nowhere sensible. */
export function lastXref(pdf: Uint8Array): LastXref | undefined {
  const tailStart = Math.max(0, pdf.length - TAIL);
  const tail = latin1.decode(pdf.subarray(tailStart));
  const at = tail.lastIndexOf('startxref');
  if (at < 0) return undefined;
  const match = /^startxref\s+(\d+)/.exec(tail.slice(at));
  if (!match?.[1]) return undefined;
  const offset = Number(match[1]);
  if (!Number.isSafeInteger(offset) || offset >= pdf.length) return undefined;
  const head = latin1.decode(pdf.subarray(offset, Math.min(pdf.length, offset + 64)));
  if (/^\s*xref\b/.test(head)) return { offset, kind: 'table' };
  if (/^\s*\d+\s+\d+\s+obj\b/.test(head)) return { offset, kind: 'stream' };
  return undefined;
}
