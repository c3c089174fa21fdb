// Decree 30/2020 Appendix I page geometry and type sizes, in PDF points (1 mm = 72 / 25.4 pt).
export const mm = (millimetres: number): number => (millimetres * 72) / 25.4;

/** A4 portrait. */
export const PAGE = { width: mm(210), height: mm(297) } as const;

/**
 * Margins within the appendix's ranges (top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm):
 * the smallest of each, which leaves the most room for text, as Word templates of agencies do.
 */
export const MARGIN = { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15) } as const;

export const TEXT_LEFT = MARGIN.left;
export const TEXT_RIGHT = PAGE.width - MARGIN.right;
export const TEXT_WIDTH = TEXT_RIGHT - TEXT_LEFT;
export const TEXT_TOP = PAGE.height - MARGIN.top;
export const TEXT_BOTTOM = MARGIN.bottom;

/**
 * The header is a two-column table: the agency (ô 2) and number (ô 3) on the left, the national
 * name (ô 1) and place-and-date (ô 4) on the right. Widths as in agencies' Word templates.
 */
export const HEADER_LEFT = { x: TEXT_LEFT, width: mm(68) } as const;
export const HEADER_RIGHT = { x: TEXT_LEFT + mm(68), width: TEXT_WIDTH - mm(68) } as const;
export const centreOf = (column: { x: number; width: number }): number => column.x + column.width / 2;

/** Type sizes (pt) chosen within the appendix's ranges. */
export const SIZE = {
  agency: 13, // 12–13, parent upright, issuing agency bold
  nationalName: 12, // 12–13 bold caps: 13 would fill the right column to the edge
  motto: 13, // 13–14 bold
  number: 13, // 13
  vv: 12, // công văn trích yếu after "V/v": 12–13 upright
  placeDate: 14, // 13–14 italic
  mark: 13, // urgency and secrecy: 13–14 bold caps, framed
  typeName: 14, // 13–14 bold caps
  subject: 14, // 13–14 bold
  body: 14, // 13–14
  table: 13,
  recipientsTitle: 12, // "Nơi nhận:" 12 bold italic
  recipients: 11, // 11 upright
  signer: 14, // 13–14 bold caps; the name bold
  pageNumber: 13, // 13–14, centred in the top margin, not on page 1
} as const;

/** Line spacing: the appendix allows single to 1.5 lines; single spacing of Times is 1.15 em. */
export const LEADING = 1.15;
/** At least 6 pt between paragraphs (Appendix I). */
export const PARAGRAPH_GAP = 6;
/** First-line indent: 1 cm or 1.27 cm. */
export const FIRST_LINE_INDENT = mm(10);
/** Rule lines under the agency, the motto and the trích yếu. */
export const RULE_WIDTH = 0.6;
/** Room between the signer's position and name for the signature image and the seal (about 30 mm). */
export const SIGNATURE_SPACE = mm(30);
/** Closing block columns: "Nơi nhận" at the left margin, the signer centred in the right half. */
export const RECIPIENTS_WIDTH = mm(80);
export const SIGNER_COLUMN = { x: TEXT_LEFT + mm(75), width: TEXT_WIDTH - mm(75) } as const;
