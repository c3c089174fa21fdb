// Calendar dates as Vietnamese officials write them (dd/MM/yyyy) to and from the ISO form (yyyy-MM-dd) the store keeps.

const two = (n: number): string => String(n).padStart(2, '0');

/** "07/12/2026" for "2026-12-07"; anything else is returned as given. */
export function vietnamDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/**
 * "2026-12-07" for "07/12/2026" (also "7/12/2026", "07-12-2026", "07.12.2026"); null when the text is
 * not a real calendar day (31/02 is refused, not rolled over).
 */
export function parseVietnamDate(text: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!m) return null;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${two(month)}-${two(day)}`;
}

/** Today in Vietnam time as yyyy-MM-dd. */
export function vietnamToday(now: Date = new Date()): string {
  const t = new Date(now.getTime() + 7 * 3600_000);
  return `${t.getUTCFullYear()}-${two(t.getUTCMonth() + 1)}-${two(t.getUTCDate())}`;
}
