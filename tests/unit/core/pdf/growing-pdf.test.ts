// GrowingPdf: updates appended in the room after the file, in place; a file with no room copied once, the caller's array never written.
import { describe, expect, it } from 'vitest';
import { GrowingPdf } from '../../../../src/core/pdf/index.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const read = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('GrowingPdf', () => {
  it('appends in the room given, in the same memory, and tells what was appended', () => {
    const storage = Buffer.alloc(64, 0x2a);
    storage.write('%PDF-1.7 original|');
    const file = new GrowingPdf(storage, 18);
    const view = file.bytes;
    file.append(text('update 1|'));
    file.append(text('update 2|'));
    expect(read(file.bytes)).toBe('%PDF-1.7 original|update 1|update 2|');
    expect(read(file.appended)).toBe('update 1|update 2|');
    expect([file.base, file.size]).toEqual([18, 36]);
    // No copy: the bytes are still those of the storage given, and the earlier view reads the same file.
    expect(file.bytes.buffer).toBe(storage.buffer);
    expect(read(view)).toBe('%PDF-1.7 original|');
    expect(storage[36]).toBe(0x2a);
  });

  it('moves to a bigger store only when an update does not fit, keeping everything written', () => {
    const storage = Buffer.alloc(24);
    storage.write('%PDF original|');
    const file = new GrowingPdf(storage, 14);
    file.append(text('small|'));
    expect(file.bytes.buffer).toBe(storage.buffer);
    file.append(text('an update longer than the room left|'));
    expect(file.bytes.buffer).not.toBe(storage.buffer);
    expect(read(file.bytes)).toBe('%PDF original|small|an update longer than the room left|');
    // Room again after the move: the next update goes in place.
    const moved = file.bytes.buffer;
    file.append(text('x'));
    expect(file.bytes.buffer).toBe(moved);
  });

  it('never writes into a plain array given without room', () => {
    const pdf = text('%PDF caller-owned');
    const copy = new Uint8Array(pdf);
    const file = new GrowingPdf(pdf);
    expect(file.bytes.buffer).toBe(pdf.buffer);
    file.append(text('|update'));
    expect(pdf).toEqual(copy);
    expect(read(file.bytes)).toBe('%PDF caller-owned|update');
    expect(() => new GrowingPdf(pdf, pdf.length + 1)).toThrow(RangeError);
  });
});
