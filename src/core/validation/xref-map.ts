// Reads a PDF's cross-reference sections the way viewers do, to catch updates whose xref makes viewers show other objects than the validator parsed.
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFObjectStreamParser,
  PDFRawStream,
  PDFRef,
  decodePDFRawStream,
  type PDFDocument,
  type PDFObject,
} from '@cantoo/pdf-lib';

export type XrefEntry =
  | { type: 'free' }
  | { type: 'direct'; offset: number; generation: number }
  | { type: 'compressed'; stream: number; index: number };

export interface CrossReference {
  /** The newest entry of every object number, as a viewer following startxref and /Prev resolves it. */
  entries: Map<number, XrefEntry>;
  /** The trailer's /Root as "N G", from the newest section that has one. */
  root: string | undefined;
}

const latin1 = new TextDecoder('latin1');
const refKey = (ref: PDFRef): string => `${ref.objectNumber} ${ref.generationNumber}`;
const MAX_SECTIONS = 10_000;
/** Room for a classic table of over a million entries (20 bytes each), without decoding a whole large file. */
const MAX_TABLE_BYTES = 32 * 1024 * 1024;

/** "N G obj" at `offset` (after white space): the object number, generation and where its body starts. */
function objectHeader(file: Uint8Array, offset: number): { number: number; generation: number; body: number } | undefined {
  const head = latin1.decode(file.subarray(offset, offset + 64));
  const match = /^[\0\t\n\f\r ]*(\d+)[\0\t\n\f\r ]+(\d+)[\0\t\n\f\r ]+obj/.exec(head);
  if (!match) return undefined;
  return { number: Number(match[1]), generation: Number(match[2]), body: offset + match[0].length };
}

/** The indirect object whose header is at `offset`, parsed alone (an indirect /Length falls back to the endstream scan). */
function parseObjectAt(file: Uint8Array, offset: number, context: PDFContext): { number: number; generation: number; object: PDFObject } | undefined {
  const header = objectHeader(file, offset);
  if (!header) return undefined;
  try {
    const object = PDFObjectParser.forBytes(file.subarray(header.body), context).parseObject();
    return { number: header.number, generation: header.generation, object };
  } catch {
    return undefined;
  }
}

/** Undoes the PNG predictors (/Predictor 10–15) xref streams are usually written with. */
function unpredict(data: Uint8Array, columns: number): Uint8Array {
  const rowLength = columns + 1;
  const rows = Math.floor(data.length / rowLength);
  const out = new Uint8Array(rows * columns);
  for (let row = 0; row < rows; row++) {
    const filter = data[row * rowLength]!;
    for (let i = 0; i < columns; i++) {
      const raw = data[row * rowLength + 1 + i]!;
      const left = i > 0 ? out[row * columns + i - 1]! : 0;
      const up = row > 0 ? out[(row - 1) * columns + i]! : 0;
      const upLeft = row > 0 && i > 0 ? out[(row - 1) * columns + i - 1]! : 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        predicted = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      out[row * columns + i] = (raw + predicted) & 0xff;
    }
  }
  return out;
}

const numberIn = (dict: PDFDict, key: string): number | undefined => {
  const value = dict.get(PDFName.of(key));
  return value instanceof PDFNumber ? value.asNumber() : undefined;
};

function readXrefStream(stream: PDFRawStream, set: (n: number, e: XrefEntry) => void): void {
  const { dict } = stream;
  let data = decodePDFRawStream(stream).decode();
  const parms = dict.get(PDFName.of('DecodeParms'));
  const predictor = parms instanceof PDFDict ? numberIn(parms, 'Predictor') : undefined;
  const widths = (dict.get(PDFName.of('W')) as PDFArray | undefined)?.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : 0)) ?? [];
  const [w0 = 1, w1 = 0, w2 = 0] = widths;
  const rowLength = w0 + w1 + w2;
  if (predictor !== undefined && predictor >= 10) data = unpredict(data, parms instanceof PDFDict ? (numberIn(parms, 'Columns') ?? rowLength) : rowLength);
  const index = dict.get(PDFName.of('Index'));
  const ranges = index instanceof PDFArray ? index.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : 0)) : [0, numberIn(dict, 'Size') ?? 0];
  const field = (at: number, width: number): number => {
    let value = 0;
    for (let i = 0; i < width; i++) value = value * 256 + (data[at + i] ?? 0);
    return value;
  };
  let row = 0;
  for (let r = 0; r + 1 < ranges.length; r += 2) {
    for (let k = 0; k < ranges[r + 1]!; k++, row++) {
      const at = row * rowLength;
      if (at + rowLength > data.length) return;
      const type = w0 === 0 ? 1 : field(at, w0);
      const second = field(at + w0, w1);
      const third = field(at + w0 + w1, w2);
      const number = ranges[r]! + k;
      if (type === 0) set(number, { type: 'free' });
      else if (type === 1) set(number, { type: 'direct', offset: second, generation: third });
      else if (type === 2) set(number, { type: 'compressed', stream: second, index: third });
    }
  }
}

/** Parses a classic "xref" table at `offset`; returns the trailer dictionary after it. */
function readXrefTable(file: Uint8Array, offset: number, context: PDFContext, set: (n: number, e: XrefEntry) => void): PDFDict {
  const text = latin1.decode(file.subarray(offset, Math.min(file.length, offset + MAX_TABLE_BYTES)));
  const start = /^[\0\t\n\f\r ]*xref/.exec(text);
  if (!start) throw new Error(`no xref table at ${offset}`);
  let at = start[0].length;
  const subsection = /[\0\t\n\f\r ]*(\d+)[ \t]+(\d+)/y;
  for (;;) {
    subsection.lastIndex = at;
    const head = subsection.exec(text);
    if (!head) break;
    at = subsection.lastIndex;
    const [first, count] = [Number(head[1]), Number(head[2])];
    const entry = /[\0\t\n\f\r ]*(\d{10})[ ](\d{5})[ ]([nf])/y;
    for (let k = 0; k < count; k++) {
      entry.lastIndex = at;
      const line = entry.exec(text);
      if (!line) throw new Error(`bad xref entry ${first + k}`);
      at = entry.lastIndex;
      set(first + k, line[3] === 'n' ? { type: 'direct', offset: Number(line[1]), generation: Number(line[2]) } : { type: 'free' });
    }
  }
  const trailer = /[\0\t\n\f\r ]*trailer/y;
  trailer.lastIndex = at;
  if (!trailer.exec(text)) throw new Error(`no trailer after the xref table at ${offset}`);
  const dict = PDFObjectParser.forBytes(file.subarray(offset + trailer.lastIndex), context).parseObject();
  if (!(dict instanceof PDFDict)) throw new Error('the trailer is not a dictionary');
  return dict;
}

/** The cross-reference of `file` as a viewer reads it: from the last startxref, newest section first. Throws when it cannot be read. */
export function readCrossReference(file: Uint8Array): CrossReference {
  const tail = latin1.decode(file.subarray(Math.max(0, file.length - 2048)));
  const startxref = /startxref[\0\t\n\f\r ]+(\d+)[\s\S]*$/.exec(tail.slice(tail.lastIndexOf('startxref')));
  if (!startxref) throw new Error('no startxref');
  const entries = new Map<number, XrefEntry>();
  // Newest first: an entry already set by a newer section wins.
  const set = (n: number, e: XrefEntry): void => void (entries.has(n) || entries.set(n, e));
  const context = PDFContext.create();
  let root: string | undefined;
  const pending = [Number(startxref[1])];
  const seen = new Set<number>();
  while (pending.length) {
    const offset = pending.shift()!;
    // Like viewers, keep what the newer sections said when the /Prev chain loops or breaks: failing
    // here would let an update with a broken /Prev hide the entries it rewrote.
    if (seen.size > 0 && (seen.has(offset) || seen.size > MAX_SECTIONS || offset >= file.length)) break;
    seen.add(offset);
    if (seen.size > 1) {
      try {
        root = readSection(offset) ?? root;
      } catch {
        break;
      }
      continue;
    }
    root = readSection(offset);
  }
  return { entries, root };

  /** Reads one section into `entries`, queues its /Prev, and returns its trailer's /Root when it has one. */
  function readSection(offset: number): string | undefined {
    let trailer: PDFDict;
    if (/^[\0\t\n\f\r ]*xref/.test(latin1.decode(file.subarray(offset, offset + 16)))) {
      trailer = readXrefTable(file, offset, context, set);
      // A hybrid file's /XRefStm entries come right after its table's and before /Prev's.
      const hybrid = numberIn(trailer, 'XRefStm');
      if (hybrid !== undefined) {
        const stream = parseObjectAt(file, hybrid, context)?.object;
        if (stream instanceof PDFRawStream) readXrefStream(stream, set);
      }
    } else {
      const parsed = parseObjectAt(file, offset, context);
      if (!(parsed?.object instanceof PDFRawStream)) throw new Error(`no cross-reference section at ${offset}`);
      readXrefStream(parsed.object, set);
      trailer = parsed.object.dict;
    }
    const prev = numberIn(trailer, 'Prev');
    if (prev !== undefined) pending.push(prev);
    const rootRef = trailer.get(PDFName.of('Root'));
    return root === undefined && rootRef instanceof PDFRef ? refKey(rootRef) : undefined;
  }
}

/** Object streams already unpacked, by the offset of the stream object. */
type ObjectStreamCache = Map<number, Promise<PDFContext | undefined>>;

/** The object an entry designates, parsed from the bytes it points at; undefined when nothing parseable is there. */
async function objectAt(file: Uint8Array, xref: CrossReference, number: number, entry: XrefEntry, cache: ObjectStreamCache): Promise<PDFObject | undefined> {
  if (entry.type === 'direct') {
    const parsed = parseObjectAt(file, entry.offset, PDFContext.create());
    return parsed && parsed.number === number ? parsed.object : undefined;
  }
  if (entry.type !== 'compressed') return undefined;
  const holder = xref.entries.get(entry.stream);
  if (holder?.type !== 'direct') return undefined;
  let unpacked = cache.get(holder.offset);
  if (!unpacked) {
    unpacked = (async () => {
      const context = PDFContext.create();
      const stream = parseObjectAt(file, holder.offset, context)?.object;
      if (!(stream instanceof PDFRawStream)) return undefined;
      try {
        await PDFObjectStreamParser.forStream(stream).parseIntoContext();
        return context;
      } catch {
        return undefined;
      }
    })();
    cache.set(holder.offset, unpacked);
  }
  return (await unpacked)?.lookup(PDFRef.of(number, 0));
}

function sameEntry(a: XrefEntry | undefined, b: XrefEntry, before: CrossReference, after: CrossReference): boolean {
  if (!a || a.type !== b.type) return false;
  if (a.type === 'free') return true;
  if (a.type === 'direct' && b.type === 'direct') return a.offset === b.offset && a.generation === b.generation;
  if (a.type === 'compressed' && b.type === 'compressed') {
    const [sa, sb] = [before.entries.get(a.stream), after.entries.get(b.stream)];
    return a.stream === b.stream && a.index === b.index && !!sb && sb.type === 'direct' && sameEntry(sa, sb, before, after);
  }
  return false;
}

/**
 * What a later revision changed that the object-by-object diff cannot see. The diff compares what
 * the PDF parser read, and that parser reads a file front to back (the last definition of an
 * object wins), while viewers follow the cross-reference sections. An update that only rewrites
 * the xref (an object pointed back at older bytes, at bytes hidden inside a stream, or marked
 * free), or that switches the trailer's /Root to a catalog hidden in the signed revision, shows
 * other content with no object changed for the parser: the shadow attacks' hide-and-replace.
 * Objects whose xref entry did not change show viewers the same bytes as when signed.
 */
export async function crossReferenceChanges(
  signedFile: Uint8Array,
  signedDoc: PDFDocument,
  finalFile: Uint8Array,
  finalDoc: PDFDocument,
  fingerprint: (object: PDFObject) => string,
): Promise<string[]> {
  let before: CrossReference;
  let after: CrossReference;
  try {
    before = readCrossReference(signedFile);
    after = readCrossReference(finalFile);
  } catch {
    // Unreadable cross-references make viewers rebuild them by scanning the file, as the parser did.
    return [];
  }
  const problems: string[] = [];
  const beforeStreams: ObjectStreamCache = new Map();
  const afterStreams: ObjectStreamCache = new Map();
  if (before.root !== after.root) problems.push(`the document catalog was replaced (trailer /Root ${before.root ?? '?'} R → ${after.root ?? '?'} R)`);
  const parsedRoot = finalDoc.context.trailerInfo.Root;
  if (after.root && parsedRoot instanceof PDFRef && refKey(parsedRoot) !== after.root) problems.push('viewers open another catalog than the one validated');
  for (const [number, entry] of after.entries) {
    const old = before.entries.get(number);
    if (number === 0 || sameEntry(old, entry, before, after)) continue;
    if (entry.type === 'free') {
      if (old && old.type !== 'free') problems.push(`object ${number}: deleted by a later cross-reference section`);
      continue;
    }
    const generation = entry.type === 'direct' ? entry.generation : 0;
    const oldGeneration = old?.type === 'direct' ? old.generation : old?.type === 'compressed' ? 0 : undefined;
    // References name a generation, and viewers disagree on a mismatch (MuPDF takes the new object, poppler
    // none, the parser the old one): an object number redefined under a new generation is a change.
    if (oldGeneration !== undefined && oldGeneration !== generation) {
      problems.push(`object ${number}: redefined under generation ${generation} instead of ${oldGeneration} by a later cross-reference section`);
      continue;
    }
    const viewed = await objectAt(finalFile, after, number, entry, afterStreams);
    const parsed = finalDoc.context.lookup(PDFRef.of(number, generation));
    if (viewed && (!parsed || fingerprint(viewed) !== fingerprint(parsed))) {
      problems.push(`object ${number}: a later cross-reference section points it at other bytes than its last definition`);
      continue;
    }
    if (old && old.type !== 'free') {
      const viewedBefore = await objectAt(signedFile, before, number, old, beforeStreams);
      const parsedBefore = signedDoc.context.lookup(PDFRef.of(number, old.type === 'direct' ? old.generation : 0));
      if (viewedBefore && (!parsedBefore || fingerprint(viewedBefore) !== fingerprint(parsedBefore))) {
        problems.push(`object ${number}: defined twice in the signed revision, and viewers showed another definition than the last`);
      }
    }
  }
  return problems;
}
