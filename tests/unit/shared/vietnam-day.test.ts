// The day an instant falls on in Vietnam (UTC+7), whatever the machine's own time zone.
import { describe, expect, it } from 'vitest';
import { vietnamDayOf } from '../../../src/shared/vietnam-time.js';

describe('vietnamDayOf', () => {
  it('moves to the next day at 17:00 UTC, pads day and month, and takes a Date, an ISO string or milliseconds', () => {
    expect(vietnamDayOf('2026-12-06T16:59:59Z')).toBe('06/12/2026');
    expect(vietnamDayOf('2026-12-06T17:00:00Z')).toBe('07/12/2026');
    expect(vietnamDayOf(new Date(Date.UTC(2026, 0, 4, 20)))).toBe('05/01/2026');
    expect(vietnamDayOf(Date.UTC(2026, 2, 1, 1))).toBe('01/03/2026');
  });

  it('returns what it cannot read as given', () => {
    expect(vietnamDayOf('không phải ngày')).toBe('không phải ngày');
  });
});
