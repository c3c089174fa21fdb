// Body blocks to flow blocks: justified paragraphs with a first-line indent, numbered and bulleted items, tables with borders.
import type { Block, ListBlock, ParagraphBlock, RichText, TableBlock } from '../../shared/draft.js';
import { baselineIn, placeLine, type Align, type FlowBlock, type Mark } from './flow.js';
import { FIRST_LINE_INDENT, LEADING, PARAGRAPH_GAP, RULE_WIDTH, SIZE, TEXT_LEFT, TEXT_WIDTH } from './geometry.js';
import { breakLines, toRuns, type Line } from './line-break.js';

/** Flow blocks of one paragraph's lines: the first keeps with the second, the one before last with the last (no orphan, no widow). */
function lineBlocks(lines: Line[], align: Align, indent: number, size: number): FlowBlock[] {
  const step = size * LEADING;
  return lines.map((line, i) => ({
    height: step,
    spaceBefore: i === 0 ? PARAGRAPH_GAP : 0,
    marks: [placeLine(line, TEXT_LEFT, TEXT_WIDTH, baselineIn(size), size, align, i === 0 ? indent : 0)],
    keepWithNext: lines.length > 1 && (i === 0 || i === lines.length - 2),
    role: 'body' as const,
  }));
}

function paragraph(block: ParagraphBlock): FlowBlock[] {
  const align = block.align ?? 'justify';
  const indent = (block.indent ?? align !== 'center') ? FIRST_LINE_INDENT : 0;
  const lines = breakLines(toRuns(block.text), SIZE.body, TEXT_WIDTH - indent, TEXT_WIDTH);
  return lineBlocks(lines, align, indent, SIZE.body);
}

/** Decree 30 style items: the marker ("1.", "-") at the first-line indent, the text running on to the left margin. */
function list(block: ListBlock): FlowBlock[] {
  const start = block.start ?? 1;
  return block.items.flatMap((item, i) => {
    const marker = block.style === 'numbered' ? `${start + i}. ` : '- ';
    const runs = toRuns(item);
    const first = runs[0];
    // The marker takes the first run's style: a bold "Điều 1." numbering stays bold.
    const withMarker = [{ text: marker, bold: first?.bold, italic: first?.italic }, ...runs];
    const lines = breakLines(withMarker, SIZE.body, TEXT_WIDTH - FIRST_LINE_INDENT, TEXT_WIDTH);
    return lineBlocks(lines, 'justify', FIRST_LINE_INDENT, SIZE.body);
  });
}

const CELL_PAD = 3;

function row(cells: RichText[], widths: number[], header: boolean): FlowBlock {
  const size = SIZE.table;
  const step = size * LEADING;
  const broken = cells.map((cell, i) => breakLines(toRuns(cell, header ? { bold: true } : {}), size, widths[i]! - 2 * CELL_PAD));
  const height = Math.max(...broken.map((lines) => lines.length)) * step + 2 * CELL_PAD;
  const marks: Mark[] = [];
  let x = TEXT_LEFT;
  broken.forEach((lines, i) => {
    const w = widths[i]!;
    marks.push({ kind: 'box', x, dy: 0, w, h: height, width: RULE_WIDTH });
    lines.forEach((line, k) => marks.push(placeLine(line, x + CELL_PAD, w - 2 * CELL_PAD, CELL_PAD + k * step + baselineIn(size), size, header ? 'center' : 'left')));
    x += w;
  });
  return { height, spaceBefore: 0, marks, role: 'body' };
}

/** A table as one block per row; rows never split, the header row repeats on each page the table reaches. */
function table(block: TableBlock): FlowBlock[] {
  const total = block.columns.reduce((a, b) => a + b, 0);
  const widths = block.columns.map((c) => (c / total) * TEXT_WIDTH);
  const head = block.header ? row(block.header, widths, true) : undefined;
  const rows = block.rows.map((cells) => ({ ...row(cells, widths, false), ...(head ? { repeatHeader: head } : {}) }));
  const blocks = head ? [{ ...head, keepWithNext: true }, ...rows] : rows;
  blocks[0]!.spaceBefore = PARAGRAPH_GAP;
  return blocks;
}

export function bodyBlocks(body: Block[]): FlowBlock[] {
  return body.flatMap((block) => (block.kind === 'paragraph' ? paragraph(block) : block.kind === 'list' ? list(block) : table(block)));
}
