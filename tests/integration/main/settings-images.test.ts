// The signature/seal image check: a PNG passes only with a transparent background, whatever its colour type, bit depth or row filters.
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkTransparency } from '../../../src/main/handlers/exchange/png-alpha.js';
import { isVanthuError } from '../../../src/shared/errors.js';

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** A PNG from raw samples per row; each row is filtered with `filter` (0 none, 1 sub, 2 up, 3 average, 4 Paeth). */
function png(options: { width: number; height: number; colorType: number; bitDepth?: number; rows: number[][]; filter?: number; extra?: Buffer[] }): Buffer {
  const { width, height, colorType, bitDepth = 8, rows, filter = 0 } = options;
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType]!;
  const bpp = Math.max(1, (channels * bitDepth) / 8);
  const raw: number[] = [];
  let previous = new Array<number>(rows[0]!.length).fill(0);
  for (const row of rows) {
    raw.push(filter);
    row.forEach((value, x) => {
      const left = x >= bpp ? row[x - bpp]! : 0;
      const up = previous[x]!;
      const upLeft = x >= bpp ? previous[x - bpp]! : 0;
      const p = left + up - upLeft;
      const paeth = Math.abs(p - left) <= Math.abs(p - up) && Math.abs(p - left) <= Math.abs(p - upLeft) ? left : Math.abs(p - up) <= Math.abs(p - upLeft) ? up : upLeft;
      const predictor = [0, left, up, (left + up) >> 1, paeth][filter]!;
      raw.push((value - predictor) & 0xff);
    });
    previous = row;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([bitDepth, colorType, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), ...(options.extra ?? []), chunk('IDAT', deflateSync(Buffer.from(raw))), chunk('IEND', Buffer.alloc(0))]);
}

/** RGBA rows of a red disc-ish image: the last pixel of the last row transparent when `hole`. */
const rgbaRows = (width: number, height: number, hole: boolean): number[][] =>
  Array.from({ length: height }, (_, y) => Array.from({ length: width }, (_, x) => [200, 20 + x, 30 + y, hole && y === height - 1 && x === width - 1 ? 0 : 255]).flat());

describe('signature image transparency', () => {
  it('accepts RGBA with a transparent pixel under every row filter', () => {
    for (const filter of [0, 1, 2, 3, 4]) expect(checkTransparency(png({ width: 7, height: 5, colorType: 6, rows: rgbaRows(7, 5, true), filter }))).toMatchObject({ ok: true, width: 7, height: 5 });
  });

  it('refuses RGBA whose every pixel is opaque, and says so in both languages', () => {
    for (const filter of [0, 4]) {
      const verdict = checkTransparency(png({ width: 7, height: 5, colorType: 6, rows: rgbaRows(7, 5, false), filter }));
      expect(verdict).toMatchObject({ ok: false });
      if (!verdict.ok) {
        expect(verdict.reasonVi).toContain('không có điểm ảnh trong suốt');
        expect(verdict.reasonEn).toContain('no transparent pixel');
      }
    }
  });

  it('refuses grey and RGB without tRNS; accepts a palette with a transparent entry', () => {
    expect(checkTransparency(png({ width: 4, height: 2, colorType: 0, rows: [[1, 2, 3, 4], [5, 6, 7, 8]] }))).toMatchObject({ ok: false });
    expect(checkTransparency(png({ width: 2, height: 1, colorType: 2, rows: [[1, 2, 3, 4, 5, 6]] }))).toMatchObject({ ok: false });
    const plte = chunk('PLTE', Buffer.from([255, 255, 255, 200, 0, 0]));
    expect(checkTransparency(png({ width: 2, height: 1, colorType: 3, rows: [[0, 1]], extra: [plte, chunk('tRNS', Buffer.from([0, 255]))] }))).toMatchObject({ ok: true });
    expect(checkTransparency(png({ width: 2, height: 1, colorType: 3, rows: [[0, 1]], extra: [plte] }))).toMatchObject({ ok: false });
  });

  it('reads 16-bit grey+alpha', () => {
    const row = (alphaHigh: number) => [0x12, 0x34, 0xff, 0xff, 0x56, 0x78, alphaHigh, 0x00];
    expect(checkTransparency(png({ width: 2, height: 2, colorType: 4, bitDepth: 16, rows: [row(0xff), row(0x10)], filter: 1 }))).toMatchObject({ ok: true });
    expect(checkTransparency(png({ width: 2, height: 2, colorType: 4, bitDepth: 16, rows: [row(0xff), row(0xff)], filter: 1 }))).toMatchObject({ ok: false });
  });

  it('throws PDF_IMAGE_INVALID for what is not a PNG or is cut short', () => {
    const expectInvalid = (bytes: Uint8Array) => {
      try {
        checkTransparency(bytes);
        expect.unreachable();
      } catch (error) {
        expect(isVanthuError(error, 'PDF_IMAGE_INVALID')).toBe(true);
      }
    };
    expectInvalid(new TextEncoder().encode('%PDF-1.7 not an image at all, long enough to read'));
    const whole = png({ width: 7, height: 5, colorType: 6, rows: rgbaRows(7, 5, true) });
    expectInvalid(whole.subarray(0, whole.length - 30));
  });
});
