import { describe, expect, it } from 'vitest';
import { PDFDocument } from '@cantoo/pdf-lib';
import { findInText, locateText, readPageText } from '../../../../src/core/pdf/index.js';
import { isVanthuError } from '../../../../src/shared/errors.js';
import { decree30Pdf, LAYOUT } from '../../../fixtures/pdf/decree30/make-decree30.js';

const NAME = 'Nguyễn Thị Hồng Nhung';

describe('locateText', () => {
  it('finds a name drawn in two runs, with its box in page points', async () => {
    const pdf = await decree30Pdf({ nameRuns: ['Nguyễn Thị', 'Hồng Nhung'] });
    const [match, ...more] = await locateText(pdf, 2, NAME);
    expect(more).toEqual([]);
    expect(match?.text).toBe(NAME);
    expect(match?.baseline).toBe(LAYOUT.nameLine.baseline);
    expect(match?.fontSize).toBe(LAYOUT.nameLine.size);
    const box = match!.box;
    // The fixture centres the name on x = 430; the box spans the ink from descender to ascender.
    expect(box.x + box.width / 2).toBeCloseTo(LAYOUT.nameLine.centreX, 0);
    expect(box.width).toBeGreaterThan(120);
    expect(box.width).toBeLessThan(145);
    expect(box.y).toBeCloseTo(500 - 0.216 * 13, 3);
    expect(box.y + box.height).toBeCloseTo(500 + 0.891 * 13, 3);
    // Part of the name: narrower, same start.
    const [part] = await locateText(pdf, 2, 'Nguyễn Thị Hồng');
    expect(part!.box.x).toBeCloseTo(box.x, 6);
    expect(part!.box.width).toBeLessThan(box.width - 20);
  });

  it('reads a file handed over as a Node Buffer (what the blob store returns), leaving it intact', async () => {
    const pdf = Buffer.from(await decree30Pdf({ nameRuns: ['Nguyễn Thị Hồng Nhung'] }));
    const before = Buffer.from(pdf);
    const [match] = await locateText(pdf, 2, NAME);
    expect(match?.text).toBe(NAME);
    expect(pdf.equals(before)).toBe(true);
  });

  it('compares after NFC normalisation, and ignores case and diacritics only when asked', async () => {
    const text = await readPageText(await decree30Pdf(), 2);
    expect(findInText(text, NAME.normalize('NFD')).map((m) => m.text)).toEqual([NAME]);
    expect(findInText(text, 'nguyen thi hong nhung')).toEqual([]);
    expect(findInText(text, 'NGUYỄN THỊ HỒNG NHUNG', { ignoreCase: true }).map((m) => m.text)).toEqual([NAME]);
    expect(findInText(text, 'NGUYỄN THỊ HỒNG NHUNG')).toEqual([]);
    expect(findInText(text, 'nguyen thi hong nhung', { ignoreCase: true, ignoreDiacritics: true }).map((m) => m.text)).toEqual([NAME]);
    // đ folds to d: "Đề nghị" is found as "de nghi".
    expect(findInText(text, 'de nghi cac co quan', { ignoreCase: true, ignoreDiacritics: true })).toHaveLength(1);
    // Whitespace runs count as one space.
    expect(findInText(text, 'Nguyễn   Thị\nHồng Nhung')).toHaveLength(1);
  });

  it('joins runs on one baseline into a line and gives named groups their boxes', async () => {
    const text = await readPageText(await decree30Pdf(), 1);
    const header = text.lines.find((l) => l.text.startsWith('Số:'));
    expect(header?.text).toBe('Số: /UBND-VP Cao Bằng, ngày tháng năm 2026');
    const [match] = findInText(text, /so:(?<blank>\s*)(?<rest>\/\S+)/u, { ignoreCase: true, ignoreDiacritics: true });
    const { blank, rest } = match!.groups;
    expect(rest?.text).toBe('/UBND-VP');
    // The blank runs from the end of "Số:" to the start of "/UBND-VP" (six spaces of 13 pt Liberation Serif: 19.5 pt).
    expect(blank!.x + blank!.width).toBeCloseTo(rest!.x, 6);
    expect(blank!.width).toBeCloseTo(6 * 0.25 * 13, 0);
    expect(match!.box.x).toBeCloseTo(LAYOUT.numberLine.x, 6);
  });

  it('reads dot leaders as text', async () => {
    const text = await readPageText(await decree30Pdf({ blank: 'dots' }), 1);
    expect(findInText(text, 'Số:……/UBND-VP')).toHaveLength(1);
    expect(findInText(text, 'ngày…tháng…năm 2026')).toHaveLength(1);
  });

  it('says which page is missing, and refuses garbage and empty patterns', async () => {
    const pdf = await decree30Pdf();
    const outOfRange = await locateText(pdf, 3, NAME).catch((e: unknown) => e);
    expect(isVanthuError(outOfRange, 'PDF_PAGE_OUT_OF_RANGE')).toBe(true);
    const garbage = await locateText(new TextEncoder().encode('not a pdf'), 1, NAME).catch((e: unknown) => e);
    expect(isVanthuError(garbage, 'PDF_INVALID')).toBe(true);
    const empty = await locateText(pdf, 1, '  ').catch((e: unknown) => e);
    expect(isVanthuError(empty, 'BAD_INPUT')).toBe(true);
    // The caller's bytes are not consumed by pdf.js.
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(2);
  });
});
