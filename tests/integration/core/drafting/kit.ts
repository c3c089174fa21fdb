// Helpers for the drafting tests: rendering pages with pdftoppm (grey, low dpi), a small PNG reader/writer, pixel comparison, pdftotext and pdffonts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateSync, inflateSync } from 'node:zlib';

export interface GreyImage {
  width: number;
  height: number;
  /** One byte per pixel, rows top to bottom. */
  pixels: Uint8Array;
}

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

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit greyscale PNG (filter 0 on every row). */
export function encodeGreyPng(image: GreyImage): Buffer {
  const raw = Buffer.alloc((image.width + 1) * image.height);
  for (let y = 0; y < image.height; y++) raw.set(image.pixels.subarray(y * image.width, (y + 1) * image.width), y * (image.width + 1) + 1);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(image.width, 0);
  ihdr.writeUInt32BE(image.height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/** Reads an 8-bit greyscale, non-interlaced PNG (any row filter). */
export function decodeGreyPng(png: Uint8Array): GreyImage {
  const buf = Buffer.from(png);
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.subarray(offset + 4, offset + 8).toString('latin1');
    const data = buf.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[9] !== 0 || data[12] !== 0) throw new Error('only 8-bit grey, non-interlaced PNGs');
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (width + 1)];
    for (let x = 0; x < width; x++) {
      const v = raw[y * (width + 1) + 1 + x]!;
      const a = x > 0 ? pixels[y * width + x - 1]! : 0;
      const b = y > 0 ? pixels[(y - 1) * width + x]! : 0;
      const c = x > 0 && y > 0 ? pixels[(y - 1) * width + x - 1]! : 0;
      const predictor = filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? paeth(a, b, c) : 0;
      pixels[y * width + x] = (v + predictor) & 0xff;
    }
  }
  return { width, height, pixels };
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
