// Vietnamese line breaking: at spaces only, whole syllables, NFC, no-break spaces honoured, justified widths, balanced header lines.
import { describe, expect, it } from 'vitest';
import { balancedLines, breakLines, type Line } from '../../../../src/core/drafting/index.js';
import { measure } from '../../../../src/core/drafting/faces.js';

const text = (line: Line): string => line.segments.map((s) => s.text).join('');
const SIZE = 14;

describe('breakLines', () => {
  const sentence = 'Thực hiện Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư, Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành triển khai';

  it('breaks only between syllables, fills each line to the width, and loses or adds no character', () => {
    const lines = breakLines([{ text: sentence }], SIZE, 200);
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.map(text).join(' ')).toBe(sentence);
    const words = new Set(sentence.split(' '));
    for (const [i, line] of lines.entries()) {
      for (const w of text(line).split(' ')) expect(words.has(w), `"${w}" is a whole syllable`).toBe(true);
      expect(line.width).toBeLessThanOrEqual(200.01);
      expect(line.width).toBeCloseTo(measure(text(line), 'regular', SIZE), 6);
      // Greedy: the next line's first word would not have fitted.
      const next = lines[i + 1];
      if (next) expect(line.width + measure(` ${text(next).split(' ')[0]}`, 'regular', SIZE)).toBeGreaterThan(200);
      expect(line.last).toBe(i === lines.length - 1);
      expect(line.spaces).toBe(text(line).split(' ').length - 1);
    }
  });

  it('takes decomposed (NFD) input as NFC, so "Nghị" measures and breaks like the precomposed word', () => {
    const nfd = breakLines([{ text: sentence.normalize('NFD') }], SIZE, 200);
    expect(nfd.map(text)).toEqual(breakLines([{ text: sentence }], SIZE, 200).map(text));
    expect(nfd.map(text).join(' ')).toBe(sentence.normalize('NFC'));
  });

  it('keeps a no-break space together ("Điều 1.") and splits an over-long word between letters with their marks', () => {
    const joined = breakLines([{ text: 'aaaa Điều\u00a01. bbbb' }], SIZE, measure('aaaa Điều', 'regular', SIZE) + 1);
    expect(joined.map(text)).toEqual(['aaaa', 'Điều\u00a01. bbbb'].slice(0, 1).concat(joined.slice(1).map(text)));
    expect(text(joined[1]!).startsWith('Điều\u00a01.')).toBe(true);
    const long = 'https://vanban.caobang.gov.vn/văn-bản-điện-tử-được-ký-số';
    const pieces = breakLines([{ text: long }], SIZE, 120).map(text);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(long);
    for (const piece of pieces) expect(piece.normalize('NFD').match(/^\p{M}/u)).toBeNull();
  });

  it('keeps styles per run and counts stretchable spaces across runs', () => {
    const [line] = breakLines([{ text: 'Điều 1. ', bold: true }, { text: 'Ban hành ' }, { text: 'kèm theo', italic: true }], SIZE, 400);
    expect(line!.segments.map((s) => [s.text, s.face])).toEqual([
      ['Điều 1. ', 'bold'],
      ['Ban hành ', 'regular'],
      ['kèm theo', 'italic'],
    ]);
    expect(line!.spaces).toBe(5);
    expect(line!.segments.map((s) => s.spacesBefore)).toEqual([0, 2, 4]);
    expect(line!.segments[1]!.x).toBeCloseTo(measure('Điều 1. ', 'bold', SIZE), 6);
  });

  it('honours a first-line width (indent) and forced breaks', () => {
    const lines = breakLines([{ text: sentence }], SIZE, 150, 250);
    expect(lines[0]!.width).toBeLessThanOrEqual(150.01);
    expect(lines[1]!.width).toBeGreaterThan(150);
    const forced = breakLines([{ text: 'Dòng một\nDòng hai' }], SIZE, 400);
    expect(forced.map(text)).toEqual(['Dòng một', 'Dòng hai']);
    expect(forced[0]!.last).toBe(true);
  });
});

describe('balancedLines', () => {
  it('splits an agency name into even lines instead of a long line and a short one', () => {
    const runs = [{ text: 'ỦY BAN NHÂN DÂN TỈNH CAO BẰNG', bold: true }];
    expect(breakLines(runs, 13, 193).map(text)).toEqual(['ỦY BAN NHÂN DÂN TỈNH CAO', 'BẰNG']);
    expect(balancedLines(runs, 13, 193).map(text)).toEqual(['ỦY BAN NHÂN DÂN', 'TỈNH CAO BẰNG']);
    expect(balancedLines([{ text: 'SỞ NỘI VỤ', bold: true }], 13, 193).map(text)).toEqual(['SỞ NỘI VỤ']);
  });
});
