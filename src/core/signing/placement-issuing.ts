// Writes the assigned number after "Số:" and the date into "ngày … tháng … năm …" as extra widgets of the clerk's signature.
import { VanthuError } from '../../shared/errors.js';
import { textOnBaseline, textWidth, type SignatureWidget } from '../pdf/index.js';
import { findInText, type Box, type PageText, type TextMatch } from '../pdf/text-locate.js';

export interface IssuingDetails {
  /** "05/UBND-VP": số and ký hiệu. */
  number?: string;
  /** The issuing date: "YYYY-MM-DD", or a Date read in Vietnam time. */
  date?: string | Date;
}

export type TextWidget = Omit<SignatureWidget, 'extraWidgets'>;

// Decree 30 text: Times 13–14 pt in the header; stamps stay within 10–14 pt.
const MIN_SIZE = 10;
const MAX_SIZE = 14;
const BLANK = '[\\s.…_]*';
// Patterns run on the page text folded to lower case without diacritics ("Số:" is "so:").
const NUMBER_BLANK = new RegExp(`(?<![\\p{L}\\p{N}])so\\s?:(?<blank>${BLANK})(?<rest>[^\\s.…_]\\S*)?`, 'u');
const DATE_BLANK = new RegExp(`(?<![\\p{L}\\p{N}])ngay(?<day>${BLANK})thang(?<month>${BLANK})nam(?<year>${BLANK})(?<printedYear>\\d{1,4})?`, 'u');
const DATE_FILLED = /(?<![\p{L}\p{N}])ngay\s*\d{1,2}\s*thang\s*\d{1,2}\s*nam\s*\d{4}/u;
const FOLDED = { ignoreCase: true, ignoreDiacritics: true };

/** "5/ubnd-vp" → ordinal "05", notation "/UBND-VP": numbers under 10 take a leading 0, ký hiệu is upper case. */
export function decree30Number(number: string): { ordinal: string; notation: string | undefined; text: string } {
  const match = /^0*(\d+)(\/\S+)?$/u.exec(number.normalize('NFC').trim());
  if (!match?.[1] || match[1] === '0') throw new VanthuError('BAD_INPUT', { detail: `số văn bản "${number}" phải có dạng 05/UBND-VP / the number must look like 05/UBND-VP` });
  const ordinal = match[1].padStart(2, '0');
  const notation = match[2]?.toUpperCase();
  return { ordinal, notation, text: `${ordinal}${notation ?? ''}` };
}

/** Decree 30: a day under 10 and the months 1 and 2 take a leading 0 ("ngày 05 tháng 01", "tháng 3"). */
export function decree30DateParts(date: string | Date): { day: string; month: string; year: string } {
  let y: number, m: number, d: number;
  if (typeof date === 'string') {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date.trim());
    if (!match) throw new VanthuError('BAD_INPUT', { detail: `ngày "${date}" phải có dạng YYYY-MM-DD / the date must be YYYY-MM-DD` });
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const check = new Date(Date.UTC(y, m - 1, d));
    if (check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) throw new VanthuError('BAD_INPUT', { detail: `ngày "${date}" không tồn tại / no such date` });
  } else {
    const vietnam = new Date(date.getTime() + 7 * 3600_000);
    [y, m, d] = [vietnam.getUTCFullYear(), vietnam.getUTCMonth() + 1, vietnam.getUTCDate()];
  }
  return { day: String(d).padStart(2, '0'), month: m <= 2 ? String(m).padStart(2, '0') : String(m), year: String(y) };
}

const fontSizeOf = (match: TextMatch): number => Math.min(MAX_SIZE, Math.max(MIN_SIZE, match.fontSize));

function widgetAt(page: number, text: string, size: number, x: number, baseline: number): TextWidget {
  return { page, ...textOnBaseline(text, size, x, baseline) };
}

/** Centred in the blank: dot leaders narrower than the digits get covered evenly rather than pushed into the next word. */
function inBlank(blank: Box, text: string, size: number): number {
  return blank.x + (blank.width - textWidth(text, size)) / 2;
}

const sameNotation = (a: string, b: string): boolean => a.normalize('NFC').toUpperCase() === b.normalize('NFC').toUpperCase();

function numberWidget(text: PageText, number: string): TextWidget {
  const { ordinal, notation, text: full } = decree30Number(number);
  const match = findInText(text, NUMBER_BLANK, FOLDED)[0];
  const what = { whatVi: 'số văn bản', whatEn: 'document number' };
  if (!match) throw new VanthuError('APPEARANCE_ISSUING_TEXT_NOT_FOUND', { text: 'Số:', page: text.page, ...what });
  const size = fontSizeOf(match);
  const blank = match.groups.blank!;
  const rest = match.groups.rest;
  if (rest && /^\d/.test(rest.text)) throw new VanthuError('APPEARANCE_ISSUING_ALREADY_FILLED', { found: `Số: ${rest.text}`, page: text.page, ...what });
  if (rest?.text.startsWith('/')) {
    // The template prints the ký hiệu already: only the ordinal goes in, ending where "/…" starts.
    if (notation && !sameNotation(rest.text, notation)) {
      throw new VanthuError('APPEARANCE_ISSUING_MISMATCH', { printed: rest.text, given: notation, whatVi: 'Ký hiệu văn bản', whatEn: 'notation (ký hiệu)' });
    }
    return widgetAt(text.page, ordinal, size, rest.x - textWidth(ordinal, size), match.baseline);
  }
  return widgetAt(text.page, full, size, blank.x + size * 0.25, match.baseline);
}

function dateWidgets(text: PageText, date: string | Date): TextWidget[] {
  const { day, month, year } = decree30DateParts(date);
  const what = { whatVi: 'ngày ban hành', whatEn: 'issuing date' };
  const match = findInText(text, DATE_BLANK, FOLDED)[0];
  if (!match) {
    const filled = findInText(text, DATE_FILLED, FOLDED)[0];
    if (filled) throw new VanthuError('APPEARANCE_ISSUING_ALREADY_FILLED', { found: filled.text, page: text.page, ...what });
    throw new VanthuError('APPEARANCE_ISSUING_TEXT_NOT_FOUND', { text: 'ngày … tháng … năm …', page: text.page, ...what });
  }
  const size = fontSizeOf(match);
  const widgets = [
    widgetAt(text.page, day, size, inBlank(match.groups.day!, day, size), match.baseline),
    widgetAt(text.page, month, size, inBlank(match.groups.month!, month, size), match.baseline),
  ];
  const printed = match.groups.printedYear;
  if (printed && printed.text !== year) throw new VanthuError('APPEARANCE_ISSUING_MISMATCH', { printed: printed.text, given: year, whatVi: 'Năm ban hành', whatEn: 'year' });
  if (!printed) widgets.push(widgetAt(text.page, year, size, inBlank(match.groups.year!, year, size), match.baseline));
  return widgets;
}

/** The widgets that write the number and the date on the page whose text is given (page 1: the header). */
export function issuingWidgets(text: PageText, details: IssuingDetails): TextWidget[] {
  return [...(details.number !== undefined ? [numberWidget(text, details.number)] : []), ...(details.date !== undefined ? dateWidgets(text, details.date) : [])];
}
