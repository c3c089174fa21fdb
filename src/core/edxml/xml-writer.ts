// Writes XML text with correct escaping: element and attribute values escaped, characters XML cannot carry refused.
import { VanthuError } from '../../shared/errors.js';

// Characters XML 1.0 cannot carry even as references (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF).
// eslint-disable-next-line no-control-regex
const UNWRITABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function checked(value: string, field: string): string {
  const bad = UNWRITABLE.exec(value);
  if (bad) throw new VanthuError('EDXML_FIELD_INVALID', { field, detail: `character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} cannot be written in XML / ký tự không ghi được vào XML` });
  return value;
}

/** Text content: & and < must be escaped, > too so "]]>" can never appear; \r as a reference so it survives line-end normalisation. */
export const escapeText = (value: string, field = 'text'): string =>
  checked(value, field).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');

/** Attribute values (always written in double quotes): also quotes, and white space kept as references so normalisation does not eat it. */
export const escapeAttribute = (value: string, field = 'attribute'): string =>
  escapeText(value, field).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');

/** A tiny builder: pieces are collected in an array and joined once, so a big attachment is copied once. */
export class XmlWriter {
  private readonly parts: string[] = [];
  private readonly open: string[] = [];

  constructor(private readonly indent = '  ') {
    this.parts.push('<?xml version="1.0" encoding="UTF-8"?>\n');
  }

  private pad(): string {
    return this.indent.repeat(this.open.length);
  }

  private attrs(attributes: Record<string, string | undefined>): string {
    return Object.entries(attributes)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([name, value]) => ` ${name}="${escapeAttribute(value, name)}"`)
      .join('');
  }

  start(name: string, attributes: Record<string, string | undefined> = {}): this {
    this.parts.push(`${this.pad()}<${name}${this.attrs(attributes)}>\n`);
    this.open.push(name);
    return this;
  }

  end(): this {
    const name = this.open.pop();
    if (!name) throw new Error('XmlWriter: end() without start()');
    this.parts.push(`${this.pad()}</${name}>\n`);
    return this;
  }

  /** `<name>value</name>`; nothing at all when the value is undefined (optional field absent). */
  leaf(name: string, value: string | number | undefined, attributes: Record<string, string | undefined> = {}): this {
    if (value === undefined) return this;
    this.parts.push(`${this.pad()}<${name}${this.attrs(attributes)}>${escapeText(String(value), name)}</${name}>\n`);
    return this;
  }

  /** Text known to need no escaping (base64), written as is, for speed on large attachments. */
  rawLeaf(name: string, safeText: string): this {
    this.parts.push(`${this.pad()}<${name}>${safeText}</${name}>\n`);
    return this;
  }

  toBytes(): Uint8Array {
    if (this.open.length > 0) throw new Error(`XmlWriter: <${this.open.at(-1)}> left open`);
    return new Uint8Array(Buffer.from(this.parts.join(''), 'utf8'));
  }
}
