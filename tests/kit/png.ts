// Reads and writes the PNGs tests compare rendered pages with: 8-bit grey, RGB or RGBA, non-interlaced (what pdftoppm writes).
import { crc32, deflateSync, inflateSync } from 'node:zlib';

export interface Pixels {
  width: number;
  height: number;
  /** RGB, 3 bytes a pixel. */
  rgb: Uint8Array;
}

export interface GreyImage {
  width: number;
  height: number;
  /** One byte per pixel, rows top to bottom. */
  pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 6: 4 };

const paeth = (a: number, b: number, c: number): number => {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
};

/** The unfiltered samples of a PNG, `channels` bytes a pixel. */
function decode(png: Uint8Array): { width: number; height: number; channels: number; samples: Uint8Array } {
  const data = Buffer.from(png);
  if (!data.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colorType, , , interlace] = body.subarray(8);
      channels = CHANNELS[colorType ?? -1] ?? 0;
      if (depth !== 8 || interlace !== 0 || channels === 0) throw new Error('only 8-bit, non-interlaced grey, RGB or RGBA PNGs');
    } else if (type === 'IDAT') idat.push(body);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? out[y * stride + x - channels]! : 0;
      const up = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const upLeft = y > 0 && x >= channels ? out[(y - 1) * stride + x - channels]! : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      if (predictor === undefined) throw new Error(`PNG filter ${filter}`);
      out[y * stride + x] = (line[x]! + predictor) & 0xff;
    }
  }
  return { width, height, channels, samples: out };
}

export function readPng(png: Uint8Array): Pixels {
  const { width, height, channels, samples } = decode(png);
  if (channels === 3) return { width, height, rgb: samples };
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    if (channels === 1) rgb.fill(samples[i]!, i * 3, i * 3 + 3);
    else rgb.set(samples.subarray(i * 4, i * 4 + 3), i * 3);
  }
  return { width, height, rgb };
}

/** An 8-bit grey PNG as its grey levels. */
export function decodeGreyPng(png: Uint8Array): GreyImage {
  const { width, height, channels, samples } = decode(png);
  if (channels !== 1) throw new Error('not a grey PNG');
  return { width, height, pixels: samples };
}

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

/** Share of pixels whose channels differ by more than `threshold` (antialiasing noise stays under it). */
export function differingShare(a: Pixels, b: Pixels, threshold = 48): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let differing = 0;
  for (let i = 0; i < a.width * a.height; i++) {
    for (let c = 0; c < 3; c++) {
      if (Math.abs(a.rgb[i * 3 + c]! - b.rgb[i * 3 + c]!) > threshold) {
        differing++;
        break;
      }
    }
  }
  return differing / (a.width * a.height);
}
