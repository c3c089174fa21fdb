// The four faces of Liberation Serif shipped in resources/fonts (Times-metric, full Vietnamese), parsed once, with text measuring.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { resourceDir } from '../resources.js';

export type Face = 'regular' | 'bold' | 'italic' | 'boldItalic';
export const faces: readonly Face[] = ['regular', 'bold', 'italic', 'boldItalic'];

const files: Record<Face, string> = {
  regular: 'LiberationSerif-Regular.ttf',
  bold: 'LiberationSerif-Bold.ttf',
  italic: 'LiberationSerif-Italic.ttf',
  boldItalic: 'LiberationSerif-BoldItalic.ttf',
};

export const faceOf = (bold: boolean | undefined, italic: boolean | undefined): Face =>
  bold ? (italic ? 'boldItalic' : 'bold') : italic ? 'italic' : 'regular';

/** In resources/fonts/ of the repository, from the source or a bundle. */
export const facePath = (face: Face): string => path.join(resourceDir('fonts'), files[face]);

type FontkitFont = ReturnType<typeof fontkit.create>;

interface LoadedFace {
  bytes: Uint8Array;
  font: FontkitFont;
  widths: Map<string, number>;
}

const loaded = new Map<Face, LoadedFace>();

function load(face: Face): LoadedFace {
  let entry = loaded.get(face);
  if (!entry) {
    const bytes = new Uint8Array(readFileSync(facePath(face)));
    entry = { bytes, font: fontkit.create(bytes), widths: new Map() };
    loaded.set(face, entry);
  }
  return entry;
}

export const faceBytes = (face: Face): Uint8Array => load(face).bytes;

/**
 * Width in points of `text` at `size`, as pdf-lib will draw it: the sum of the advances of the
 * glyphs fontkit's layout picks (pdf-lib draws no kerning, so none is measured).
 */
export function measure(text: string, face: Face, size: number): number {
  const entry = load(face);
  let units = entry.widths.get(text);
  if (units === undefined) {
    units = entry.font.layout(text).glyphs.reduce((sum, glyph) => sum + glyph.advanceWidth, 0) / entry.font.unitsPerEm;
    // Words repeat a lot in a body; the cache keeps measuring a 20-page draft cheap.
    if (entry.widths.size < 50_000) entry.widths.set(text, units);
  }
  return units * size;
}

/** Characters of `text` the face has no glyph for (whitespace aside). */
export function missingGlyphs(text: string, face: Face): string[] {
  const { font } = load(face);
  return [...new Set(text.replace(/\s/gu, ''))].filter((c) => !font.hasGlyphForCodePoint(c.codePointAt(0) ?? 0));
}

/** Ascent and descent of the face, in font sizes (for rules and boxes around text). */
export function verticalMetrics(face: Face): { ascent: number; descent: number } {
  const { font } = load(face);
  return { ascent: font.ascent / font.unitsPerEm, descent: Math.abs(font.descent) / font.unitsPerEm };
}

/** The face's PostScript name, e.g. "LiberationSerif-Bold". */
export const postscriptName = (face: Face): string => load(face).font.postscriptName ?? 'LiberationSerif';
