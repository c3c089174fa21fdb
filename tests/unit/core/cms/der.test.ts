import { describe, expect, it } from 'vitest';
import {
  DerError,
  encode,
  oid,
  readChildren,
  readElement,
  readOid,
  readSmallInteger,
  readWhole,
  sequence,
  setOf,
  smallInteger,
  sortSetMembers,
  toHex,
  unsignedInteger,
} from '../../../../src/core/cms/der.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s/g, ''), 'hex'));

describe('DER writer', () => {
  it('encodes OIDs as X.690 does', () => {
    expect(toHex(oid('2.16.840.1.101.3.4.2.1'))).toBe('0609608648016503040201');
    expect(toHex(oid('1.2.840.113549.1.9.16.2.47'))).toBe('060b2a864886f70d010910022f');
    expect(toHex(oid('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
    // First arc 2 with a second arc over 39, and an arc needing three base-128 digits.
    expect(toHex(oid('2.999.3'))).toBe('0603883703');
  });

  it('reads back every OID it writes', () => {
    for (const dotted of ['1.2.840.113549.1.7.2', '2.5.29.14', '0.9.2342.19200300.100.1.1', '2.999.3', '1.3.6.1.4.1.311.60.2.1.3']) {
      expect(readOid(readWhole(oid(dotted)))).toBe(dotted);
    }
  });

  it('writes short and long lengths minimally', () => {
    expect(toHex(encode(0x04, new Uint8Array(127))).slice(0, 4)).toBe('047f');
    expect(toHex(encode(0x04, new Uint8Array(128))).slice(0, 6)).toBe('048180');
    expect(toHex(encode(0x04, new Uint8Array(256))).slice(0, 8)).toBe('04820100');
    expect(toHex(encode(0x04, new Uint8Array(70_000))).slice(0, 10)).toBe('0483011170');
    const big = encode(0x04, new Uint8Array(70_000).fill(7));
    expect(readWhole(big).content.length).toBe(70_000);
  });

  it('writes non-negative INTEGERs in their shortest two-complement form', () => {
    expect(toHex(unsignedInteger(hex('80')))).toBe('02020080');
    expect(toHex(unsignedInteger(hex('0000007f')))).toBe('02017f');
    expect(toHex(unsignedInteger(new Uint8Array()))).toBe('020100');
    expect(toHex(smallInteger(0))).toBe('020100');
    expect(toHex(smallInteger(256))).toBe('02020100');
    expect(readSmallInteger(readWhole(smallInteger(123_456)))).toBe(123_456);
  });

  it('orders SET OF members by their encodings, shorter ones as if zero-padded', () => {
    const a = hex('0401ff');
    const b = hex('04020000');
    const c = hex('020101');
    expect(sortSetMembers([a, b, c]).map(toHex)).toEqual(['020101', '04020000', '0401ff'].sort());
    expect(toHex(setOf(a, c))).toBe('3106020101' + '0401ff');
  });
});

describe('DER reader', () => {
  it('walks nested structures and keeps exact byte views', () => {
    const inner = sequence(smallInteger(1), oid('1.2.3'));
    const outer = sequence(inner, encode(0xa0, smallInteger(5)));
    const [first, tagged] = readChildren(readWhole(outer));
    expect(toHex(first!.bytes)).toBe(toHex(inner));
    expect(tagged!.tag).toBe(0xa0);
    expect(readSmallInteger(readElement(tagged!.content))).toBe(5);
  });

  it('refuses BER indefinite lengths, truncation and trailing bytes', () => {
    expect(() => readElement(hex('30800000'))).toThrow(DerError);
    expect(() => readElement(hex('3005020101'))).toThrow(/past the end/);
    expect(() => readElement(hex('04'))).toThrow(/truncated/);
    expect(() => readWhole(hex('02010100'))).toThrow(/trailing/);
    expect(() => readElement(hex('1f2a0100'))).toThrow(/multi-byte tag/);
  });

  it('refuses a negative or oversized small INTEGER', () => {
    expect(() => readSmallInteger(readWhole(hex('0201ff')))).toThrow(DerError);
    expect(() => readSmallInteger(readWhole(hex('020801020304050607')))).toThrow(DerError);
  });
});
