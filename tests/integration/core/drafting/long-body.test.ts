// A 20-page body: page numbers from page 2 in the top margin, lines within the margins, the signer block never alone on its page.
import { describe, expect, it } from 'vitest';
import { geometry, layoutDraft, parseDraft, renderDraftDetailed } from '../../../../src/core/drafting/index.js';
import { findInText, readPageText } from '../../../../src/core/pdf/text-locate.js';
import { longDraft } from '../../../fixtures/drafting/samples.js';
import { pdftotext, tempPdf } from './kit.js';

const { TEXT_LEFT, TEXT_RIGHT, TEXT_TOP, TEXT_BOTTOM, PAGE } = geometry;

describe('a long body', () => {
  it('fills 20 pages, numbered 2…20 at the top centre, page 1 unnumbered; every paragraph once, in order', async () => {
    const { pdf, pageCount, closingPage } = await renderDraftDetailed(longDraft(190));
    expect(pageCount).toBe(20);
    expect(closingPage).toBe(20);
    const first = await readPageText(pdf, 1);
    expect(first.lines.filter((l) => l.baseline > TEXT_TOP)).toEqual([]);
    for (let page = 2; page <= pageCount; page++) {
      const text = await readPageText(pdf, page);
      const top = text.lines[0]!;
      expect(top.text.trim(), `page ${page}`).toBe(String(page));
      expect(top.baseline).toBeGreaterThan(TEXT_TOP);
      expect(top.baseline).toBeLessThan(PAGE.height);
      const mid = (top.units[0]!.x0 + top.units.at(-1)!.x1) / 2;
      expect(Math.abs(mid - (TEXT_LEFT + TEXT_RIGHT) / 2)).toBeLessThan(1);
      expect(top.fontSize).toBe(13);
      // Below the number, everything sits between the margins.
      for (const line of text.lines.slice(1)) {
        expect(line.baseline).toBeLessThan(TEXT_TOP);
        expect(line.baseline - 0.216 * line.fontSize).toBeGreaterThan(TEXT_BOTTOM - 0.5);
      }
    }
    const all = pdftotext(tempPdf(pdf)).replace(/\s+/g, ' ');
    let from = 0;
    for (let i = 1; i <= 190; i++) {
      const at = all.indexOf(`Đoạn ${i}. Thực hiện`, from);
      expect(at, `Đoạn ${i}`).toBeGreaterThan(from - 1);
      from = at + 1;
    }
  });

  it('moves the last two body lines with the signer when the signer alone would not fit', async () => {
    const draft = parseDraft(longDraft(198));
    const { pages, closingPage } = layoutDraft(draft);
    expect(closingPage).toBe(pages.length);
    const last = pages.at(-1)!;
    const closingIndex = last.findIndex((p) => p.block.role === 'closing');
    expect(last.slice(0, closingIndex).filter((p) => p.block.role === 'body').length).toBeGreaterThanOrEqual(2);
    // Without that rule the signer would have fitted on the page before: the move was needed.
    const previous = pages.at(-2)!;
    const lastPlaced = previous.at(-1)!;
    const closing = last[closingIndex]!.block;
    expect(lastPlaced.top - lastPlaced.block.height - closing.spaceBefore - closing.height).toBeLessThan(TEXT_BOTTOM);

    const { pdf, pageCount } = await renderDraftDetailed(draft);
    expect(pageCount).toBe(21);
    const text = await readPageText(pdf, 21);
    const name = findInText(text, 'Nguyễn Thị Hồng Nhung');
    const body = findInText(text, 'thời hạn quy định.');
    expect(name).toHaveLength(1);
    expect(body).toHaveLength(1);
    expect(findInText(text, 'TM. ỦY BAN NHÂN DÂN')).toHaveLength(1);
    expect(findInText(text, 'Nơi nhận:')).toHaveLength(1);
    expect(findInText(await readPageText(pdf, 20), 'Nơi nhận:')).toHaveLength(0);
  });

  it('keeps a paragraph from leaving one line alone at a page foot or head', () => {
    const { pages } = layoutDraft(parseDraft(longDraft(190)));
    for (const [i, page] of pages.entries()) {
      const body = page.filter((p) => p.block.role === 'body');
      // A block with spaceBefore starts a paragraph: the first of a 4-line paragraph never ends a page.
      const lastBlock = body.at(-1)!;
      if (i < pages.length - 1) expect(lastBlock.block.spaceBefore, `page ${i + 1} ends with a paragraph's first line`).toBe(0);
    }
  });
});

describe('a long table', () => {
  it('flows row by row across pages, its header row repeated at the top of each page it reaches', async () => {
    const rows = Array.from({ length: 70 }, (_, i) => [String(i + 1), `Văn bản số ${i + 1} về chuyển đổi số của các sở, ban, ngành`, `${(i + 1) * 10}`]);
    const draft = { ...longDraft(1), body: [{ kind: 'table' as const, columns: [1, 6, 2], header: ['STT', 'Nội dung', 'Số lượng'], rows }] };
    const { pdf, pageCount } = await renderDraftDetailed(draft);
    expect(pageCount).toBeGreaterThanOrEqual(3);
    let expectedRow = 1;
    for (let page = 1; page <= pageCount; page++) {
      const text = await readPageText(pdf, page);
      const header = findInText(text, /STT\s+Nội dung\s+Số lượng/u);
      expect(header, `page ${page}`).toHaveLength(1);
      // Rows continue in order after the header; none is lost or split between pages.
      for (const line of text.lines.filter((l) => l.baseline < header[0]!.baseline)) {
        const match = /^(\d+) Văn bản số (\d+) /u.exec(line.text);
        if (!match) continue;
        expect(Number(match[1])).toBe(expectedRow);
        expect(Number(match[2])).toBe(expectedRow);
        expectedRow++;
      }
    }
    expect(expectedRow).toBe(71);
  });
});
