// The layout's units: blocks of marks (text lines, rules, boxes) stacked down a page, with keep-together flags.
import type { Line } from './line-break.js';
import { LEADING } from './geometry.js';

/** A line of text: x and the baseline offset from the block's top; `extra` widens each stretchable space (justifying). */
export interface TextMark {
  kind: 'text';
  x: number;
  dy: number;
  size: number;
  line: Line;
  extra: number;
  /** Drawn in text render mode 3: found by text extraction, never seen or printed. */
  invisible?: boolean;
}

export interface RuleMark {
  kind: 'rule';
  x1: number;
  x2: number;
  dy: number;
  width: number;
}

/** A rectangle outline; dy is its top. */
export interface BoxMark {
  kind: 'box';
  x: number;
  dy: number;
  w: number;
  h: number;
  width: number;
}

export type Mark = TextMark | RuleMark | BoxMark;

export interface FlowBlock {
  height: number;
  /** Dropped at the top of a page. */
  spaceBefore: number;
  marks: Mark[];
  /** Goes on the same page as the next block (orphans, widows, headings, the closing block). */
  keepWithNext?: boolean;
  /** A table row: its table's header row, repeated when the table continues on a new page. */
  repeatHeader?: FlowBlock;
  /** Tags for tests and the closing check. */
  role?: 'header' | 'title' | 'addressees' | 'body' | 'closing';
}

export type Align = 'left' | 'center' | 'right' | 'justify';

/** Baseline offset inside a line box of `size` with LEADING spacing: the extra leading split above and below. */
export const baselineIn = (size: number, leading = LEADING): number => size * 0.891 + (size * (leading - 1.107)) / 2;

/** Places a broken line in a column of `width` starting at `x`. */
export function placeLine(line: Line, x: number, width: number, dy: number, size: number, align: Align, indent = 0): TextMark {
  const room = width - indent;
  switch (align) {
    case 'center':
      return { kind: 'text', x: x + indent + (room - line.width) / 2, dy, size, line, extra: 0 };
    case 'right':
      return { kind: 'text', x: x + indent + room - line.width, dy, size, line, extra: 0 };
    case 'justify': {
      const extra = !line.last && line.spaces > 0 ? Math.max(0, (room - line.width) / line.spaces) : 0;
      return { kind: 'text', x: x + indent, dy, size, line, extra };
    }
    default:
      return { kind: 'text', x: x + indent, dy, size, line, extra: 0 };
  }
}

/** Lines stacked as one unbreakable mark list, each in a line box of size × leading. */
export function stackLines(lines: Line[], x: number, width: number, top: number, size: number, align: Align, leading = LEADING): { marks: TextMark[]; bottom: number } {
  const step = size * leading;
  const marks = lines.map((line, i) => placeLine(line, x, width, top + i * step + baselineIn(size, leading), size, align));
  return { marks, bottom: top + lines.length * step };
}
