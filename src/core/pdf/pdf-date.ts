// Formats a signing time as a PDF date string (ISO 32000-1 §7.9.4) for a signature's /M.

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * `D:YYYYMMDDHHmmSS+HH'mm'` in the given offset from UTC (minutes east; Vietnam is +420),
 * or `...Z` for UTC.
 */
export function pdfDate(date: Date, utcOffsetMinutes = 0): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 14 * 60) throw new RangeError('invalid UTC offset');
  // Shift the instant so the UTC getters read the wall-clock time of the wanted offset.
  const local = new Date(date.getTime() + utcOffsetMinutes * 60_000);
  const stamp =
    String(local.getUTCFullYear()).padStart(4, '0') +
    two(local.getUTCMonth() + 1) +
    two(local.getUTCDate()) +
    two(local.getUTCHours()) +
    two(local.getUTCMinutes()) +
    two(local.getUTCSeconds());
  if (utcOffsetMinutes === 0) return `D:${stamp}Z`;
  const sign = utcOffsetMinutes > 0 ? '+' : '-';
  const abs = Math.abs(utcOffsetMinutes);
  return `D:${stamp}${sign}${two(Math.floor(abs / 60))}'${two(abs % 60)}'`;
}
