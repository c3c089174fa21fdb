// The closing block (ô 7, 9a): "Nơi nhận:" at the left margin and the signer centred on the right, their first lines level.
import type { Draft, Signer } from '../../shared/draft.js';
import { baselineIn, placeLine, stackLines, type FlowBlock, type Mark } from './flow.js';
import { RECIPIENTS_WIDTH, SIGNATURE_SPACE, SIGNER_COLUMN, SIZE, TEXT_LEFT } from './geometry.js';
import { balancedLines, breakLines, fixedLine } from './line-break.js';
import { upper } from './templates.js';

/** The capitalised lines above the signature: "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH", "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH", "Q. CHÁNH VĂN PHÒNG". */
export function signerTitleLines(signer: Signer): string[] {
  const position = upper(signer.position);
  if (signer.authority === undefined) return [position];
  if (signer.authority === 'Q.') return [`Q. ${position}`];
  return [`${signer.authority} ${upper(signer.onBehalfOf ?? '')}`, position];
}

/** "- Như trên;" … "- Lưu: VT." : a dash before each, ";" after each but the last, "." after the last. */
export function recipientLines(list: string[]): string[] {
  return list.map((item, i) => `- ${item.trim().replace(/[.;]\s*$/u, '')}${i === list.length - 1 ? '.' : ';'}`);
}

export interface ClosingLayout {
  block: FlowBlock;
  /** Offsets from the block's top, for tests and signature placement. */
  nameDy: number;
  titleDy: number;
}

export function closingBlock(draft: Draft): ClosingLayout {
  const marks: Mark[] = [];
  const size = SIZE.signer;
  const titleDy = baselineIn(size);

  // Signer: prefix and position bold capitals, room for the signature and seal, the name bold.
  const titleLines = signerTitleLines(draft.signer).flatMap((text) => balancedLines([{ text, bold: true }], size, SIGNER_COLUMN.width));
  const titles = stackLines(titleLines, SIGNER_COLUMN.x, SIGNER_COLUMN.width, 0, size, 'center');
  marks.push(...titles.marks);
  const nameDy = titles.bottom + SIGNATURE_SPACE + baselineIn(size);
  marks.push(placeLine(fixedLine(draft.signer.fullName, 'bold', size), SIGNER_COLUMN.x, SIGNER_COLUMN.width, nameDy, size, 'center'));
  const signerBottom = nameDy + size * 0.3;

  // Nơi nhận: level with the signer's first line; 12 pt bold italic title, 11 pt list.
  let recipientsBottom = 0;
  const list = recipientLines(draft.recipientsList);
  if (list.length > 0) {
    const titleSize = SIZE.recipientsTitle;
    marks.push(placeLine(fixedLine('Nơi nhận:', 'boldItalic', titleSize), TEXT_LEFT, RECIPIENTS_WIDTH, titleDy, titleSize, 'left'));
    const itemSize = SIZE.recipients;
    // Single-spaced: the list is long and small by design.
    let dy = titleDy + titleSize * 0.216 + 2;
    for (const item of list) {
      for (const line of breakLines([{ text: item }], itemSize, RECIPIENTS_WIDTH)) {
        dy += itemSize * 1.107;
        marks.push(placeLine(line, TEXT_LEFT, RECIPIENTS_WIDTH, dy - itemSize * 0.216, itemSize, 'left'));
      }
    }
    recipientsBottom = dy;
  }
  return { block: { height: Math.max(signerBottom, recipientsBottom), spaceBefore: 12, marks, role: 'closing' }, nameDy, titleDy };
}
