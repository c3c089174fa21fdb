// Reads one cross-reference section (a classic table with its trailer, or an xref stream) the way viewers do.
import { decodeStream } from './filters.js';
import { dictOf, nameOf, numberOf, PdfDict, PdfStream, type PdfValue } from './objects.js';
import { Parser, PdfParseError, type IndirectObject } from './parser.js';

export type XrefEntry = { type: 'free' } | { type: 'direct'; offset: number; gen: number } | { type: 'compressed'; stream: number; index: number };

export interface XrefSection {
  entries: Map<number, XrefEntry>;
  trailer: PdfDict;
}

/** At most this many entries in one section: a hostile /Size or /Index cannot make the reader allocate without bound. */
const MAX_ENTRIES = 1_000_000;

export const sameEntry = (a: XrefEntry | undefined, b: XrefEntry | undefined): boolean => {
  if (!a || !b || a.type !== b.type) return a === b;
  if (a.type === 'direct' && b.type === 'direct') return a.offset === b.offset && a.gen === b.gen;
  if (a.type === 'compressed' && b.type === 'compressed') return a.stream === b.stream && a.index === b.index;
  return true;
};

function readTable(bytes: Uint8Array, offset: number): XrefSection {
  const parser = new Parser(bytes, offset);
  if (parser.keyword() !== 'xref') throw new PdfParseError(`no cross-reference section at ${offset}`);
  const entries = new Map<number, XrefEntry>();
  for (;;) {
    const first = parser.integer();
    if (first === undefined) break;
    const count = parser.integer();
    if (count === undefined) throw new PdfParseError('bad cross-reference subsection header');
    if (entries.size + count > MAX_ENTRIES) throw new PdfParseError('too many cross-reference entries');
    for (let k = 0; k < count; k++) {
      const where = parser.integer();
      const gen = parser.integer();
      const kind = parser.keyword();
      if (where === undefined || gen === undefined || (kind !== 'n' && kind !== 'f')) throw new PdfParseError(`bad cross-reference entry ${first + k}`);
      if (!entries.has(first + k)) entries.set(first + k, kind === 'n' ? { type: 'direct', offset: where, gen } : { type: 'free' });
    }
  }
  if (parser.keyword() !== 'trailer') throw new PdfParseError('no trailer after the cross-reference table');
  const trailer = parser.parse();
  if (!(trailer instanceof PdfDict)) throw new PdfParseError('the trailer is not a dictionary');
  return { entries, trailer };
}

function readStream(object: IndirectObject | undefined): XrefSection {
  const stream = object?.value;
  if (!(stream instanceof PdfStream) || nameOf(stream.dict.get('Type')) !== 'XRef') throw new PdfParseError('no cross-reference stream there');
  const data = decodeStream(stream);
  const widths = (Array.isArray(stream.dict.get('W')) ? (stream.dict.get('W') as PdfValue[]) : []).map((w) => numberOf(w) ?? 0);
  const [w0 = 1, w1 = 0, w2 = 0] = widths;
  if ([w0, w1, w2].some((w) => w < 0 || w > 8)) throw new PdfParseError('bad /W in a cross-reference stream');
  const rowLength = w0 + w1 + w2;
  if (rowLength === 0) throw new PdfParseError('empty /W in a cross-reference stream');
  const index = stream.dict.get('Index');
  const ranges = Array.isArray(index) ? index.map((n) => numberOf(n) ?? 0) : [0, numberOf(stream.dict.get('Size')) ?? 0];
  const field = (at: number, width: number): number => {
    let value = 0;
    for (let i = 0; i < width; i++) value = value * 256 + (data[at + i] ?? 0);
    return value;
  };
  const entries = new Map<number, XrefEntry>();
  let row = 0;
  for (let r = 0; r + 1 < ranges.length; r += 2) {
    const count = Math.min(ranges[r + 1]!, MAX_ENTRIES);
    for (let k = 0; k < count; k++, row++) {
      const at = row * rowLength;
      if (at + rowLength > data.length || entries.size >= MAX_ENTRIES) return { entries, trailer: stream.dict };
      const type = w0 === 0 ? 1 : field(at, w0);
      const number = ranges[r]! + k;
      if (entries.has(number)) continue;
      if (type === 0) entries.set(number, { type: 'free' });
      else if (type === 1) entries.set(number, { type: 'direct', offset: field(at + w0, w1), gen: w2 ? field(at + w0 + w1, w2) : 0 });
      else if (type === 2) entries.set(number, { type: 'compressed', stream: field(at + w0, w1), index: field(at + w0 + w1, w2) });
    }
  }
  return { entries, trailer: stream.dict };
}

/** The section at `offset`: a table when "xref" is there, else an xref stream object. Throws when neither is readable. */
export function readSection(bytes: Uint8Array, offset: number, objectAt: (offset: number) => IndirectObject | undefined): XrefSection {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= bytes.length) throw new PdfParseError(`cross-reference offset ${offset} is outside the file`);
  const probe = new Parser(bytes, offset);
  if (probe.keyword() === 'xref') return readTable(bytes, offset);
  return readStream(objectAt(offset));
}

export const trailerNumber = (trailer: PdfDict, key: string): number | undefined => numberOf(dictOf(trailer)?.get(key));
