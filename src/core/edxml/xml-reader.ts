// A small, safe XML reader for edXML: UTF-8 only, no DTD, no entities beyond the five predefined and character references, bounded size and depth.
import { VanthuError } from '../../shared/errors.js';

export interface XmlElement {
  /** Local name, without its prefix. */
  name: string;
  /** Namespace URI the prefix resolved to ('' for none). */
  ns: string;
  attributes: Map<string, string>;
  children: XmlElement[];
  /** The element's own text (character data and CDATA), entities decoded; children's text is theirs. */
  text: string;
  /** 1-based line of its start tag, for error messages. */
  line?: number;
}

export interface XmlLimits {
  /** The whole document, in bytes. */
  maxBytes: number;
  maxDepth: number;
  maxElements: number;
  maxAttributes: number;
  /**
   * Prefixes read as if declared when a producer forgets the declaration (a vendor SDK writes `xlink:` so):
   * prefix → namespace URI. Any other undeclared prefix stays an error.
   */
  lenientPrefixes?: Readonly<Record<string, string>>;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxBytes: 256 * 1024 * 1024, maxDepth: 32, maxElements: 100_000, maxAttributes: 32 };

const NAME = /^[A-Za-z_][A-Za-z0-9._-]*(?::[A-Za-z_][A-Za-z0-9._-]*)?$/;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** XML 1.0 Char production: tab, newline, carriage return, and everything from space up except surrogates and U+FFFE/U+FFFF. */
export const isXmlChar = (code: number): boolean =>
  code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);

// Any character XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF).
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

class Reader {
  pos = 0;
  elements = 0;

  constructor(
    readonly src: string,
    readonly limits: XmlLimits,
  ) {}

  fail(detail: string, at = this.pos): never {
    const line = this.src.slice(0, at).split('\n').length;
    throw new VanthuError('EDXML_MALFORMED', { detail, line });
  }

  startsWith(text: string): boolean {
    return this.src.startsWith(text, this.pos);
  }

  skipSpace(): void {
    while (this.pos < this.src.length && ' \t\r\n'.includes(this.src[this.pos]!)) this.pos += 1;
  }

  /** Comments and processing instructions between markup: skipped; a DTD: refused. */
  skipMisc(): void {
    for (;;) {
      this.skipSpace();
      if (this.startsWith('<!--')) {
        const end = this.src.indexOf('-->', this.pos + 4);
        if (end < 0) this.fail('unterminated comment');
        this.pos = end + 3;
      } else if (this.startsWith('<!DOCTYPE') || this.startsWith('<!ENTITY') || this.startsWith('<!doctype')) {
        // No DTD at all: no external entities (XXE), no entity expansion bombs, no default attributes.
        throw new VanthuError('EDXML_DTD_FORBIDDEN');
      } else if (this.startsWith('<?')) {
        const end = this.src.indexOf('?>', this.pos + 2);
        if (end < 0) this.fail('unterminated processing instruction');
        if (/^<\?xml[\s?]/i.test(this.src.slice(this.pos, this.pos + 6))) this.fail('XML declaration not at the start');
        this.pos = end + 2;
      } else return;
    }
  }

  decode(raw: string, at: number): string {
    if (raw.includes('<')) this.fail('"<" in text or attribute value', at);
    if (!raw.includes('&')) return raw;
    return raw.replace(/&([^;&\s]{0,16});?/g, (whole, name: string) => {
      if (!whole.endsWith(';')) this.fail(`"&" not starting an entity reference`, at);
      if (name.startsWith('#')) {
        const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
        const digits = name[1] === 'x' ? /^#x[0-9A-Fa-f]+$/ : /^#[0-9]+$/;
        if (!digits.test(name) || !isXmlChar(code)) this.fail(`bad character reference &${name};`, at);
        return String.fromCodePoint(code);
      }
      const value = PREDEFINED[name];
      // Only the five predefined entities exist here: there is no DTD to declare more.
      if (value === undefined) this.fail(`undefined entity &${name};`, at);
      return value;
    });
  }

  readName(): string {
    const start = this.pos;
    while (this.pos < this.src.length && !' \t\r\n/>=<"\''.includes(this.src[this.pos]!)) this.pos += 1;
    const name = this.src.slice(start, this.pos);
    if (!NAME.test(name)) this.fail(`bad name "${name.slice(0, 40)}"`, start);
    return name;
  }

  /** Reads `<name attr="v"…>` from just after '<'; returns the raw name, attributes and whether it closed itself. */
  readStartTag(): { qname: string; attributes: Map<string, string>; selfClosing: boolean } {
    const qname = this.readName();
    const attributes = new Map<string, string>();
    for (;;) {
      const before = this.pos;
      this.skipSpace();
      if (this.startsWith('/>')) {
        this.pos += 2;
        return { qname, attributes, selfClosing: true };
      }
      if (this.startsWith('>')) {
        this.pos += 1;
        return { qname, attributes, selfClosing: false };
      }
      if (this.pos >= this.src.length) this.fail(`unterminated start tag <${qname}>`);
      if (this.pos === before) this.fail('attributes must be separated by white space');
      const name = this.readName();
      this.skipSpace();
      if (this.src[this.pos] !== '=') this.fail(`attribute ${name} without a value`);
      this.pos += 1;
      this.skipSpace();
      const quote = this.src[this.pos];
      if (quote !== '"' && quote !== "'") this.fail(`attribute ${name} value not quoted`);
      const end = this.src.indexOf(quote, this.pos + 1);
      if (end < 0) this.fail(`unterminated attribute ${name}`);
      if (attributes.has(name)) this.fail(`duplicate attribute ${name}`);
      if (attributes.size >= this.limits.maxAttributes) this.fail('too many attributes');
      // Attribute value normalisation (XML 1.0 §3.3.3): literal white space becomes a space.
      attributes.set(name, this.decode(this.src.slice(this.pos + 1, end), this.pos).replace(/[\t\r\n]/g, ' '));
      this.pos = end + 1;
    }
  }
}

type Scope = Map<string, string>;

function countNewlines(src: string, from: number, to: number): number {
  let count = 0;
  for (let i = src.indexOf('\n', from); i >= 0 && i < to; i = src.indexOf('\n', i + 1)) count += 1;
  return count;
}

function resolve(reader: Reader, qname: string, scope: Scope, at: number, isAttribute = false): { ns: string; local: string } {
  const colon = qname.indexOf(':');
  if (colon < 0) return { ns: isAttribute ? '' : (scope.get('') ?? ''), local: qname };
  const prefix = qname.slice(0, colon);
  const ns = prefix === 'xml' ? XML_NS : (scope.get(prefix) ?? reader.limits.lenientPrefixes?.[prefix]);
  if (ns === undefined) reader.fail(`undeclared namespace prefix "${prefix}"`, at);
  return { ns, local: qname.slice(colon + 1) };
}

/** Decodes UTF-8 (strictly) and parses; every problem is an EDXML_* error, never a partial tree. */
export function parseXml(input: Uint8Array | string, limits: Partial<XmlLimits> = {}): XmlElement {
  const all: XmlLimits = { ...DEFAULT_XML_LIMITS, ...limits };
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > all.maxBytes) throw new VanthuError('EDXML_TOO_LARGE', { size, limit: all.maxBytes });
  let src: string;
  if (typeof input === 'string') src = input;
  else {
    try {
      src = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input);
    } catch {
      throw new VanthuError('EDXML_MALFORMED', { detail: 'not UTF-8', line: 1 });
    }
  }
  if (src.charCodeAt(0) === 0xfeff) src = src.slice(1);
  const reader: Reader = new Reader(src, all);
  const forbidden = FORBIDDEN_CHAR.exec(src);
  if (forbidden) reader.fail(`character U+${forbidden[0].charCodeAt(0).toString(16).padStart(4, '0')} is not allowed in XML`, forbidden.index);

  if (src.startsWith('<?xml')) {
    const end = src.indexOf('?>');
    if (end < 0) reader.fail('unterminated XML declaration');
    const declaration = src.slice(0, end);
    const encoding = /encoding\s*=\s*["']([^"']+)["']/.exec(declaration)?.[1];
    if (encoding && !/^utf-?8$/i.test(encoding)) reader.fail(`encoding ${encoding}: only UTF-8 is read`);
    reader.pos = end + 2;
  }
  reader.skipMisc();
  if (!reader.startsWith('<')) reader.fail('no root element');

  const stack: { element: XmlElement; qname: string; scope: Scope; text: string[] }[] = [];
  let root: XmlElement | undefined;
  // Lines counted forward as elements start, so giving each its line costs one pass over the text in all.
  const lineCounter = { at: 0, line: 1 };
  while (reader.pos < src.length) {
    if (stack.length === 0 && root) {
      reader.skipMisc();
      if (reader.pos < src.length) reader.fail('content after the root element');
      break;
    }
    const lt = src.indexOf('<', reader.pos);
    if (lt < 0) reader.fail('unterminated element');
    if (lt > reader.pos) {
      const raw = src.slice(reader.pos, lt);
      if (stack.length === 0) {
        if (raw.trim()) reader.fail('text outside the root element');
      } else {
        if (raw.includes(']]>')) reader.fail('"]]>" in text');
        stack.at(-1)!.text.push(reader.decode(raw, reader.pos));
      }
      reader.pos = lt;
    }
    if (reader.startsWith('<![CDATA[')) {
      if (stack.length === 0) reader.fail('CDATA outside the root element');
      const end = src.indexOf(']]>', reader.pos + 9);
      if (end < 0) reader.fail('unterminated CDATA section');
      stack.at(-1)!.text.push(src.slice(reader.pos + 9, end));
      reader.pos = end + 3;
    } else if (reader.startsWith('<!--') || reader.startsWith('<?') || reader.startsWith('<!')) {
      reader.skipMisc();
      if (reader.startsWith('<!') && !reader.startsWith('<!--') && !reader.startsWith('<![CDATA[')) reader.fail('unknown markup declaration');
    } else if (reader.startsWith('</')) {
      const at = reader.pos;
      reader.pos += 2;
      const qname = reader.readName();
      reader.skipSpace();
      if (src[reader.pos] !== '>') reader.fail(`bad end tag </${qname}`);
      reader.pos += 1;
      const open = stack.pop();
      if (!open || open.qname !== qname) reader.fail(`end tag </${qname}> does not match <${open?.qname ?? '—'}>`, at);
      open.element.text = open.text.join('');
    } else {
      const at = reader.pos;
      reader.pos += 1;
      const tag = reader.readStartTag();
      if (stack.length === 0 && root) reader.fail('a second root element', at);
      reader.elements += 1;
      if (reader.elements > all.maxElements) throw new VanthuError('EDXML_TOO_LARGE', { size: `${reader.elements} elements`, limit: all.maxElements });
      if (stack.length + 1 > all.maxDepth) reader.fail(`nested deeper than ${all.maxDepth} elements`, at);
      const parentScope: Scope = stack.at(-1)?.scope ?? new Map();
      let scope = parentScope;
      const attributes = new Map<string, string>();
      for (const [name, value] of tag.attributes) {
        if (name === 'xmlns' || name.startsWith('xmlns:')) {
          if (scope === parentScope) scope = new Map(parentScope);
          scope.set(name === 'xmlns' ? '' : name.slice(6), value);
        }
      }
      for (const [name, value] of tag.attributes) {
        if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
        const { local } = resolve(reader, name, scope, at, true);
        if (attributes.has(local)) reader.fail(`duplicate attribute ${local}`, at);
        attributes.set(local, value);
      }
      const { ns, local } = resolve(reader, tag.qname, scope, at);
      lineCounter.line += countNewlines(src, lineCounter.at, at);
      lineCounter.at = at;
      const element: XmlElement = { name: local, ns, attributes, children: [], text: '', line: lineCounter.line };
      if (stack.length > 0) stack.at(-1)!.element.children.push(element);
      else root = element;
      if (!tag.selfClosing) stack.push({ element, qname: tag.qname, scope, text: [] });
    }
  }
  if (stack.length > 0) reader.fail(`element <${stack.at(-1)!.qname}> is not closed`);
  if (!root) reader.fail('no root element');
  return root;
}
