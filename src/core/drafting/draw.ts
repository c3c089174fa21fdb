// Draws laid-out pages into a pdf-lib document: text through TJ with stretched spaces, rules and boxes; fonts embedded as subsets.
import { createHash } from 'node:crypto';
import {
  PDFArray,
  type PDFName,
  PDFNumber,
  PDFOperator,
  PDFOperatorNames,
  beginText,
  endText,
  lineTo,
  moveTo,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  setFillingGrayscaleColor,
  setFontAndSize,
  setLineWidth,
  setStrokingGrayscaleColor,
  setTextMatrix,
  setTextRenderingMode,
  TextRenderingMode,
  stroke,
  type PDFDocument,
  type PDFFont,
  type PDFHexString,
  type PDFPage,
} from '@cantoo/pdf-lib';
import { VanthuError } from '../../shared/errors.js';
import { compatibleFontkit } from '../pdf/fontkit-adapter.js';
import { faceBytes, faces, missingGlyphs, postscriptName, type Face } from './faces.js';
import type { Mark, TextMark } from './flow.js';
import { PAGE } from './geometry.js';
import type { PageLayout } from './paginate.js';

/** A mark placed on a page: its block's top turned into page coordinates. */
export interface PageMarks {
  marks: { mark: Mark; top: number }[];
}

export const pageMarks = (page: PageLayout): PageMarks => ({ marks: page.flatMap((p) => p.block.marks.map((mark) => ({ mark, top: p.top }))) });

// Three decimals: well under a printer dot, and short content streams.
const r = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * ISO 32000-1 §9.6.4 subset name: six capitals and "+", derived from the characters drawn in the
 * face, so the same text always gives the same name (pdf-lib would pick a random one).
 */
function subsetName(face: Face, chars: string): string {
  const digest = createHash('sha256').update(`${face}\n${chars}`).digest();
  const tag = [...digest.subarray(0, 6)].map((b) => String.fromCharCode(65 + (b % 26))).join('');
  const postscript = postscriptName(face).replace(/[^\x21-\x7e]|[()<>[\]{}/%#]/g, '');
  return `${tag}+${postscript}`;
}

/** Embeds each face the pages use, once, as a subset; refuses text the font cannot show. */
async function embedFaces(doc: PDFDocument, pages: PageMarks[]): Promise<Map<Face, PDFFont>> {
  const used = new Map<Face, Set<string>>();
  for (const page of pages) {
    for (const { mark } of page.marks) {
      if (mark.kind !== 'text') continue;
      for (const segment of mark.line.segments) {
        const set = used.get(segment.face) ?? new Set<string>();
        for (const c of segment.text) set.add(c);
        used.set(segment.face, set);
      }
    }
  }
  doc.registerFontkit(compatibleFontkit);
  const fonts = new Map<Face, PDFFont>();
  for (const face of faces) {
    const chars = used.get(face);
    if (!chars) continue;
    const text = [...chars].sort().join('');
    const missing = missingGlyphs(text, face);
    if (missing.length > 0) throw new VanthuError('DRAFT_GLYPH_MISSING', { chars: missing.join(' ') });
    fonts.set(face, await doc.embedFont(faceBytes(face), { subset: true, customName: subsetName(face, text) }));
  }
  return fonts;
}

/** One line: BT, then per segment its font and a TJ whose numbers after each space stretch it by `extra`. */
/** Encoded chunks per face: the same words recur on every page, and each encoding runs fontkit's shaper. */
type EncodeCache = Map<Face, Map<string, PDFHexString>>;

function encoded(cache: EncodeCache, face: Face, font: PDFFont, text: string): PDFHexString {
  let perFace = cache.get(face);
  if (!perFace) cache.set(face, (perFace = new Map()));
  let hex = perFace.get(text);
  if (!hex) perFace.set(text, (hex = font.encodeText(text)));
  return hex;
}

function textOperators(doc: PDFDocument, mark: TextMark, baseline: number, keys: Map<Face, PDFName>, fonts: Map<Face, PDFFont>, cache: EncodeCache): PDFOperator[] {
  const ops: PDFOperator[] = [beginText(), setTextRenderingMode(mark.invisible ? TextRenderingMode.Invisible : TextRenderingMode.Fill)];
  for (const segment of mark.line.segments) {
    const font = fonts.get(segment.face)!;
    const x = mark.x + segment.x + mark.extra * segment.spacesBefore;
    ops.push(setFontAndSize(keys.get(segment.face)!, mark.size), setTextMatrix(1, 0, 0, 1, r(x), r(baseline)));
    const array = PDFArray.withContext(doc.context);
    const adjust = mark.extra > 0 ? PDFNumber.of(r((-mark.extra * 1000) / mark.size)) : undefined;
    for (const chunk of segment.text.split(/(?<= )/u)) {
      if (chunk === '') continue;
      array.push(encoded(cache, segment.face, font, chunk));
      if (adjust && chunk.endsWith(' ')) array.push(adjust);
    }
    ops.push(PDFOperator.of(PDFOperatorNames.ShowTextAdjusted, [array]));
  }
  ops.push(endText());
  return ops;
}

function drawPage(doc: PDFDocument, page: PDFPage, marks: PageMarks, fonts: Map<Face, PDFFont>, cache: EncodeCache): void {
  const keys = new Map<Face, PDFName>();
  for (const [face, font] of fonts) keys.set(face, page.node.newFontDictionary(font.name, font.ref));
  const ops: PDFOperator[] = [pushGraphicsState(), setFillingGrayscaleColor(0), setStrokingGrayscaleColor(0)];
  for (const { mark, top } of marks.marks) {
    if (mark.kind === 'text') ops.push(...textOperators(doc, mark, top - mark.dy, keys, fonts, cache));
    else if (mark.kind === 'rule') ops.push(setLineWidth(mark.width), moveTo(r(mark.x1), r(top - mark.dy)), lineTo(r(mark.x2), r(top - mark.dy)), stroke());
    else ops.push(setLineWidth(mark.width), rectangle(r(mark.x), r(top - mark.dy - mark.h), r(mark.w), r(mark.h)), stroke());
  }
  ops.push(popGraphicsState());
  page.pushOperators(...ops);
}

/** Adds one A4 page per layout and draws it. */
export async function drawPages(doc: PDFDocument, pages: PageMarks[]): Promise<void> {
  const fonts = await embedFaces(doc, pages);
  const cache: EncodeCache = new Map();
  for (const marks of pages) drawPage(doc, doc.addPage([PAGE.width, PAGE.height]), marks, fonts, cache);
}
