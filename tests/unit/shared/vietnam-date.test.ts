import { describe, expect, it } from 'vitest';
import { parseVietnamDate, vietnamDate, vietnamToday } from '../../../src/shared/vietnam-date.js';

describe('Vietnamese calendar dates', () => {
  it('writes yyyy-MM-dd as dd/MM/yyyy and reads it back', () => {
    expect(vietnamDate('2026-12-07')).toBe('07/12/2026');
    expect(parseVietnamDate('07/12/2026')).toBe('2026-12-07');
    expect(parseVietnamDate('7/2/2026')).toBe('2026-02-07');
    expect(parseVietnamDate('07.12.2026')).toBe('2026-12-07');
  });
  it('refuses days that do not exist and text that is not a date', () => {
    expect(parseVietnamDate('31/02/2026')).toBeNull();
    expect(parseVietnamDate('12/31/2026')).toBeNull();
    expect(parseVietnamDate('2026-12-07')).toBeNull();
    expect(parseVietnamDate('')).toBeNull();
  });
  it('takes today in Vietnam time, not UTC', () => {
    expect(vietnamToday(new Date('2026-12-06T18:30:00Z'))).toBe('2026-12-07');
    expect(vietnamToday(new Date('2026-12-06T16:30:00Z'))).toBe('2026-12-06');
  });
});
