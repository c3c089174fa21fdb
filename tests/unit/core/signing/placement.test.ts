import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readPageText, type PageText, type TextUnit } from '../../../../src/core/pdf/index.js';
import { decree30DateParts, decree30Number, issuingWidgets } from '../../../../src/core/signing/placement-issuing.js';
import { placeLeaderImage } from '../../../../src/core/signing/placement-leader.js';
import { pngInfo, sealSizePoints } from '../../../../src/core/signing/placement-png.js';
import { placeSeal } from '../../../../src/core/signing/placement-seal.js';
import { isVanthuError } from '../../../../src/shared/errors.js';
import { decree30Pdf } from '../../../fixtures/pdf/decree30/make-decree30.js';
import { discPng } from '../../../kit/pdf-tools.js';

const MM = 72 / 25.4;

/** The PNG with a pHYs chunk (pixels per unit, unit 1 = metre) inserted after IHDR. */
function withPhys(png: Uint8Array, perMetre: number, unit = 1): Uint8Array {
  const data = Buffer.alloc(9);
  data.writeUInt32BE(perMetre, 0);
  data.writeUInt32BE(perMetre, 4);
  data[8] = unit;
  const body = Buffer.concat([Buffer.from('pHYs', 'latin1'), data]);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(9);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  const afterIhdr = 8 + 12 + 13;
  return Buffer.concat([png.subarray(0, afterIhdr), head, body, crc, png.subarray(afterIhdr)]);
}

/** A line of text with even character widths, for layouts a fixture cannot easily make. */
function line(text: string, x: number, baseline: number, size: number): PageText['lines'][number] {
  const units: TextUnit[] = [...text].map((c, i) => ({ text: c, x0: x + i * size * 0.5, x1: x + (i + 1) * size * 0.5, baseline, size }));
  return { text, units, baseline, fontSize: size };
}

const rejection = async (work: () => unknown): Promise<unknown> => {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

describe('Decree 30 number and date forms', () => {
  it('writes numbers under 10 with a leading 0 and the ký hiệu in upper case', () => {
    expect(decree30Number('5/ubnd-vp')).toEqual({ ordinal: '05', notation: '/UBND-VP', text: '05/UBND-VP' });
    expect(decree30Number('123/QĐ-UBND').text).toBe('123/QĐ-UBND');
    expect(decree30Number('007').text).toBe('07');
    for (const bad of ['', 'abc', '0/UBND', '5 / UBND']) expect(() => decree30Number(bad), bad).toThrow(/05\/UBND-VP/);
  });

  it('pads the day under 10 and the months 1 and 2 only', () => {
    expect(decree30DateParts('2026-01-05')).toEqual({ day: '05', month: '01', year: '2026' });
    expect(decree30DateParts('2026-02-28')).toEqual({ day: '28', month: '02', year: '2026' });
    expect(decree30DateParts('2026-03-09')).toEqual({ day: '09', month: '3', year: '2026' });
    expect(decree30DateParts('2026-12-31')).toEqual({ day: '31', month: '12', year: '2026' });
    // A Date is read in Vietnam time: 18:30 UTC on 4 January is already 5 January in Hà Nội.
    expect(decree30DateParts(new Date('2026-01-04T18:30:00Z')).day).toBe('05');
    expect(() => decree30DateParts('2026-02-30')).toThrow(/no such date/);
    expect(() => decree30DateParts('05/01/2026')).toThrow(/YYYY-MM-DD/);
  });
});

describe('seal size and position', () => {
  it('takes the real size from pHYs, else the default diameter', () => {
    const png = discPng(425, [210, 20, 20]);
    expect(pngInfo(png)).toEqual({ width: 425, height: 425 });
    // 300 dpi = 11811 pixels per metre: 425 px is 36 mm.
    const real = withPhys(png, 11811);
    expect(pngInfo(real).pixelsPerMetre).toEqual({ x: 11811, y: 11811 });
    const size = sealSizePoints(real, 40);
    expect(size.fromPhys).toBe(true);
    expect(size.width / MM).toBeCloseTo((425 / 11811) * 1000, 6);
    const fallback = sealSizePoints(png, 40);
    expect(fallback.fromPhys).toBe(false);
    expect(fallback.width / MM).toBeCloseTo(40, 9);
    expect(fallback.height).toBe(fallback.width);
    // An editor's 72 dpi default on a big scan would make a 150 mm seal: not a scale, ignored.
    expect(sealSizePoints(withPhys(png, 2835), 36).fromPhys).toBe(false);
    // A unit of 0 only gives the aspect ratio.
    expect(pngInfo(withPhys(png, 11811, 0)).pixelsPerMetre).toBeUndefined();
    expect(isVanthuError(sealSizePointsError(), 'PDF_IMAGE_INVALID')).toBe(true);
  });

  it('centres the seal on the line a third into the leader rectangle', () => {
    // Centre at x = 300 + 150 / 3, y = 500 + 60 / 2.
    expect(placeSeal([300, 500, 150, 60], { width: 100, height: 100 })).toEqual([300, 480, 100, 100]);
    expect(placeSeal([300, 500, 240, 60], { width: 80, height: 60 })).toEqual([340, 500, 80, 60]);
  });
});

function sealSizePointsError(): unknown {
  try {
    sealSizePoints(new TextEncoder().encode('GIF89a not a png at all, long enough'), 36);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('leader image placement', () => {
  it('fills the gap between the title and the name, centred on the name, keeping the aspect ratio', async () => {
    const text = await readPageText(await decree30Pdf(), 2);
    const [x, y, w, h] = placeLeaderImage(text, 'Nguyễn Thị Hồng Nhung', 2, 841.89);
    expect(x + w / 2).toBeCloseTo(430, 0);
    expect(w / h).toBeCloseTo(2, 6);
    // Name top 500 + 0.891 * 13; "CHỦ TỊCH" bottom 584 - 0.216 * 13 (not "- Như trên;" at 586 beside it); 2 pt margins.
    expect(y).toBeCloseTo(500 + 0.891 * 13 + 2, 3);
    expect(y + h).toBeCloseTo(584 - 0.216 * 13 - 2, 3);
    // A very wide image is limited by width and stays centred in the gap.
    const [, wy, ww, wh] = placeLeaderImage(text, 'Nguyễn Thị Hồng Nhung', 8, 841.89);
    expect(ww).toBe(210);
    expect(wy + wh / 2).toBeCloseTo(y + h / 2, 6);
  });

  it('finds a name whose diacritics the PDF lost, and says when the name is missing or the gap is too small', async () => {
    const lostMarks: PageText = { page: 3, lines: [line('CHU TICH', 380, 600, 13), line('Nguyen Thi Hong Nhung', 370, 520, 13)] };
    const [x, , w] = placeLeaderImage(lostMarks, 'Nguyễn Thị Hồng Nhung', 1, 841);
    expect(x + w / 2).toBeCloseTo(370 + (21 * 6.5) / 2, 6);

    const missing = await rejection(() => placeLeaderImage(lostMarks, 'Trần Văn Bình', 1, 841));
    expect(isVanthuError(missing, 'APPEARANCE_SIGNER_NAME_NOT_FOUND')).toBe(true);
    if (isVanthuError(missing)) expect(missing.messageEn).toBe("The signer's name \"Trần Văn Bình\" is not on page 3, so the signature cannot be placed automatically. Give the position with --page N and --rect x,y,width,height (in points).");

    const cramped: PageText = { page: 1, lines: [line('CHỦ TỊCH', 380, 540, 13), line('Nguyễn Thị Hồng Nhung', 370, 520, 13)] };
    const noRoom = await rejection(() => placeLeaderImage(cramped, 'Nguyễn Thị Hồng Nhung', 1, 841));
    expect(isVanthuError(noRoom, 'APPEARANCE_NO_ROOM')).toBe(true);
    if (isVanthuError(noRoom)) expect(noRoom.messageVi).toContain('Không đủ chỗ trống phía trên tên "Nguyễn Thị Hồng Nhung"');

    // Nothing above the name: a default height above it.
    const alone: PageText = { page: 1, lines: [line('Nguyễn Thị Hồng Nhung', 370, 520, 13)] };
    expect(placeLeaderImage(alone, 'Nguyễn Thị Hồng Nhung', 1, 841)[3]).toBe(60);
  });
});

describe('issuing number and date', () => {
  it('puts the ordinal just before the printed ký hiệu and the date digits in the blanks', async () => {
    for (const blank of ['spaces', 'dots'] as const) {
      const text = await readPageText(await decree30Pdf({ blank }), 1);
      const widgets = issuingWidgets(text, { number: '05/UBND-VP', date: '2026-01-05' });
      expect(widgets.map((w) => w.text?.lines[0]), blank).toEqual(['05', '05', '01']);
      const slash = text.lines[2]!.units.find((u) => u.text === '/')!;
      const [numberWidget, day, month] = widgets;
      // The appearance has 2 pt of padding around the text: the text ends where "/" starts.
      expect(numberWidget!.rect[0] + numberWidget!.rect[2] - 2, blank).toBeCloseTo(slash.x0, 6);
      // Drawn on the document's baseline, in its size (13 pt, inside 10–14).
      expect(numberWidget!.text).toMatchObject({ fontSize: 13 });
      expect(numberWidget!.rect[1] + numberWidget!.text!.baseline!, blank).toBeCloseTo(740, 6);
      const units = text.lines[2]!.units;
      const y = units.findIndex((u, i) => u.text === 'y' && units[i - 1]?.text === 'à');
      const t = units.findIndex((u, i) => i > y && u.text === 't');
      const dayCentre = day!.rect[0] + day!.rect[2] / 2;
      expect(dayCentre, blank).toBeCloseTo((units[y]!.x1 + units[t]!.x0) / 2, 6);
      expect(month!.rect[0], blank).toBeGreaterThan(units[t]!.x1);
    }
  });

  it('writes the whole number when no ký hiệu is printed, and the year when it is blank', async () => {
    const text: PageText = { page: 1, lines: [line('Số:', 95, 740, 13), line('Hà Nội, ngày    tháng    năm     ', 330, 700, 16)] };
    const widgets = issuingWidgets(text, { number: '5/UBND-VP', date: '2026-03-09' });
    expect(widgets.map((w) => w.text?.lines[0])).toEqual(['05/UBND-VP', '09', '3', '2026']);
    // 16 pt in the document: drawn at 14, the largest Decree 30 allows here.
    expect(widgets[1]?.text?.fontSize).toBe(14);
    expect(widgets[0]!.rect[0] + 2).toBeCloseTo(95 + 3 * 6.5 + 13 * 0.25, 6);
  });

  it('refuses a filled number, a different ký hiệu or year, and a page without them', async () => {
    const page = (number: string, date: string): PageText => ({ page: 1, lines: [line(number, 95, 740, 13), line(date, 330, 740, 13)] });
    const codes = async (text: PageText, details: Parameters<typeof issuingWidgets>[1]): Promise<string | undefined> => {
      const error = await rejection(() => issuingWidgets(text, details));
      return isVanthuError(error) ? `${error.code}: ${error.messageEn}` : String(error);
    };
    expect(await codes(page('Số: 12/UBND-VP', 'ngày tháng năm 2026'), { number: '05/UBND-VP' })).toBe(
      'APPEARANCE_ISSUING_ALREADY_FILLED: The document already shows the document number ("Số: 12/UBND-VP") on page 1: it is not overwritten.',
    );
    expect(await codes(page('Số: /UBND-VP', 'ngày tháng năm 2025'), { date: '2026-01-05' })).toBe(
      'APPEARANCE_ISSUING_MISMATCH: The year printed in the document ("2025") differs from the one assigned ("2026").',
    );
    expect(await codes(page('Số: /UBND-VP', 'ngày 05 tháng 01 năm 2026'), { date: '2026-01-05' })).toMatch(/^APPEARANCE_ISSUING_ALREADY_FILLED/);
    expect(await codes(page('Số: /UBND-VP', 'ngày tháng năm 2026'), { number: '05/SNV-VP' })).toMatch(/^APPEARANCE_ISSUING_MISMATCH: The notation \(ký hiệu\) printed/);
    expect(await codes(page('Kính gửi', 'Cao Bằng'), { number: '05/UBND-VP' })).toBe('APPEARANCE_ISSUING_TEXT_NOT_FOUND: "Số:" is not on page 1, so the document number cannot be written there.');
    expect(await codes(page('Kính gửi', 'Cao Bằng'), { date: '2026-01-05' })).toMatch(/^APPEARANCE_ISSUING_TEXT_NOT_FOUND: "ngày … tháng … năm …"/);
  });
});
