// Parses PDF objects from bytes: numbers, strings with escapes, hex strings, names with #xx, arrays, dictionaries, references, and streams.
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from './objects.js';
import { plainHex } from './plain-hex.js';

/** Limits for hostile input. */
export const LIMITS = { depth: 64, streamBytes: 64 * 1024 * 1024, stringBytes: 16 * 1024 * 1024 } as const;

export class PdfParseError extends Error {}

const isWhite = (c: number | undefined): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const isRegular = (c: number | undefined): boolean => c !== undefined && !isWhite(c) && !DELIMITERS.has(c);
const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
const hexValue = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 55 : c >= 0x61 && c <= 0x66 ? c - 87 : -1);

/** Per byte: its value as a hex digit, HEX_WHITE for white space (skipped inside a hex string), -1 for anything else. */
const HEX_WHITE = -2;
/** Hex strings this long or longer decode natively (plainHex); shorter ones are not worth it, and the result would share Node's pool. */
const NATIVE_HEX_FROM = 8192;
const HEX_DIGIT = Int8Array.from({ length: 256 }, (_, c) => (hexValue(c) >= 0 ? hexValue(c) : isWhite(c) ? HEX_WHITE : -1));

const ENDSTREAM = Buffer.from('endstream');
const ENDOBJ = Buffer.from('endobj');
const latin1 = new TextDecoder('latin1');

export interface IndirectObject {
  num: number;
  gen: number;
  value: PdfValue;
}

/** Resolves an indirect /Length; undefined when it cannot. */
export type LengthResolver = (ref: PdfRef) => number | undefined;

export class Parser {
  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
    private readonly resolveLength: LengthResolver = () => undefined,
  ) {}

  skipSpace(): void {
    const b = this.bytes;
    for (;;) {
      while (this.pos < b.length && isWhite(b[this.pos])) this.pos++;
      if (b[this.pos] !== 0x25) return;
      while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
    }
  }

  /** A bare keyword or number token (regular characters), without consuming anything else. */
  private token(): string {
    const start = this.pos;
    while (this.pos < this.bytes.length && isRegular(this.bytes[this.pos])) this.pos++;
    return latin1.decode(this.bytes.subarray(start, this.pos));
  }

  /** The next keyword ("xref", "trailer", "n"), skipping space first. */
  keyword(): string {
    this.skipSpace();
    return this.token();
  }

  /** A non-negative integer at the current position (after space), or undefined (position restored). */
  integer(): number | undefined {
    const saved = this.pos;
    this.skipSpace();
    const start = this.pos;
    while (isDigit(this.bytes[this.pos])) this.pos++;
    if (this.pos === start || isRegular(this.bytes[this.pos])) {
      this.pos = saved;
      return undefined;
    }
    return Number(latin1.decode(this.bytes.subarray(start, this.pos)));
  }

  parse(depth = 0): PdfValue {
    if (depth > LIMITS.depth) throw new PdfParseError('objects nested too deeply');
    this.skipSpace();
    const b = this.bytes;
    const c = b[this.pos];
    if (c === undefined) throw new PdfParseError('unexpected end of file');
    if (c === 0x2f) return this.name();
    if (c === 0x28) return this.literalString();
    if (c === 0x3c) {
      if (b[this.pos + 1] === 0x3c) return this.dictionary(depth);
      return this.hexString();
    }
    if (c === 0x5b) {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (this.pos >= b.length) throw new PdfParseError('unterminated array');
        if (b[this.pos] === 0x5d) {
          this.pos++;
          return items;
        }
        items.push(this.parse(depth + 1));
      }
    }
    if (isDigit(c) || c === 0x2b || c === 0x2d || c === 0x2e) {
      const start = this.pos;
      const text = this.token();
      const value = Number(text);
      if (/^\d+$/.test(text)) {
        // "N G R" is a reference.
        const afterFirst = this.pos;
        const gen = this.integer();
        if (gen !== undefined) {
          this.skipSpace();
          if (b[this.pos] === 0x52 && !isRegular(b[this.pos + 1])) {
            this.pos++;
            return new PdfRef(value, gen);
          }
        }
        this.pos = afterFirst;
      }
      if (Number.isNaN(value)) {
        // Malformed numbers such as "--5" or "1.2.3": viewers read what they can.
        const lenient = Number.parseFloat(text.replace(/^[+-]+/, (s) => (s.includes('-') ? '-' : '')));
        this.pos = start + text.length;
        return Number.isNaN(lenient) ? 0 : lenient;
      }
      return value;
    }
    if (c === 0x3e || c === 0x5d || c === 0x29 || c === 0x7b || c === 0x7d) {
      this.pos++;
      throw new PdfParseError(`unexpected "${String.fromCharCode(c)}"`);
    }
    const word = this.token();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    throw new PdfParseError(`unexpected keyword "${word.slice(0, 20)}"`);
  }

  private name(): PdfName {
    this.pos++;
    const b = this.bytes;
    const out: number[] = [];
    while (this.pos < b.length && isRegular(b[this.pos])) {
      const ch = b[this.pos]!;
      if (ch === 0x23 && hexValue(b[this.pos + 1] ?? 0) >= 0 && hexValue(b[this.pos + 2] ?? 0) >= 0) {
        out.push(hexValue(b[this.pos + 1]!) * 16 + hexValue(b[this.pos + 2]!));
        this.pos += 3;
      } else {
        out.push(ch);
        this.pos++;
      }
    }
    return new PdfName(Buffer.from(out).toString('utf8'));
  }

  private literalString(): PdfString {
    const b = this.bytes;
    this.pos++;
    const out: number[] = [];
    let nesting = 1;
    while (this.pos < b.length) {
      if (out.length > LIMITS.stringBytes) throw new PdfParseError('string too long');
      const ch = b[this.pos++]!;
      if (ch === 0x28) nesting++;
      else if (ch === 0x29 && --nesting === 0) return new PdfString(Uint8Array.from(out), false);
      if (ch !== 0x5c) {
        out.push(ch);
        continue;
      }
      const e = b[this.pos++];
      if (e === undefined) break;
      const escapes: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
      if (escapes[e] !== undefined) out.push(escapes[e]);
      else if (e >= 0x30 && e <= 0x37) {
        let code = e - 0x30;
        for (let k = 0; k < 2 && (b[this.pos] ?? 0) >= 0x30 && (b[this.pos] ?? 0) <= 0x37; k++) code = code * 8 + (b[this.pos++]! - 0x30);
        out.push(code & 0xff);
      } else if (e === 0x0d) {
        if (b[this.pos] === 0x0a) this.pos++;
      } else if (e !== 0x0a) out.push(e);
    }
    throw new PdfParseError('unterminated string');
  }

  /**
   * A signature's /Contents is a hex string of tens of kilobytes, read on every check of the file: a table lookup per
   * character into a buffer sized once (at most half the characters become bytes) instead of a function call and an
   * array push, which made this the single biggest piece of the parser's time.
   */
  private hexString(): PdfString {
    const b = this.bytes;
    const start = ++this.pos;
    const end = b.indexOf(0x3e, start);
    if (end < 0) {
      this.pos = b.length;
      throw new PdfParseError('unterminated hex string');
    }
    const length = end - start;
    // A signature's /Contents: decoded at once when it is plain digits; spaces, an odd digit or a bad byte go the careful way below.
    const plain = length >= NATIVE_HEX_FROM && length >> 1 <= LIMITS.stringBytes ? plainHex(b.subarray(start, end)) : undefined;
    if (plain) {
      this.pos = end + 1;
      return new PdfString(new Uint8Array(plain.buffer, plain.byteOffset, plain.length), true);
    }
    const out = new Uint8Array((length + 1) >> 1);
    let n = 0;
    let high = -1;
    for (let i = start; i < end; i++) {
      const v = HEX_DIGIT[b[i]!]!;
      if (v >= 0) {
        if (high < 0) high = v;
        else {
          out[n++] = (high << 4) | v;
          high = -1;
        }
      } else if (v !== HEX_WHITE) {
        this.pos = i + 1;
        throw new PdfParseError('bad character in a hex string');
      }
    }
    if (high >= 0) out[n++] = high << 4;
    if (n > LIMITS.stringBytes) throw new PdfParseError('string too long');
    this.pos = end + 1;
    return new PdfString(n === out.length ? out : out.slice(0, n), true);
  }

  private dictionary(depth: number): PdfDict {
    const b = this.bytes;
    this.pos += 2;
    const entries = new Map<string, PdfValue>();
    for (;;) {
      this.skipSpace();
      if (this.pos >= b.length) throw new PdfParseError('unterminated dictionary');
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return new PdfDict(entries);
      }
      const key = this.parse(depth + 1);
      if (!(key instanceof PdfName)) throw new PdfParseError('a dictionary key is not a name');
      this.skipSpace();
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
        entries.set(key.name, null);
        continue;
      }
      entries.set(key.name, this.parse(depth + 1));
    }
  }

  /** "N G obj <value> [stream…endstream] endobj" at the current position; undefined when the bytes there are not an object header. */
  indirectObject(): IndirectObject | undefined {
    const num = this.integer();
    const gen = num === undefined ? undefined : this.integer();
    if (num === undefined || gen === undefined || this.keyword() !== 'obj') return undefined;
    let value = this.parse();
    if (value instanceof PdfDict) {
      const saved = this.pos;
      if (this.keyword() === 'stream') value = this.streamBody(value);
      else this.pos = saved;
    }
    return { num, gen, value };
  }

  /** The stream data after the "stream" keyword: by /Length when "endstream" follows it, else up to the next "endstream". */
  private streamBody(dict: PdfDict): PdfStream {
    const b = this.bytes;
    if (b[this.pos] === 0x0d) this.pos++;
    if (b[this.pos] === 0x0a) this.pos++;
    const start = this.pos;
    const lengthValue = dict.get('Length');
    const length = typeof lengthValue === 'number' ? lengthValue : lengthValue instanceof PdfRef ? this.resolveLength(lengthValue) : undefined;
    if (length !== undefined && Number.isSafeInteger(length) && length >= 0 && length <= LIMITS.streamBytes && start + length <= b.length) {
      const after = new Parser(b, start + length);
      if (after.keyword() === 'endstream') {
        this.pos = after.pos;
        return new PdfStream(dict, b.subarray(start, start + length));
      }
    }
    const buffer = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    let end = buffer.indexOf(ENDSTREAM, start);
    const endobj = buffer.indexOf(ENDOBJ, start);
    if (end < 0 || (endobj >= 0 && endobj < end)) end = endobj >= 0 ? endobj : b.length;
    this.pos = Math.min(b.length, end + ENDSTREAM.length);
    let dataEnd = end;
    if (b[dataEnd - 1] === 0x0a) dataEnd--;
    if (b[dataEnd - 1] === 0x0d) dataEnd--;
    return new PdfStream(dict, b.subarray(start, Math.max(start, dataEnd)));
  }
}
