// Under the header: the centred type name and trích yếu with its rule (ô 5a), and the "Kính gửi:" line(s).
import type { Draft } from '../../shared/draft.js';
import { verticalMetrics } from './faces.js';
import { stackLines, placeLine, baselineIn, type FlowBlock, type Mark } from './flow.js';
import { LEADING, RULE_WIDTH, SIZE, TEXT_LEFT, TEXT_WIDTH } from './geometry.js';
import { balancedLines, breakLines, fixedLine } from './line-break.js';
import { typeNameOf } from './templates.js';

// The trích yếu stays narrower than the text so it reads as a title, as in the appendix's samples.
const SUBJECT_WIDTH = TEXT_WIDTH * 0.85;

export function titleBlock(draft: Draft): FlowBlock | undefined {
  const typeName = typeNameOf(draft);
  if (typeName === null) return undefined;
  const marks: Mark[] = [];
  const name = stackLines(balancedLines([{ text: typeName, bold: true }], SIZE.typeName, TEXT_WIDTH), TEXT_LEFT, TEXT_WIDTH, 0, SIZE.typeName, 'center');
  marks.push(...name.marks);
  const subjectLines = balancedLines([{ text: draft.subject, bold: true }], SIZE.subject, SUBJECT_WIDTH);
  const subject = stackLines(subjectLines, TEXT_LEFT, TEXT_WIDTH, name.bottom, SIZE.subject, 'center');
  marks.push(...subject.marks);
  // The rule: 1/3 to 1/2 of the trích yếu's line, centred under it.
  const widest = Math.max(...subjectLines.map((l) => l.width));
  const length = Math.min(Math.max(widest * 0.4, TEXT_WIDTH / 6), widest);
  const ruleDy = subject.marks.at(-1)!.dy + verticalMetrics('bold').descent * SIZE.subject + 2;
  const centre = TEXT_LEFT + TEXT_WIDTH / 2;
  marks.push({ kind: 'rule', x1: centre - length / 2, x2: centre + length / 2, dy: ruleDy, width: RULE_WIDTH });
  return { height: ruleDy + 4, spaceBefore: 22, marks, keepWithNext: true, role: 'title' };
}

/**
 * "Kính gửi: X." on one centred line for one addressee; for several, "Kính gửi:" with the
 * addressees under each other after it, "- A;" … "- Z.".
 */
export function addresseesBlock(draft: Draft): FlowBlock | undefined {
  const names = draft.addressees;
  if (names.length === 0) return undefined;
  const size = SIZE.body;
  const step = size * LEADING;
  const label = 'Kính gửi: ';
  const marks: Mark[] = [];
  if (names.length === 1) {
    const text = `${label}${names[0]!.replace(/[.;]\s*$/u, '')}.`;
    const lines = balancedLines([{ text }], size, TEXT_WIDTH * 0.9);
    const stacked = stackLines(lines, TEXT_LEFT, TEXT_WIDTH, 0, size, 'center');
    return { height: stacked.bottom, spaceBefore: 14, marks: stacked.marks, keepWithNext: true, role: 'addressees' };
  }
  const labelLine = fixedLine(label.trimEnd(), 'regular', size);
  const items = names.map((n, i) => `- ${n.replace(/[.;]\s*$/u, '')}${i === names.length - 1 ? '.' : ';'}`);
  const itemWidth = TEXT_WIDTH * 0.6;
  // The label and list sit as one group centred on the page.
  const labelWidth = labelLine.width + size * 0.5;
  const x = TEXT_LEFT + (TEXT_WIDTH - labelWidth - itemWidth) / 2;
  marks.push(placeLine(labelLine, x, labelLine.width, baselineIn(size), size, 'left'));
  let dy = 0;
  for (const item of items) {
    for (const line of breakLines([{ text: item }], size, itemWidth)) {
      marks.push(placeLine(line, x + labelWidth, itemWidth, dy + baselineIn(size), size, 'left'));
      dy += step;
    }
  }
  return { height: dy, spaceBefore: 14, marks, keepWithNext: true, role: 'addressees' };
}
