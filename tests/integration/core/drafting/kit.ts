// Helpers for the drafting tests: rendering pages with pdftoppm (grey, low dpi), pixel comparison, pdftotext and pdffonts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export { decodeGreyPng, encodeGreyPng, type GreyImage } from '../../../kit/png.js';
import type { GreyImage } from '../../../kit/png.js';

export const tempPdf = (bytes: Uint8Array, name = 'draft.pdf'): string => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'vanthu-draft-')), name);
  writeFileSync(file, bytes);
  return file;
};

/** One page rendered by pdftoppm in 8-bit grey (PGM) at `dpi`. */
export function renderPage(file: string, page: number, dpi = 40): GreyImage {
  const pgm = execFileSync('pdftoppm', ['-gray', '-r', String(dpi), '-f', String(page), '-l', String(page), file]);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header?.[1] || !header[2]) throw new Error('pdftoppm did not write a PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  return { width, height, pixels: new Uint8Array(pgm.subarray(header[0].length, header[0].length + width * height)) };
}

export interface PixelDiff {
  sameSize: boolean;
  /** Pixels whose grey levels differ by more than the tolerance. */
  differing: number;
  fraction: number;
}

/** Per-pixel comparison: a pixel differs when its grey levels are more than `tolerance` apart. */
export function comparePixels(actual: GreyImage, expected: GreyImage, tolerance = 48): PixelDiff {
  if (actual.width !== expected.width || actual.height !== expected.height) return { sameSize: false, differing: Infinity, fraction: 1 };
  let differing = 0;
  for (let i = 0; i < actual.pixels.length; i++) if (Math.abs(actual.pixels[i]! - expected.pixels[i]!) > tolerance) differing++;
  return { sameSize: true, differing, fraction: differing / actual.pixels.length };
}

/** pdftotext in reading order (not -layout), pages separated by form feeds. */
export const pdftotext = (file: string, page?: number): string =>
  execFileSync('pdftotext', [...(page ? ['-f', String(page), '-l', String(page)] : []), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
}

/** pdffonts' table as objects. */
export function pdffonts(file: string): PdfFont[] {
  const out = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
  return out.map((line) => {
    const cols = line.trim().split(/\s+/);
    // name, type words…, encoding, emb, sub, uni, object, ID
    const [uni, sub, emb] = [cols.at(-3), cols.at(-4), cols.at(-5)];
    return { name: cols[0]!, type: cols.slice(1, -6).join(' '), embedded: emb === 'yes', subset: sub === 'yes', unicode: uni === 'yes' };
  });
}

/** Each text run on a page with the PostScript name of its font (pdf.js), e.g. "ABCDEF+LiberationSerif-Bold". */
export async function runsWithFonts(pdf: Uint8Array, page: number): Promise<{ text: string; font: string; size: number }[]> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: pdf.slice(), isEvalSupported: false, useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  try {
    const p = await doc.getPage(page);
    // The operator list loads the fonts into commonObjs, where their real names are.
    await p.getOperatorList();
    const content = await p.getTextContent();
    const runs: { text: string; font: string; size: number }[] = [];
    for (const item of content.items) {
      if (!('str' in item) || item.str.trim() === '') continue;
      const font = p.commonObjs.has(item.fontName) ? (p.commonObjs.get(item.fontName) as { name?: string }).name ?? item.fontName : item.fontName;
      runs.push({ text: item.str, font, size: Math.abs(item.transform[3] ?? 0) });
    }
    return runs;
  } finally {
    await doc.destroy();
  }
}
