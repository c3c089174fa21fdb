import { describe, expect, it } from 'vitest';
import { pdfDate } from '../../../../src/core/pdf/pdf-date.js';

describe('pdfDate', () => {
  const instant = new Date('2026-03-05T03:15:30Z');
  it('writes the Vietnam wall-clock time with its offset', () => {
    expect(pdfDate(instant, 420)).toBe("D:20260305101530+07'00'");
  });
  it('writes UTC with Z', () => {
    expect(pdfDate(instant)).toBe('D:20260305031530Z');
  });
  it('handles negative and half-hour offsets across a date change', () => {
    expect(pdfDate(instant, -330)).toBe("D:20260304214530-05'30'");
  });
  it('refuses an invalid date or offset', () => {
    expect(() => pdfDate(new Date('nope'))).toThrow(RangeError);
    expect(() => pdfDate(instant, 15 * 60)).toThrow(RangeError);
  });
});
