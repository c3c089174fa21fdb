// The PDF object model of the read-only reader: plain values plus small classes for names, strings, references, dictionaries and streams.

export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfString {
  constructor(
    readonly bytes: Uint8Array,
    readonly hex: boolean,
  ) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
  toString(): string {
    return `${this.num} ${this.gen} R`;
  }
}

export class PdfDict {
  constructor(readonly entries: Map<string, PdfValue> = new Map()) {}
  get(key: string): PdfValue | undefined {
    return this.entries.get(key);
  }
  has(key: string): boolean {
    return this.entries.has(key);
  }
  keys(): string[] {
    return [...this.entries.keys()];
  }
}

export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    /** The encoded bytes between "stream" and "endstream". */
    readonly raw: Uint8Array,
  ) {}
}

export type PdfValue = null | boolean | number | PdfName | PdfString | PdfRef | PdfValue[] | PdfDict | PdfStream;

export const nameOf = (value: PdfValue | undefined): string | undefined => (value instanceof PdfName ? value.name : undefined);
export const numberOf = (value: PdfValue | undefined): number | undefined => (typeof value === 'number' ? value : undefined);
export const dictOf = (value: PdfValue | undefined): PdfDict | undefined =>
  value instanceof PdfDict ? value : value instanceof PdfStream ? value.dict : undefined;

const utf16 = new TextDecoder('utf-16be');
const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

/** A PDF text string as text: UTF-16BE or UTF-8 with their byte order marks, else PDFDocEncoding (close to Latin-1). */
export function textOf(value: PdfValue | undefined): string | undefined {
  if (!(value instanceof PdfString)) return undefined;
  const b = value.bytes;
  if (b[0] === 0xfe && b[1] === 0xff) return utf16.decode(b.subarray(2));
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return utf8.decode(b.subarray(3));
  return latin1.decode(b);
}

/** The /Type of a dictionary or stream. */
export const typeOf = (value: PdfValue | undefined): string | undefined => nameOf(dictOf(value)?.get('Type'));

export const refKey = (ref: PdfRef): string => `${ref.num} ${ref.gen}`;
