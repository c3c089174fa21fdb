// Reads a PNG's pixel size and physical resolution (pHYs), to draw a seal at its real size.
import { VanthuError } from '../../shared/errors.js';

export interface PngInfo {
  width: number;
  height: number;
  /** From pHYs when its unit is the metre; absent when the file does not say. */
  pixelsPerMetre?: { x: number; y: number };
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const POINTS_PER_METRE = 72 / 0.0254;
const POINTS_PER_MM = 72 / 25.4;

/** Vietnamese seals are 30–45 mm across; a pHYs outside this range is a default written by an editor, not a scale. */
const PLAUSIBLE_SEAL_MM: [number, number] = [15, 80];

const invalid = (detail: string): never => {
  throw new VanthuError('PDF_IMAGE_INVALID', { detail });
};

export function pngInfo(png: Uint8Array): PngInfo {
  if (png.length < 33 || SIGNATURE.some((b, i) => png[i] !== b)) invalid('not a PNG file');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const info: PngInfo = { width: view.getUint32(16), height: view.getUint32(20) };
  if (info.width === 0 || info.height === 0) invalid('empty image');
  // pHYs must come before the first IDAT; stop there.
  for (let at = 8; at + 8 <= png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (type === 'IDAT' || type === 'IEND') break;
    if (type === 'pHYs' && length === 9 && at + 17 <= png.length && png[at + 16] === 1) {
      const x = view.getUint32(at + 8);
      const y = view.getUint32(at + 12);
      if (x > 0 && y > 0) info.pixelsPerMetre = { x, y };
    }
    at += 12 + length;
  }
  return info;
}

/**
 * The seal's size in points: its real size from pHYs, or else (or when pHYs gives an
 * implausible seal) the larger side set to `defaultDiameterMm`.
 */
export function sealSizePoints(png: Uint8Array, defaultDiameterMm: number): { width: number; height: number; fromPhys: boolean } {
  const { width, height, pixelsPerMetre } = pngInfo(png);
  if (pixelsPerMetre) {
    const w = (width / pixelsPerMetre.x) * POINTS_PER_METRE;
    const h = (height / pixelsPerMetre.y) * POINTS_PER_METRE;
    const mm = Math.max(w, h) / POINTS_PER_MM;
    if (mm >= PLAUSIBLE_SEAL_MM[0] && mm <= PLAUSIBLE_SEAL_MM[1]) return { width: w, height: h, fromPhys: true };
  }
  if (!(defaultDiameterMm > 0)) throw new VanthuError('BAD_INPUT', { detail: `seal diameter ${defaultDiameterMm} mm / đường kính dấu không hợp lệ` });
  const scale = (defaultDiameterMm * POINTS_PER_MM) / Math.max(width, height);
  return { width: width * scale, height: height * scale, fromPhys: false };
}
