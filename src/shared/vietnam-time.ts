// Times as Vietnamese officials read them: Vietnam time (UTC+7, no daylight saving), dd/MM/yyyy HH:mm:ss.

const VIETNAM_OFFSET_MS = 7 * 3600_000;
const two = (n: number): string => String(n).padStart(2, '0');

/** "07/12/2026 08:05:40" for 2026-12-07T01:05:40Z; an unreadable input is returned as given. */
export function vietnamDateTime(input: Date | string): string {
  const date = typeof input === 'string' ? new Date(input) : input;
  if (Number.isNaN(date.getTime())) return String(input);
  const t = new Date(date.getTime() + VIETNAM_OFFSET_MS);
  return `${two(t.getUTCDate())}/${two(t.getUTCMonth() + 1)}/${t.getUTCFullYear()} ${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())}`;
}

/** "07/12/2026" for any instant on that day in Vietnam (2026-12-06T17:00Z is already the 7th there). */
export function vietnamDayOf(input: Date | string | number): string {
  const date = input instanceof Date ? input : new Date(input);
  if (Number.isNaN(date.getTime())) return String(input);
  return vietnamDateTime(date).slice(0, 10);
}
