// One read-only PDF file shared by all its revisions: objects parsed lazily once per offset, xref sections once each, and a scan index for rebuilding.
import { decodeStream } from './filters.js';
import { dictOf, nameOf, numberOf, PdfDict, PdfRef, PdfStream, type PdfValue } from './objects.js';
import { Parser, type IndirectObject } from './parser.js';
import { readSection, sameEntry, type XrefEntry, type XrefSection } from './xref.js';

/** How an object number resolved in a revision: 'ok', or why the entry does not give that object. */
export type ResolutionStatus = 'ok' | 'free' | 'missing' | 'not-that-object' | 'unreadable';

export interface Resolution {
  status: ResolutionStatus;
  value: PdfValue;
  /** The entry that was followed (from the xref, or from the scan when the xref lacks it). */
  entry: XrefEntry | undefined;
}

interface ObjectStream {
  numbers: number[];
  offsets: number[];
  first: number;
  data: Uint8Array;
}

interface ScanIndex {
  /** For each object number, its definitions in file order: position (offset, or the object stream's offset) and entry. */
  definitions: Map<number, { position: number; entry: XrefEntry }[]>;
  /** Offsets of "trailer" keywords. */
  trailers: number[];
}

const MAX_SECTIONS = 4096;
const OBJ = Buffer.from('obj');
const TRAILER = Buffer.from('trailer');
const STARTXREF = Buffer.from('startxref');
const isWhite = (c: number | undefined): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;

export class PdfFile {
  readonly buffer: Buffer;
  private readonly objects = new Map<number, IndirectObject | undefined>();
  private readonly objectStreams = new Map<number, ObjectStream | undefined>();
  private readonly compressed = new Map<string, PdfValue | undefined>();
  private readonly sections = new Map<number, XrefSection | Error>();
  private readonly revisions = new Map<number, Revision>();
  private scanIndex: ScanIndex | undefined;

  constructor(readonly bytes: Uint8Array) {
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The revision that ends at `end` (the whole file by default), read once. */
  revision(end = this.bytes.length): Revision {
    let revision = this.revisions.get(end);
    if (!revision) {
      revision = new Revision(this, Math.min(end, this.bytes.length));
      this.revisions.set(end, revision);
    }
    return revision;
  }

  /** The object whose "N G obj" header starts at `offset` (after white space); undefined when none is there. */
  objectAt(offset: number, resolveLength?: (ref: PdfRef) => number | undefined): IndirectObject | undefined {
    if (this.objects.has(offset)) return this.objects.get(offset);
    let parsed: IndirectObject | undefined;
    if (Number.isSafeInteger(offset) && offset >= 0 && offset < this.bytes.length) {
      try {
        parsed = new Parser(this.bytes, offset, resolveLength).indirectObject();
      } catch {
        parsed = undefined;
      }
    }
    this.objects.set(offset, parsed);
    return parsed;
  }

  section(offset: number): XrefSection {
    let section = this.sections.get(offset);
    if (!section) {
      try {
        section = readSection(this.bytes, offset, (at) => this.objectAt(at));
      } catch (error) {
        section = error instanceof Error ? error : new Error(String(error));
      }
      this.sections.set(offset, section);
    }
    if (section instanceof Error) throw section;
    return section;
  }

  /** An object stream's index, parsed once per holder offset. */
  objectStream(holderOffset: number, holder: PdfValue): ObjectStream | undefined {
    if (this.objectStreams.has(holderOffset)) return this.objectStreams.get(holderOffset);
    let parsed: ObjectStream | undefined;
    if (holder instanceof PdfStream && nameOf(holder.dict.get('Type')) === 'ObjStm') {
      try {
        const data = decodeStream(holder);
        const count = numberOf(holder.dict.get('N')) ?? 0;
        const first = numberOf(holder.dict.get('First')) ?? 0;
        const header = new Parser(data, 0);
        const numbers: number[] = [];
        const offsets: number[] = [];
        for (let i = 0; i < count && i < 1_000_000; i++) {
          const num = header.integer();
          const at = header.integer();
          if (num === undefined || at === undefined) break;
          numbers.push(num);
          offsets.push(at);
        }
        parsed = { numbers, offsets, first, data };
      } catch {
        parsed = undefined;
      }
    }
    this.objectStreams.set(holderOffset, parsed);
    return parsed;
  }

  /** Object `index` of the object stream at `holderOffset`, when it is object `num`. */
  compressedObject(holderOffset: number, stream: ObjectStream, index: number, num: number): PdfValue | undefined {
    if (stream.numbers[index] !== num) return undefined;
    const key = `${holderOffset}:${index}`;
    if (this.compressed.has(key)) return this.compressed.get(key);
    let value: PdfValue | undefined;
    try {
      value = new Parser(stream.data, stream.first + stream.offsets[index]!).parse();
    } catch {
      value = undefined;
    }
    this.compressed.set(key, value);
    return value;
  }

  /** Every "N G obj" in the file (and the objects inside object streams), as a viewer rebuilding the xref finds them. */
  scan(): ScanIndex {
    if (this.scanIndex) return this.scanIndex;
    const definitions = new Map<number, { position: number; entry: XrefEntry }[]>();
    const add = (num: number, position: number, entry: XrefEntry): void => {
      const list = definitions.get(num) ?? [];
      list.push({ position, entry });
      definitions.set(num, list);
    };
    const b = this.bytes;
    for (let at = this.buffer.indexOf(OBJ); at !== -1; at = this.buffer.indexOf(OBJ, at + 3)) {
      const after = b[at + 3];
      if (after !== undefined && !isWhite(after) && after !== 0x3c && after !== 0x5b && after !== 0x2f && after !== 0x28 && after !== 0x25) continue;
      // Back over "N G " before "obj".
      let p = at - 1;
      if (!isWhite(b[p])) continue;
      while (p >= 0 && isWhite(b[p])) p--;
      const genEnd = p + 1;
      while (p >= 0 && isDigit(b[p])) p--;
      const genStart = p + 1;
      if (genStart === genEnd || !isWhite(b[p])) continue;
      while (p >= 0 && isWhite(b[p])) p--;
      const numEnd = p + 1;
      while (p >= 0 && isDigit(b[p])) p--;
      const numStart = p + 1;
      if (numStart === numEnd || (p >= 0 && !isWhite(b[p]) && b[p] !== 0x3e && b[p] !== 0x5d && b[p] !== 0x29)) continue;
      const num = Number(this.buffer.toString('latin1', numStart, numEnd));
      const gen = Number(this.buffer.toString('latin1', genStart, genEnd));
      add(num, numStart, { type: 'direct', offset: numStart, gen });
      // Objects packed in an object stream count as defined where the stream is.
      if (this.buffer.toString('latin1', at, Math.min(b.length, at + 300)).includes('/ObjStm')) {
        const holder = this.objectAt(numStart)?.value;
        const stream = holder === undefined ? undefined : this.objectStream(numStart, holder);
        stream?.numbers.forEach((inner, index) => add(inner, numStart, { type: 'compressed', stream: num, index }));
      }
    }
    const trailers: number[] = [];
    for (let at = this.buffer.indexOf(TRAILER); at !== -1; at = this.buffer.indexOf(TRAILER, at + 7)) trailers.push(at);
    this.scanIndex = { definitions, trailers };
    return this.scanIndex;
  }
}

/** A revision of the file as a viewer opening its bytes up to `end` sees it: its own xref (with /Prev chain), rebuilt by scanning where that lacks entries. */
export class Revision {
  readonly entries = new Map<number, XrefEntry>();
  trailer = new PdfDict();
  /** The xref chain was cut short (a broken or looping /Prev, an unreadable section) or could not be read at all. */
  broken = false;
  /** Nothing of the xref could be read: every object comes from the scan. */
  rebuilt = false;
  private readonly resolved = new Map<number, Resolution>();
  private lengthDepth = 0;

  constructor(
    readonly file: PdfFile,
    readonly end: number,
  ) {
    this.readChain();
    if (this.rebuilt || !(this.trailer.get('Root') instanceof PdfRef)) this.recoverTrailer();
  }

  private readChain(): void {
    const buffer = this.file.buffer.subarray(0, this.end);
    const at = buffer.lastIndexOf(STARTXREF);
    const start = at < 0 ? undefined : new Parser(buffer, at + STARTXREF.length).integer();
    const seen = new Set<number>();
    const trailerKeys = new Map<string, PdfValue>();
    let offset = start;
    while (offset !== undefined) {
      if (seen.has(offset) || seen.size >= MAX_SECTIONS) {
        this.broken = true;
        break;
      }
      seen.add(offset);
      let section: XrefSection;
      try {
        if (offset >= this.end) throw new Error('past the end of the revision');
        section = this.file.section(offset);
      } catch {
        this.broken = true;
        break;
      }
      const hybrid = numberOf(section.trailer.get('XRefStm'));
      let streamEntries: Map<number, XrefEntry> | undefined;
      if (hybrid !== undefined && hybrid < this.end) {
        try {
          streamEntries = this.file.section(hybrid).entries;
        } catch {
          this.broken = true;
        }
      }
      if (streamEntries) {
        // A hybrid file's table lists the packed objects as free for older readers; its /XRefStm says where they are.
        const combined = new Map(section.entries);
        for (const [num, entry] of streamEntries) if (combined.get(num)?.type !== 'direct') combined.set(num, entry);
        this.merge(combined);
      } else this.merge(section.entries);
      for (const [key, value] of section.trailer.entries) if (!trailerKeys.has(key) && key !== 'Prev') trailerKeys.set(key, value);
      offset = numberOf(section.trailer.get('Prev'));
    }
    if (seen.size === 0 || (this.entries.size === 0 && this.broken)) this.rebuilt = true;
    this.broken ||= this.rebuilt;
    this.trailer = new PdfDict(trailerKeys);
  }

  private merge(entries: Map<number, XrefEntry>): void {
    for (const [num, entry] of entries) if (!this.entries.has(num)) this.entries.set(num, entry);
  }

  /** Without a usable trailer: the last "trailer" dictionary with a /Root in the revision, else the last catalog object. */
  private recoverTrailer(): void {
    const { trailers, definitions } = this.file.scan();
    for (const at of [...trailers].reverse()) {
      if (at >= this.end) continue;
      try {
        const parser = new Parser(this.file.bytes, at);
        parser.keyword();
        const dict = parser.parse();
        if (dict instanceof PdfDict && dict.get('Root') instanceof PdfRef) {
          this.trailer = new PdfDict(new Map([...dict.entries, ...this.trailer.entries].filter(([key]) => key !== 'Prev')));
          if (this.trailer.get('Root') instanceof PdfRef) return;
        }
      } catch {
        // Try an earlier one.
      }
    }
    let catalog: PdfRef | undefined;
    for (const [num] of definitions) {
      const resolution = this.resolve(num);
      if (resolution.status === 'ok' && nameOf(dictOf(resolution.value)?.get('Type')) === 'Catalog') catalog = new PdfRef(num, 0);
    }
    if (catalog) this.trailer.entries.set('Root', catalog);
  }

  /** The entry a viewer follows for an object number: the xref's, or the last definition the scan found in this revision when the xref lacks one. */
  entry(num: number): XrefEntry | undefined {
    return this.entries.get(num) ?? this.scannedEntry(num);
  }

  scannedEntry(num: number): XrefEntry | undefined {
    const list = this.file.scan().definitions.get(num);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.position < this.end) return list[i]!.entry;
    return undefined;
  }

  /** Object numbers this revision knows (xref entries, plus the scan's when the xref is broken). */
  numbers(): Set<number> {
    const numbers = new Set(this.entries.keys());
    if (this.broken) for (const [num, list] of this.file.scan().definitions) if (list.some((d) => d.position < this.end)) numbers.add(num);
    return numbers;
  }

  /** Follows the entry of `num` and says whether the bytes there really are that object. */
  resolve(num: number, gen?: number): Resolution {
    const cached = this.resolved.get(num);
    if (cached) return this.withGeneration(cached, gen);
    const result = this.resolveEntry(num, this.entry(num), 0);
    this.resolved.set(num, result);
    return this.withGeneration(result, gen);
  }

  private withGeneration(result: Resolution, gen: number | undefined): Resolution {
    if (gen === undefined || result.status !== 'ok') return result;
    const actual = result.entry?.type === 'direct' ? result.entry.gen : 0;
    return actual === gen ? result : { status: 'missing', value: null, entry: result.entry };
  }

  private resolveEntry(num: number, entry: XrefEntry | undefined, depth: number): Resolution {
    if (!entry) return { status: 'missing', value: null, entry };
    if (entry.type === 'free') return { status: 'free', value: null, entry };
    if (entry.type === 'direct') {
      if (entry.offset >= this.end) return { status: 'unreadable', value: null, entry };
      const object = this.file.objectAt(entry.offset, (ref) => this.length(ref));
      if (!object) return { status: 'unreadable', value: null, entry };
      if (object.num !== num || object.gen !== entry.gen) return { status: 'not-that-object', value: null, entry };
      return { status: 'ok', value: object.value, entry };
    }
    if (depth > 0) return { status: 'unreadable', value: null, entry };
    const holderEntry = this.entry(entry.stream);
    const holder = this.resolveEntry(entry.stream, holderEntry, depth + 1);
    if (holder.status !== 'ok' || holderEntry?.type !== 'direct') return { status: 'unreadable', value: null, entry };
    const stream = this.file.objectStream(holderEntry.offset, holder.value);
    if (!stream || entry.index >= stream.numbers.length) return { status: 'unreadable', value: null, entry };
    const value = this.file.compressedObject(holderEntry.offset, stream, entry.index, num);
    if (value === undefined) return { status: stream.numbers[entry.index] === num ? 'unreadable' : 'not-that-object', value: null, entry };
    return { status: 'ok', value, entry };
  }

  /** An indirect stream /Length, guarded against a length that is itself a stream. */
  private length(ref: PdfRef): number | undefined {
    if (this.lengthDepth > 0) return undefined;
    this.lengthDepth++;
    try {
      return numberOf(this.resolve(ref.num).value);
    } finally {
      this.lengthDepth--;
    }
  }

  /** A value with references followed (one level); null for what does not resolve. */
  get(value: PdfValue | undefined): PdfValue {
    if (value instanceof PdfRef) return this.resolve(value.num, value.gen).value;
    return value ?? null;
  }

  dict(value: PdfValue | undefined): PdfDict | undefined {
    const resolved = this.get(value);
    return resolved instanceof PdfDict ? resolved : undefined;
  }

  array(value: PdfValue | undefined): PdfValue[] | undefined {
    const resolved = this.get(value);
    return Array.isArray(resolved) ? resolved : undefined;
  }

  get rootRef(): PdfRef | undefined {
    const root = this.trailer.get('Root');
    return root instanceof PdfRef ? root : undefined;
  }

  catalog(): PdfDict | undefined {
    return this.dict(this.rootRef);
  }

  /** Whether `num` resolves through the same entry (and so the same bytes) in both revisions. */
  sameEntryAs(other: Revision, num: number): boolean {
    const [mine, theirs] = [this.entry(num), other.entry(num)];
    if (!sameEntry(mine, theirs)) return false;
    // Objects in an object stream are the same only when the stream itself is.
    if (mine?.type === 'compressed') return sameEntry(this.entry(mine.stream), other.entry(mine.stream));
    return true;
  }
}
