// What the printed registers and reports share: an A4 PDF with the drafting engine's Vietnamese faces, text wrapping, page numbers.
import { PDFDocument, type PDFFont, type PDFPage, rgb } from '@cantoo/pdf-lib';
import { faceBytes, missingGlyphs, type Face } from '../drafting/faces.js';
import { compatibleFontkit } from '../pdf/fontkit-adapter.js';

export const A4_PORTRAIT = { width: 595.28, height: 841.89 } as const;
export const A4_LANDSCAPE = { width: 841.89, height: 595.28 } as const;

export const BLACK = rgb(0, 0, 0);

export interface PrintDoc {
  doc: PDFDocument;
  font(face: Face): PDFFont;
}

/** A new PDF with the four Liberation Serif faces embedded as subsets (only the glyphs drawn are kept). */
export async function createPrintDoc(info: { title: string; author?: string; now: Date }): Promise<PrintDoc> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(compatibleFontkit);
  const fonts = new Map<Face, PDFFont>();
  for (const face of ['regular', 'bold', 'italic', 'boldItalic'] as const) fonts.set(face, await doc.embedFont(faceBytes(face), { subset: true }));
  doc.setTitle(info.title);
  if (info.author) doc.setAuthor(info.author);
  doc.setCreator('vanthu');
  doc.setProducer('vanthu');
  doc.setLanguage('vi-VN');
  doc.setCreationDate(info.now);
  doc.setModificationDate(info.now);
  return { doc, font: (face) => fonts.get(face)! };
}

/**
 * The text with each character the face cannot show replaced by "?": a stored subject or a file name
 * with an emoji or a CJK character still prints (the clerk cannot change what was received), and
 * pdf-lib is never asked to encode a glyph the subset lacks.
 */
export function printable(text: string, face: Face): string {
  const missing = missingGlyphs(text, face);
  if (missing.length === 0) return text;
  const gone = new Set(missing);
  return [...text].map((c) => (gone.has(c) ? '?' : c)).join('');
}

/**
 * Splits text into lines no wider than `width`: at spaces, at the text's own line breaks, and inside
 * a word only when the word alone is wider than the line (a long notation, a hash).
 */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  const fits = (s: string): boolean => font.widthOfTextAtSize(s, size) <= width;
  for (const paragraph of text.split(/\r?\n/u)) {
    let line = '';
    for (const word of paragraph.split(/\s+/u).filter(Boolean)) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (fits(candidate)) {
        line = candidate;
        continue;
      }
      if (line !== '') lines.push(line);
      let rest = word;
      while (!fits(rest)) {
        let cut = 1;
        while (cut < rest.length && fits(rest.slice(0, cut + 1))) cut++;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

/** "Trang 2/5" centred at the foot of every page, once all pages exist. */
export function numberPages(print: PrintDoc, size = 9, bottom = 18): void {
  const pages = print.doc.getPages();
  const font = print.font('regular');
  pages.forEach((page, i) => {
    const text = `Trang ${i + 1}/${pages.length}`;
    const { width } = page.getSize();
    page.drawText(text, { x: (width - font.widthOfTextAtSize(text, size)) / 2, y: bottom, size, font, color: BLACK });
  });
}

/** Draws `text` centred on the page at baseline `y`. */
export function drawCentred(page: PDFPage, text: string, y: number, font: PDFFont, size: number): void {
  const { width } = page.getSize();
  page.drawText(text, { x: (width - font.widthOfTextAtSize(text, size)) / 2, y, size, font, color: BLACK });
}

/** The bytes as written: classic cross-reference table (no object streams), which every checker reads. */
export const savePrint = (print: PrintDoc): Promise<Uint8Array> => print.doc.save({ useObjectStreams: false });
