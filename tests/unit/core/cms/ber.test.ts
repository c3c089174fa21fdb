import { describe, expect, it } from 'vitest';
import { berToDer } from '../../../../src/core/cms/ber.js';
import { DerError } from '../../../../src/core/cms/der.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s/g, ''), 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('berToDer', () => {
  it('gives definite lengths to indefinite ones, nested, and ignores trailing padding', () => {
    // SEQUENCE(indef) { INTEGER 5, SEQUENCE(indef) { NULL } } then zero padding.
    const ber = hex('3080 020105 3080 0500 0000 0000 000000');
    expect(toHex(berToDer(ber))).toBe('3007020105300205' + '00');
  });

  it('joins a constructed OCTET STRING into a primitive one', () => {
    const ber = hex('2480 0402aabb 0401cc 0000');
    expect(toHex(berToDer(ber))).toBe('0403aabbcc');
  });

  it('leaves DER unchanged', () => {
    const der = hex('300a 0201 05 0403 010203 0500');
    expect(toHex(berToDer(der))).toBe(toHex(der));
  });

  it('refuses an unterminated or truncated element', () => {
    expect(() => berToDer(hex('3080 020105'))).toThrow(DerError);
    expect(() => berToDer(hex('3005 0201'))).toThrow(DerError);
  });
});
