// Decodes stream data for the reader: FlateDecode (with PNG/TIFF predictors) and ASCIIHexDecode; anything else is reported as undecodable.
import { constants, inflateSync } from 'node:zlib';
import { dictOf, nameOf, numberOf, type PdfStream, type PdfValue } from './objects.js';
import { LIMITS } from './parser.js';

function inflate(data: Uint8Array): Uint8Array {
  try {
    return inflateSync(data, { maxOutputLength: LIMITS.streamBytes });
  } catch (error) {
    // Truncated or slightly damaged zlib data: keep what inflates, as viewers do.
    try {
      return inflateSync(data, { maxOutputLength: LIMITS.streamBytes, finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      throw error;
    }
  }
}

/** Undoes PNG predictors (10–15) row by row; TIFF predictor 2 for 8-bit components. */
export function unpredict(data: Uint8Array, predictor: number, columns: number, colors = 1, bitsPerComponent = 8): Uint8Array {
  const bpp = Math.max(1, Math.ceil((colors * bitsPerComponent) / 8));
  const rowLength = Math.ceil((columns * colors * bitsPerComponent) / 8);
  if (predictor === 2) {
    const out = Uint8Array.from(data);
    for (let row = 0; row * rowLength < out.length; row++) for (let i = bpp; i < rowLength; i++) out[row * rowLength + i] = (out[row * rowLength + i]! + out[row * rowLength + i - bpp]!) & 0xff;
    return out;
  }
  if (predictor < 10) return data;
  const rows = Math.floor(data.length / (rowLength + 1));
  const out = new Uint8Array(rows * rowLength);
  for (let row = 0; row < rows; row++) {
    const filter = data[row * (rowLength + 1)]!;
    for (let i = 0; i < rowLength; i++) {
      const raw = data[row * (rowLength + 1) + 1 + i]!;
      const left = i >= bpp ? out[row * rowLength + i - bpp]! : 0;
      const up = row > 0 ? out[(row - 1) * rowLength + i]! : 0;
      const upLeft = row > 0 && i >= bpp ? out[(row - 1) * rowLength + i - bpp]! : 0;
      let predicted = 0;
      if (filter === 1) predicted = left;
      else if (filter === 2) predicted = up;
      else if (filter === 3) predicted = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        predicted = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      out[row * rowLength + i] = (raw + predicted) & 0xff;
    }
  }
  return out;
}

function asciiHex(data: Uint8Array): Uint8Array {
  const text = Buffer.from(data).toString('latin1').replace(/>.*$/s, '').replace(/[^0-9a-fA-F]/g, '');
  return new Uint8Array(Buffer.from(text.length % 2 ? `${text}0` : text, 'hex'));
}

const asList = (value: PdfValue | undefined): PdfValue[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

/** The decoded data of a stream; throws when a filter is unknown or the data is broken. Filters given by reference are not supported. */
export function decodeStream(stream: PdfStream): Uint8Array {
  const filters = asList(stream.dict.get('Filter'));
  const parms = asList(stream.dict.get('DecodeParms'));
  let data = stream.raw;
  filters.forEach((filter, i) => {
    const name = nameOf(filter);
    if (name === 'FlateDecode' || name === 'Fl') {
      data = inflate(data);
      const p = dictOf(parms[i]);
      const predictor = numberOf(p?.get('Predictor')) ?? 1;
      if (predictor > 1) data = unpredict(data, predictor, numberOf(p?.get('Columns')) ?? 1, numberOf(p?.get('Colors')) ?? 1, numberOf(p?.get('BitsPerComponent')) ?? 8);
    } else if (name === 'ASCIIHexDecode' || name === 'AHx') data = asciiHex(data);
    else throw new Error(`unsupported stream filter ${name ?? '?'}`);
  });
  return data;
}
