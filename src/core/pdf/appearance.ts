// Draws a signature widget's normal appearance (/AP /N): a PNG fitted into the box and lines of text in an embedded font subset.
import { createHash } from 'node:crypto';
import fontkit from '@pdf-lib/fontkit';
import { PDFName, drawImage, drawText, degrees, rgb } from '@cantoo/pdf-lib';
import type { PDFDocument, PDFFont, PDFImage, PDFOperator, PDFRef } from '@cantoo/pdf-lib';
import { VanthuError } from '../../shared/errors.js';
import { compatibleFontkit } from './fontkit-adapter.js';
import { DEFAULT_FONT_NAME, defaultFontBytes } from './fonts.js';

export interface AppearanceText {
  lines: string[];
  /** In points; Decree 30 stamps use 10. */
  fontSize: number;
  /** Height of the first line's baseline above the box's bottom; by default the lines hang from the top. */
  baseline?: number;
}

export interface AppearanceContent {
  /** PNG bytes; transparency is kept (pdf-lib writes the alpha channel as an /SMask). */
  image?: Uint8Array;
  text?: AppearanceText;
  /** TrueType bytes for the text; the shipped Liberation Serif when absent. */
  font?: Uint8Array;
}

// Keeps text off the very edge of the box, where viewers may clip it.
const PADDING = 2;
const LINE_HEIGHT = 1.2;

async function embedImage(doc: PDFDocument, png: Uint8Array): Promise<PDFImage> {
  try {
    return await doc.embedPng(png);
  } catch (error) {
    throw new VanthuError('PDF_IMAGE_INVALID', { detail: error instanceof Error ? error.message : String(error) }, { cause: error });
  }
}

/**
 * ISO 32000-1 §9.6.4: a subset font's name starts with six upper-case letters and "+", which
 * tells viewers (and pdffonts) it is a subset. Derived from the text so equal text gives an equal name.
 */
function subsetName(bytes: Uint8Array, lines: string[]): string {
  const digest = createHash('sha256').update(lines.join('\n')).digest();
  const tag = [...digest.subarray(0, 6)].map((b) => String.fromCharCode(65 + (b % 26))).join('');
  const postscriptName = fontkit.create(bytes).postscriptName ?? 'Font';
  return `${tag}+${postscriptName.replace(/[^\x21-\x7e]|[()<>[\]{}/%#]/g, '')}`;
}

async function embedFont(doc: PDFDocument, bytes: Uint8Array, lines: string[]): Promise<PDFFont> {
  doc.registerFontkit(compatibleFontkit);
  // subset: only the glyphs the lines use go into the file.
  const font = await doc.embedFont(bytes, { subset: true, customName: subsetName(bytes, lines) });
  const known = new Set(font.getCharacterSet());
  const missing = [...new Set(lines.join('').replace(/\s/g, ''))].filter((c) => !known.has(c.codePointAt(0) ?? -1));
  if (missing.length > 0) throw new VanthuError('PDF_TEXT_GLYPH_MISSING', { font: font.name || DEFAULT_FONT_NAME, chars: missing.join(' ') });
  return font;
}

/** Largest box of the image's aspect ratio inside width x height, centred. */
function fit(image: PDFImage, width: number, height: number): { x: number; y: number; width: number; height: number } {
  const s = Math.min(width / image.width, height / image.height);
  const w = image.width * s;
  const h = image.height * s;
  return { x: (width - w) / 2, y: (height - h) / 2, width: w, height: h };
}

// Parsing a font takes a while: measure with one parse per font buffer.
const parsedFonts = new WeakMap<Uint8Array, ReturnType<typeof fontkit.create>>();
const parsedFont = (bytes: Uint8Array): ReturnType<typeof fontkit.create> => {
  let font = parsedFonts.get(bytes);
  if (!font) parsedFonts.set(bytes, (font = fontkit.create(bytes)));
  return font;
};

/** Advance width in points of one line of text in the shipped font (or `fontBytes`). */
export function textWidth(text: string, fontSize: number, fontBytes?: Uint8Array): number {
  const font = parsedFont(fontBytes ?? defaultFontBytes());
  return (font.layout(text.normalize('NFC')).advanceWidth * fontSize) / font.unitsPerEm;
}

/**
 * A widget that writes one line of `text` with its baseline starting exactly at (x, baseline)
 * on the page: text added to a document must sit on the document's own baseline.
 */
export function textOnBaseline(text: string, fontSize: number, x: number, baseline: number, fontBytes?: Uint8Array): { rect: [number, number, number, number]; text: AppearanceText } {
  const font = parsedFont(fontBytes ?? defaultFontBytes());
  const scale = fontSize / font.unitsPerEm;
  const ascent = font.ascent * scale;
  const descent = Math.abs(font.descent) * scale;
  return {
    rect: [x - PADDING, baseline - descent - PADDING, textWidth(text, fontSize, fontBytes) + 2 * PADDING, ascent + descent + 2 * PADDING],
    text: { lines: [text], fontSize, baseline: descent + PADDING },
  };
}

/**
 * A form XObject of the given size with the image (contain-fitted, centred) under the text
 * (black, left-aligned, top-down). Returns its reference for the widget's /AP /N.
 */
export async function buildAppearance(doc: PDFDocument, width: number, height: number, content: AppearanceContent): Promise<PDFRef> {
  const operators: PDFOperator[] = [];
  const xObjects: Record<string, PDFRef> = {};
  const fonts: Record<string, PDFRef> = {};

  if (content.image) {
    const image = await embedImage(doc, content.image);
    xObjects.Im1 = image.ref;
    operators.push(...drawImage('Im1', { ...fit(image, width, height), rotate: degrees(0), xSkew: degrees(0), ySkew: degrees(0) }));
  }

  const lines = content.text?.lines ?? [];
  if (content.text && lines.length > 0) {
    const { fontSize } = content.text;
    if (!(fontSize > 0)) throw new VanthuError('BAD_INPUT', { detail: `font size ${fontSize}` });
    const font = await embedFont(doc, content.font ?? defaultFontBytes(), lines);
    fonts.F1 = font.ref;
    const ascent = font.heightAtSize(fontSize, { descender: false });
    lines.forEach((line, i) => {
      const y = (content.text?.baseline ?? height - PADDING - ascent) - i * fontSize * LINE_HEIGHT;
      operators.push(
        ...drawText(font.encodeText(line), {
          color: rgb(0, 0, 0),
          font: 'F1',
          size: fontSize,
          x: PADDING,
          y,
          rotate: degrees(0),
          xSkew: degrees(0),
          ySkew: degrees(0),
        }),
      );
    });
  }

  const resources = doc.context.obj({});
  if (Object.keys(xObjects).length > 0) resources.set(PDFName.of('XObject'), doc.context.obj(xObjects));
  if (Object.keys(fonts).length > 0) resources.set(PDFName.of('Font'), doc.context.obj(fonts));
  const stream = doc.context.formXObject(operators, { BBox: [0, 0, width, height], Resources: resources });
  return doc.context.register(stream);
}
