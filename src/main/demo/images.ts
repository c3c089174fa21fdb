// Demo signature and seal images (PNG, drawn here): a blue hand-drawn-looking stroke and a red round seal ring, marked as demo images by their file names.
import { crc32, deflateSync } from 'node:zlib';

type Rgb = [number, number, number];

function png(width: number, height: number, pixel: (x: number, y: number) => number, [r, g, b]: Rgb): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    for (let x = 0; x < width; x++) raw.set([r, g, b, Math.round(255 * Math.max(0, Math.min(1, pixel(x, y))))], y * (width * 4 + 1) + 1 + x * 4);
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Opacity of a pen stroke of half-width `w` around the point's distance `d` to the line. */
const stroke = (d: number, w: number): number => Math.max(0, 1 - Math.max(0, d - w) / 1.2);

/** A signature-like flourish: two loops of a sine stroke underlined. */
export function demoSignaturePng(): Buffer {
  const [width, height] = [300, 120];
  return png(
    width,
    height,
    (x, y) => {
      const t = x / width;
      const curve = 60 + 28 * Math.sin(t * Math.PI * 3.2) * (1 - t * 0.5) - 10 * t;
      const underline = 100 - 6 * t;
      const onCurve = x > 20 && x < 270 ? stroke(Math.abs(y - curve), 2.2) : 0;
      const onLine = x > 40 && x < 280 ? stroke(Math.abs(y - underline), 1.4) : 0;
      return Math.max(onCurve, onLine);
    },
    [20, 40, 170],
  );
}

/** A round red seal: two rings and a star in the middle. */
export function demoSealPng(): Buffer {
  const size = 240;
  const c = (size - 1) / 2;
  return png(
    size,
    size,
    (x, y) => {
      const dx = x - c;
      const dy = y - c;
      const r = Math.hypot(dx, dy);
      const outer = stroke(Math.abs(r - 112), 4);
      const inner = stroke(Math.abs(r - 78), 2);
      // A five-pointed star: radius varies with the angle.
      const angle = Math.atan2(dy, dx) + Math.PI / 2;
      const edge = 18 + 22 * Math.abs(Math.cos((angle * 5) / 2));
      const star = r < edge ? 1 : 0;
      return Math.max(outer, inner, star) * 0.9;
    },
    [200, 20, 20],
  );
}
