// Checks that a signature or seal PNG really has a transparent background: an alpha channel (or tRNS) and pixels that use it.
import { inflateSync } from 'node:zlib';
import { VanthuError } from '../../../shared/errors.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Decoding a larger image to look for transparency costs more memory than a signature image needs. */
const MAX_PIXELS = 4096 * 4096;

export type TransparencyVerdict = { ok: true; width: number; height: number } | { ok: false; reasonVi: string; reasonEn: string };

const refuse = (reasonVi: string, reasonEn: string): TransparencyVerdict => ({ ok: false, reasonVi, reasonEn });

interface Chunks {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
  trns: Uint8Array | undefined;
  idat: Buffer;
}

function readChunks(png: Uint8Array): Chunks {
  if (png.length < 33 || SIGNATURE.some((b, i) => png[i] !== b)) throw new VanthuError('PDF_IMAGE_INVALID', { detail: 'không phải tệp PNG / not a PNG file' });
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const idat: Buffer[] = [];
  let header: Omit<Chunks, 'trns' | 'idat'> | undefined;
  let trns: Uint8Array | undefined;
  for (let at = 8; at + 8 <= png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    if (data.length !== length) throw new VanthuError('PDF_IMAGE_INVALID', { detail: 'tệp PNG bị cắt cụt / truncated PNG' });
    if (type === 'IHDR') {
      header = { width: view.getUint32(at + 8), height: view.getUint32(at + 12), bitDepth: data[8]!, colorType: data[9]!, interlace: data[12]! };
    } else if (type === 'tRNS') trns = data;
    else if (type === 'IDAT') idat.push(Buffer.from(data));
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  if (!header || header.width === 0 || header.height === 0) throw new VanthuError('PDF_IMAGE_INVALID', { detail: 'thiếu IHDR / no IHDR' });
  return { ...header, trns, idat: Buffer.concat(idat) };
}

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/** The unfiltered scanlines of a non-interlaced image. */
function scanlines(chunks: Chunks, bytesPerPixel: number): Uint8Array[] {
  const raw = inflateSync(chunks.idat, { maxOutputLength: MAX_PIXELS * 8 + chunks.height });
  const stride = Math.ceil((chunks.width * bytesPerPixel * 8) / 8);
  const bpp = Math.max(1, Math.floor(bytesPerPixel));
  const lines: Uint8Array[] = [];
  let previous = new Uint8Array(stride);
  for (let y = 0; y < chunks.height; y++) {
    const start = y * (stride + 1);
    if (start + stride + 1 > raw.length) throw new VanthuError('PDF_IMAGE_INVALID', { detail: 'dữ liệu ảnh thiếu / image data too short' });
    const filter = raw[start]!;
    const line = new Uint8Array(raw.subarray(start + 1, start + 1 + stride));
    for (let x = 0; x < stride; x++) {
      const left = x >= bpp ? line[x - bpp]! : 0;
      const up = previous[x]!;
      const upLeft = x >= bpp ? previous[x - bpp]! : 0;
      if (filter === 1) line[x] = (line[x]! + left) & 0xff;
      else if (filter === 2) line[x] = (line[x]! + up) & 0xff;
      else if (filter === 3) line[x] = (line[x]! + ((left + up) >> 1)) & 0xff;
      else if (filter === 4) line[x] = (line[x]! + paeth(left, up, upLeft)) & 0xff;
    }
    lines.push(line);
    previous = line;
  }
  return lines;
}

/**
 * Decree 30 wants the signature and seal images on a transparent background: an image without an
 * alpha channel, or whose every pixel is opaque, would print a white box over the document.
 */
export function checkTransparency(png: Uint8Array): TransparencyVerdict {
  const chunks = readChunks(png);
  const { width, height, bitDepth, colorType } = chunks;
  if (width * height > MAX_PIXELS) return refuse(`Ảnh quá lớn (${width}×${height} điểm ảnh).`, `The image is too large (${width}×${height} pixels).`);
  const noAlpha = refuse('Ảnh không có nền trong suốt (tệp PNG không có kênh độ trong suốt). Hãy lưu lại ảnh PNG với nền trong suốt.', 'The image has no transparent background (the PNG has no alpha channel). Save it again as a PNG with a transparent background.');
  if (colorType === 3) {
    // Palette: transparent when some palette entry has alpha below 255.
    return chunks.trns && chunks.trns.some((a) => a < 255) ? { ok: true, width, height } : noAlpha;
  }
  if (colorType !== 4 && colorType !== 6) return chunks.trns ? { ok: true, width, height } : noAlpha;
  if (chunks.interlace !== 0) return refuse('Ảnh PNG lưu kiểu xen kẽ chưa được hỗ trợ; hãy lưu lại ảnh không xen kẽ.', 'Interlaced PNG images are not supported; save it again without interlacing.');
  const channels = colorType === 6 ? 4 : 2;
  const bytesPerSample = bitDepth === 16 ? 2 : 1;
  const lines = scanlines(chunks, channels * bytesPerSample);
  const pixel = channels * bytesPerSample;
  for (const line of lines) {
    for (let x = 0; x < width; x++) {
      const alphaAt = x * pixel + (channels - 1) * bytesPerSample;
      if (line[alphaAt]! < 255) return { ok: true, width, height };
    }
  }
  return refuse('Ảnh có kênh độ trong suốt nhưng không có điểm ảnh trong suốt nào (nền vẫn đặc).', 'The image has an alpha channel but no transparent pixel (the background is solid).');
}
