// Finds text on a PDF page with its position in points (page user space, origin bottom left), through pdf.js.
import fontkit from '@pdf-lib/fontkit';
import { VanthuError } from '../../shared/errors.js';
import { defaultFontBytes } from './fonts.js';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One character as seen on the page: a base letter with its combining marks, NFC. */
export interface TextUnit {
  text: string;
  x0: number;
  x1: number;
  /** Of its own run: runs joined into a line may sit a little apart (a title beside a list). */
  baseline: number;
  size: number;
}

/** Runs sharing a baseline, joined left to right; gaps between runs become one synthetic space. */
export interface TextLine {
  text: string;
  units: TextUnit[];
  /** Of the line's highest run. */
  baseline: number;
  /** The largest in the line. */
  fontSize: number;
}

export interface PageText {
  page: number;
  lines: TextLine[];
}

export interface TextMatch {
  text: string;
  box: Box;
  baseline: number;
  fontSize: number;
  /** Index into PageText.lines. */
  line: number;
  /** Boxes of named groups of a RegExp pattern (empty groups get a zero-width box where they sit). */
  groups: Record<string, Box & { text: string }>;
}

export interface LocateOptions {
  ignoreCase?: boolean;
  /** Compares base letters only: "Nguyen Thi Hong Nhung" finds "Nguyễn Thị Hồng Nhung"; đ counts as d. */
  ignoreDiacritics?: boolean;
}

// Times/Liberation Serif vertical metrics, used for every font: pdf.js gives only the size.
export const INK_ASCENT = 0.891;
export const INK_DESCENT = 0.216;
// Runs further apart than this (in font sizes) had a space between them on paper.
const SPACE_GAP = 0.15;
// Baselines closer than this (in font sizes) are the same line.
const SAME_LINE = 0.3;

interface RawItem {
  str: string;
  width: number;
  transform: number[];
}

const isRawItem = (item: unknown): item is RawItem =>
  typeof item === 'object' && item !== null && 'str' in item && 'transform' in item && typeof (item as RawItem).str === 'string';

let glyphFont: ReturnType<typeof fontkit.create> | undefined;

/** Relative advance of a character, from Liberation Serif: a run's width is shared out by these. */
function advance(text: string): number {
  glyphFont ??= fontkit.create(defaultFontBytes());
  const codePoint = text.codePointAt(0) ?? 32;
  const glyph = glyphFont.hasGlyphForCodePoint(codePoint) ? glyphFont.glyphForCodePoint(codePoint) : undefined;
  return glyph ? glyph.advanceWidth / glyphFont.unitsPerEm : 0.5;
}

/** NFC characters with their combining marks attached, each with its share of the run's width. */
function unitsOf(item: RawItem, size: number): TextUnit[] {
  const chars: string[] = [];
  for (const c of item.str.normalize('NFC')) {
    if (/\p{M}/u.test(c) && chars.length > 0) chars[chars.length - 1] += c;
    else chars.push(c);
  }
  const weights = chars.map(advance);
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  const width = item.width > 0 ? item.width : total * size;
  let x = item.transform[4] ?? 0;
  return chars.map((text, i) => {
    const w = (width * (weights[i] ?? 0)) / total;
    const unit = { text, x0: x, x1: x + w, baseline: item.transform[5] ?? 0, size };
    x += w;
    return unit;
  });
}

function toLines(items: RawItem[]): TextLine[] {
  // Horizontal text only: rotated or skewed runs are not where Decree 30 puts names and numbers.
  const flat = items
    .filter((item) => item.str.length > 0 && Math.abs(item.transform[1] ?? 0) < 1e-6 && Math.abs(item.transform[2] ?? 0) < 1e-6 && (item.transform[0] ?? 0) > 0)
    .map((item) => ({ item, baseline: item.transform[5] ?? 0, size: Math.abs(item.transform[3] ?? 0) || 1 }))
    .sort((a, b) => b.baseline - a.baseline);
  const groups: (typeof flat)[] = [];
  for (const entry of flat) {
    const last = groups.at(-1);
    const size = Math.max(entry.size, last?.[0]?.size ?? 0);
    if (last && Math.abs((last[0]?.baseline ?? 0) - entry.baseline) <= SAME_LINE * size) last.push(entry);
    else groups.push([entry]);
  }
  return groups.map((group) => {
    group.sort((a, b) => (a.item.transform[4] ?? 0) - (b.item.transform[4] ?? 0));
    const fontSize = Math.max(...group.map((g) => g.size));
    const units: TextUnit[] = [];
    for (const { item, size } of group) {
      const next = unitsOf(item, size);
      const previous = units.at(-1);
      const first = next[0];
      if (previous && first && first.x0 - previous.x1 > SPACE_GAP * fontSize && !/\s/.test(previous.text) && !/\s/.test(first.text)) {
        units.push({ text: ' ', x0: previous.x1, x1: first.x0, baseline: first.baseline, size: first.size });
      }
      units.push(...next);
    }
    return { text: units.map((u) => u.text).join(''), units, baseline: group[0]?.baseline ?? 0, fontSize };
  });
}

/** The text of one page (1-based) as lines, top to bottom. */
export async function readPageText(pdf: Uint8Array, page: number): Promise<PageText> {
  // pdf.js is loaded on first use: it costs ~160 MB and most signing never needs page text.
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdf.js takes ownership of (detaches) the buffer it is given, and refuses a Node Buffer (what the
  // blob store reads): hand it a plain Uint8Array copy.
  const task = getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, useSystemFonts: false, disableFontFace: true, verbosity: 0 });
  let doc: Awaited<typeof task.promise>;
  try {
    doc = await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    throw new VanthuError('PDF_INVALID', { detail: error instanceof Error ? error.message : String(error) }, { cause: error });
  }
  try {
    if (!Number.isInteger(page) || page < 1 || page > doc.numPages) throw new VanthuError('PDF_PAGE_OUT_OF_RANGE', { page, count: doc.numPages });
    const content = await (await doc.getPage(page)).getTextContent();
    return { page, lines: toLines(content.items.flatMap((item) => (isRawItem(item) ? [item] : []))) };
  } finally {
    await doc.destroy();
  }
}

/** The comparison key of one character: NFC, or its folded base letter(s). */
function fold(text: string, options: LocateOptions): string {
  let key = text.normalize('NFC');
  if (options.ignoreDiacritics) key = key.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
  if (options.ignoreCase) key = key.toLowerCase();
  return key;
}

/** The line as one comparable string, with the unit each of its code units came from; whitespace runs become one space. */
function keyed(line: TextLine, options: LocateOptions): { key: string; owner: number[] } {
  let key = '';
  const owner: number[] = [];
  line.units.forEach((unit, i) => {
    const piece = /^\s+$/.test(unit.text) ? (key.endsWith(' ') ? '' : ' ') : fold(unit.text, options);
    for (let k = 0; k < piece.length; k++) owner.push(i);
    key += piece;
  });
  return { key, owner };
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function patternRegExp(pattern: string | RegExp, options: LocateOptions): RegExp {
  if (pattern instanceof RegExp) return new RegExp(pattern.source, `${pattern.flags.replace(/[gd]/g, '')}gd`);
  const key = [...pattern.normalize('NFC').trim().replace(/\s+/g, ' ')].map((c) => (c === ' ' ? c : fold(c, options))).join('');
  if (!key) throw new VanthuError('BAD_INPUT', { detail: 'empty text to look for / chuỗi tìm kiếm rỗng' });
  return new RegExp(escapeRegExp(key), 'gd');
}

/** Ink box of units first..last: Times ascent/descent around each unit's own baseline. */
function inkBox(units: TextUnit[]): Box & { text: string; baseline: number; fontSize: number } {
  const first = units[0]!;
  const last = units.at(-1)!;
  const bottom = Math.min(...units.map((u) => u.baseline - INK_DESCENT * u.size));
  const top = Math.max(...units.map((u) => u.baseline + INK_ASCENT * u.size));
  return {
    x: first.x0,
    y: bottom,
    width: last.x1 - first.x0,
    height: top - bottom,
    text: units.map((u) => u.text).join(''),
    baseline: first.baseline,
    fontSize: Math.max(...units.map((u) => u.size)),
  };
}

function spanBox(line: TextLine, owner: number[], start: number, end: number): Box & { text: string; baseline: number; fontSize: number } {
  if (end <= start) {
    // An empty group sits, zero wide, at the end of what came before it.
    const before = line.units[owner[start - 1] ?? owner[start] ?? 0]!;
    const box = inkBox([before]);
    return { ...box, x: start > 0 ? before.x1 : before.x0, width: 0, text: '' };
  }
  const first = owner[start] ?? 0;
  // Units the key skipped (whitespace after a kept space, marks folded away) belong to the span they end.
  const last = Math.max(owner[end - 1] ?? first, (owner[end] ?? line.units.length) - 1);
  return inkBox(line.units.slice(first, last + 1));
}

/**
 * Every occurrence of `pattern` in the page text, top to bottom. A string is compared after NFC
 * normalisation (and folding, per options) with whitespace runs as one space; a RegExp runs as
 * given against the same folded line text (write it folded: lower case / no diacritics when
 * those options are on), and its named groups get boxes too.
 */
export function findInText(text: PageText, pattern: string | RegExp, options: LocateOptions = {}): TextMatch[] {
  const regexp = patternRegExp(pattern, options);
  const matches: TextMatch[] = [];
  text.lines.forEach((line, index) => {
    const { key, owner } = keyed(line, options);
    for (const match of key.matchAll(regexp)) {
      if (match[0].length === 0) continue;
      const start = match.index;
      const { text: found, baseline, fontSize, ...box } = spanBox(line, owner, start, start + match[0].length);
      const groups: TextMatch['groups'] = {};
      for (const [name, range] of Object.entries(match.indices?.groups ?? {})) {
        if (!range) continue;
        const { text: groupText, x, y, width, height } = spanBox(line, owner, range[0], range[1]);
        groups[name] = { text: groupText, x, y, width, height };
      }
      matches.push({ text: found, box, baseline, fontSize, line: index, groups });
    }
  });
  return matches;
}

/** Reads page `page` (1-based) of `pdf` and finds `pattern` on it; see findInText. */
export async function locateText(pdf: Uint8Array, page: number, pattern: string | RegExp, options: LocateOptions = {}): Promise<TextMatch[]> {
  return findInText(await readPageText(pdf, page), pattern, options);
}
