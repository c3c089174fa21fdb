// Converts BER (indefinite lengths, constructed strings: what NSS and other signers write) to DER, so the DER reader can take any CMS.
import { DerError, encode } from './der.js';

const END_OF_CONTENTS = 0x00;
/** Universal string types that DER requires to be primitive. */
const CONSTRUCTED_STRINGS = new Set([0x23, 0x24, 0x2c, 0x33, 0x34, 0x35, 0x36, 0x3c]);

interface Converted {
  /** The element as DER. */
  der: Uint8Array;
  /** How many source bytes it took. */
  consumed: number;
  /** Primitive content, for strings that DER turns from constructed into primitive. */
  content: Uint8Array;
}

function readLength(source: Uint8Array, offset: number): { length: number | undefined; size: number } {
  const first = source[offset];
  if (first === undefined) throw new DerError(`truncated length at offset ${offset}`);
  if (first < 0x80) return { length: first, size: 1 };
  const count = first & 0x7f;
  if (count === 0) return { length: undefined, size: 1 };
  if (count > 4) throw new DerError(`length too large at offset ${offset}`);
  let length = 0;
  for (let i = 1; i <= count; i++) {
    const byte = source[offset + i];
    if (byte === undefined) throw new DerError(`truncated length at offset ${offset}`);
    length = length * 256 + byte;
  }
  return { length, size: 1 + count };
}

function convert(source: Uint8Array, offset: number, depth: number): Converted {
  if (depth > 64) throw new DerError('BER nested too deeply');
  const tag = source[offset];
  if (tag === undefined) throw new DerError(`no element at offset ${offset}`);
  if ((tag & 0x1f) === 0x1f) throw new DerError(`multi-byte tag at offset ${offset}`);
  const { length, size } = readLength(source, offset + 1);
  const start = offset + 1 + size;
  const constructed = (tag & 0x20) !== 0;
  if (!constructed) {
    if (length === undefined) throw new DerError(`indefinite length on a primitive element at offset ${offset}`);
    const content = source.subarray(start, start + length);
    if (start + length > source.length) throw new DerError(`element at offset ${offset} runs past the end`);
    return { der: encode(tag, content), consumed: 1 + size + length, content };
  }
  const children: Converted[] = [];
  let at = start;
  const end = length === undefined ? source.length : start + length;
  if (end > source.length) throw new DerError(`element at offset ${offset} runs past the end`);
  for (;;) {
    if (length === undefined) {
      if (source[at] === END_OF_CONTENTS && source[at + 1] === END_OF_CONTENTS) {
        at += 2;
        break;
      }
      if (at >= source.length) throw new DerError(`unterminated indefinite length at offset ${offset}`);
    } else if (at >= end) break;
    const child = convert(source, at, depth + 1);
    children.push(child);
    at += child.consumed;
  }
  const consumed = at - offset;
  if (CONSTRUCTED_STRINGS.has(tag)) {
    // A string cut into pieces: DER wants one primitive string of the joined pieces.
    const content = Buffer.concat(children.map((c) => c.content));
    return { der: encode(tag & ~0x20, content), consumed, content };
  }
  const content = Buffer.concat(children.map((c) => c.der));
  return { der: encode(tag, content), consumed, content };
}

/** The first element of `source` as DER (trailing bytes, such as a signature placeholder's zeros, ignored). */
export function berToDer(source: Uint8Array): Uint8Array {
  return convert(source, 0, 0).der;
}
