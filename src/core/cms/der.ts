// Minimal DER reader and writer: exact bytes in, exact bytes out, so re-encoding never changes what was signed.

/** One TLV: where it sits in `source`, its tag byte and its content. */
export interface DerElement {
  tag: number;
  /** The whole TLV (header and content), a view into the source bytes. */
  bytes: Uint8Array;
  content: Uint8Array;
}

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Context-specific tag byte: [n] constructed or primitive. */
export const contextTag = (n: number, constructed = true): number => 0x80 | (constructed ? 0x20 : 0) | n;

export class DerError extends Error {
  override readonly name = 'DerError';
}

/** Reads the TLV at `offset`; only definite lengths and single-byte tags (all CMS needs). */
export function readElement(source: Uint8Array, offset = 0): DerElement {
  const tag = source[offset];
  if (tag === undefined) throw new DerError(`no element at offset ${offset}`);
  if ((tag & 0x1f) === 0x1f) throw new DerError(`multi-byte tag at offset ${offset}`);
  const first = source[offset + 1];
  if (first === undefined) throw new DerError(`truncated length at offset ${offset}`);
  let length = first;
  let headerLength = 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0) throw new DerError(`indefinite length (BER, not DER) at offset ${offset}`);
    if (count > 4) throw new DerError(`length too large at offset ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) {
      const byte = source[offset + 2 + i];
      if (byte === undefined) throw new DerError(`truncated length at offset ${offset}`);
      length = length * 256 + byte;
    }
    headerLength += count;
  }
  const end = offset + headerLength + length;
  if (end > source.length) throw new DerError(`element at offset ${offset} runs past the end (${end} > ${source.length})`);
  return { tag, bytes: source.subarray(offset, end), content: source.subarray(offset + headerLength, end) };
}

/** Reads one element that must fill `source` exactly. */
export function readWhole(source: Uint8Array): DerElement {
  const element = readElement(source);
  if (element.bytes.length !== source.length) throw new DerError(`${source.length - element.bytes.length} trailing bytes after the element`);
  return element;
}

export function readChildren(parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  for (let offset = 0; offset < parent.content.length; ) {
    const child = readElement(parent.content, offset);
    children.push(child);
    offset += child.bytes.length;
  }
  return children;
}

/** Reads an element and checks its tag. */
export function expectTag(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (!element) throw new DerError(`${what} is missing`);
  if (element.tag !== tag) throw new DerError(`${what} has tag 0x${element.tag.toString(16)}, expected 0x${tag.toString(16)}`);
  return element;
}

const lengthBytes = (length: number): number[] => {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return [0x80 | bytes.length, ...bytes];
};

export function encode(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const length = contents.reduce((sum, part) => sum + part.length, 0);
  const header = Uint8Array.of(tag, ...lengthBytes(length));
  const out = new Uint8Array(header.length + length);
  out.set(header);
  let offset = header.length;
  for (const part of contents) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export const sequence = (...items: Uint8Array[]): Uint8Array => encode(TAG.SEQUENCE, ...items);

/** DER orders SET OF members by their encodings (X.690 11.6); shorter ones compare as if zero-padded. */
export function sortSetMembers(items: readonly Uint8Array[]): Uint8Array[] {
  return [...items].sort((a, b) => {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const difference = (a[i] ?? 0) - (b[i] ?? 0);
      if (difference !== 0) return difference;
    }
    return 0;
  });
}

export const setOf = (...items: Uint8Array[]): Uint8Array => encode(TAG.SET, ...sortSetMembers(items));

export const octetString = (value: Uint8Array): Uint8Array => encode(TAG.OCTET_STRING, value);

export const derNull = (): Uint8Array => Uint8Array.of(TAG.NULL, 0);

/** A non-negative INTEGER from its unsigned big-endian magnitude. */
export function unsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const body = trimmed.length === 0 ? Uint8Array.of(0) : (trimmed[0] ?? 0) & 0x80 ? Uint8Array.of(0, ...trimmed) : trimmed;
  return encode(TAG.INTEGER, body);
}

export const smallInteger = (value: number): Uint8Array => {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`not a small non-negative integer: ${value}`);
  const bytes: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return unsignedInteger(Uint8Array.from(bytes));
};

export function readSmallInteger(element: DerElement): number {
  expectTag(element, TAG.INTEGER, 'INTEGER');
  if (element.content.length > 6 || ((element.content[0] ?? 0) & 0x80) !== 0) throw new DerError('INTEGER out of range');
  return element.content.reduce((value, byte) => value * 256 + byte, 0);
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((arc) => {
    if (!/^\d+$/.test(arc)) throw new RangeError(`bad OID ${dotted}`);
    return BigInt(arc);
  });
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined) throw new RangeError(`bad OID ${dotted}`);
  const body: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    for (let value = arc >> 7n; value > 0n; value >>= 7n) chunk.unshift(Number(value & 0x7fn) | 0x80);
    body.push(...chunk);
  }
  return encode(TAG.OID, Uint8Array.from(body));
}

export function readOid(element: DerElement | undefined, what = 'OBJECT IDENTIFIER'): string {
  const { content } = expectTag(element, TAG.OID, what);
  const arcs: bigint[] = [];
  let value = 0n;
  for (const byte of content) {
    value = (value << 7n) | BigInt(byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0n;
    }
  }
  const [head, ...rest] = arcs;
  if (head === undefined) throw new DerError(`${what} is empty`);
  const first = head < 80n ? head / 40n : 2n;
  return [first, head - first * 40n, ...rest].join('.');
}

export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

export const bytesEqual = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i]);
