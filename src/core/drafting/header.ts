// The first page's header (Appendix I ô 1–4, 5b, 10): agency and number on the left, national name, motto and place-and-date on the right.
import type { Draft } from '../../shared/draft.js';
import { decree30DateParts, decree30Number } from '../signing/placement-issuing.js';
import { verticalMetrics } from './faces.js';
import { baselineIn, stackLines, placeLine, type FlowBlock, type Mark, type RuleMark } from './flow.js';
import { HEADER_LEFT, HEADER_RIGHT, LEADING, RULE_WIDTH, SIZE, centreOf } from './geometry.js';
import { balancedLines, fixedLine } from './line-break.js';
import { templates, upper, vvSubject } from './templates.js';

export const NATIONAL_NAME = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
export const MOTTO = 'Độc lập - Tự do - Hạnh phúc';

/** Spaces left for the clerk: wide enough for a three-digit number or a two-digit day at 13–14 pt. */
const NUMBER_BLANK = ' '.repeat(9);
const DATE_BLANK = ' '.repeat(7);
// The year is four digits: 28 pt at 14 pt, wider than a day's blank.
const YEAR_BLANK = ' '.repeat(11);

export const urgencyText: Readonly<Record<number, string | undefined>> = { 1: 'KHẨN', 2: 'THƯỢNG KHẨN', 3: 'HỎA TỐC', 4: 'HỎA TỐC' };
export const secrecyText: Readonly<Record<number, string | undefined>> = { 1: 'MẬT', 2: 'TỐI MẬT', 3: 'TUYỆT MẬT' };

/**
 * "Số:         /UBND-VP" while a draft, "Số: 05/UBND-VP" once numbered. The ký hiệu is printed as
 * written: Appendix III's abbreviations are capitals except a few such as "TTr" (tờ trình).
 */
export function numberText(draft: Draft): string {
  const notation = draft.codeNotation.normalize('NFC');
  if (draft.codeNumber === undefined) return `Số:${NUMBER_BLANK}/${notation}`;
  return `Số: ${decree30Number(draft.codeNumber).ordinal}/${notation}`;
}

/** "Cao Bằng, ngày       tháng       năm 2026" while a draft; the full date once issued. */
export function placeDateText(draft: Draft): string {
  if (draft.issuedDate !== undefined) {
    const { day, month, year } = decree30DateParts(draft.issuedDate);
    return `${draft.issuedPlace}, ngày ${day} tháng ${month} năm ${year}`;
  }
  const year = draft.issueYear === undefined ? YEAR_BLANK : ` ${draft.issueYear}`;
  return `${draft.issuedPlace}, ngày${DATE_BLANK}tháng${DATE_BLANK}năm${year}`;
}

/** Rule under a line of text: from the descent plus a little, `fraction` of the text's width, centred on it. */
function ruleUnder(centre: number, textWidth: number, baselineDy: number, size: number, fraction: number): RuleMark {
  const length = textWidth * fraction;
  const dy = baselineDy + verticalMetrics('regular').descent * size + 1.5;
  return { kind: 'rule', x1: centre - length / 2, x2: centre + length / 2, dy, width: RULE_WIDTH };
}

/** A framed mark (KHẨN, MẬT …) centred in the left column, top at `top`; returns its bottom. */
function framedMark(text: string, top: number, marks: Mark[]): number {
  const size = SIZE.mark;
  const line = fixedLine(text, 'bold', size);
  const pad = 3;
  const h = size * 1.107 + 2 * pad;
  const w = line.width + 4 * pad;
  const x = centreOf(HEADER_LEFT) - w / 2;
  marks.push({ kind: 'box', x, dy: top, w, h, width: RULE_WIDTH });
  marks.push({ kind: 'text', x: x + 2 * pad, dy: top + pad + size * 0.891, size, line, extra: 0 });
  return top + h;
}

export function headerBlock(draft: Draft): FlowBlock {
  const marks: Mark[] = [];
  const left = HEADER_LEFT;
  const right = HEADER_RIGHT;

  // Left: the parent agency upright, the issuing agency bold, both capitals; a rule of 2/5 the agency's width.
  let y = 0;
  if (draft.parentOrganName) {
    const parent = stackLines(balancedLines([{ text: upper(draft.parentOrganName) }], SIZE.agency, left.width), left.x, left.width, y, SIZE.agency, 'center');
    marks.push(...parent.marks);
    y = parent.bottom;
  }
  const organLines = balancedLines([{ text: upper(draft.organName), bold: true }], SIZE.agency, left.width);
  const organ = stackLines(organLines, left.x, left.width, y, SIZE.agency, 'center');
  marks.push(...organ.marks);
  const organRule = ruleUnder(centreOf(left), Math.max(...organLines.map((l) => l.width)), organ.marks.at(-1)!.dy, SIZE.agency, 0.4);
  marks.push(organRule);

  // Right: national name and motto on the first two lines, the motto's rule as long as the motto.
  const national = fixedLine(NATIONAL_NAME, 'bold', SIZE.nationalName);
  const nationalDy = baselineIn(SIZE.agency);
  marks.push(placeLine(national, right.x, right.width, nationalDy, SIZE.nationalName, 'center'));
  const motto = fixedLine(MOTTO, 'bold', SIZE.motto);
  const mottoDy = nationalDy + SIZE.agency * LEADING;
  marks.push(placeLine(motto, right.x, right.width, mottoDy, SIZE.motto, 'center'));
  const mottoRule = ruleUnder(centreOf(right), motto.width, mottoDy, SIZE.motto, 1);
  marks.push(mottoRule);

  // One row lower: "Số:" on the left, place and date (italic) on the right, on one baseline.
  const rowDy = Math.max(organRule.dy, mottoRule.dy) + 8 + SIZE.placeDate * 0.891;
  marks.push(placeLine(fixedLine(numberText(draft), 'regular', SIZE.number), left.x, left.width, rowDy, SIZE.number, 'center'));
  const dateMark = placeLine(fixedLine(placeDateText(draft), 'italic', SIZE.placeDate), right.x, right.width, rowDy, SIZE.placeDate, 'center');
  marks.push(dateMark);
  if (draft.issuedDate === undefined && draft.issueYear === undefined) {
    // Text extraction drops trailing spaces, and with them the year's blank: an invisible dot ends
    // it, so the clerk's year lands after "năm" rather than on it.
    marks.push({ ...placeLine(fixedLine('.', 'italic', SIZE.placeDate), dateMark.x + dateMark.line.width, 10, rowDy, SIZE.placeDate, 'left'), invisible: true });
  }
  let leftBottom = rowDy + SIZE.number * 0.216;

  // Công văn: "V/v …" under the number, 6 pt apart, upright 12 pt.
  if (templates[draft.type].title === 'vv') {
    const vv = stackLines(balancedLines([{ text: vvSubject(draft.subject) }], SIZE.vv, left.width), left.x, left.width, leftBottom + 6, SIZE.vv, 'center');
    marks.push(...vv.marks);
    leftBottom = vv.bottom;
  }

  // Secrecy, then urgency, framed under the number block (ô 10a, 10b).
  for (const text of [secrecyText[draft.secrecy], urgencyText[draft.priority]]) {
    if (text) leftBottom = framedMark(text, leftBottom + 8, marks);
  }
  const height = Math.max(leftBottom, rowDy + SIZE.placeDate * 0.216);
  return { height, spaceBefore: 0, marks, role: 'header' };
}
