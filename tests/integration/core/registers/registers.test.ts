// The registers read from a real store, printed (pixels against tests/fixtures/registers, text, qpdf) and exported to .xlsx (read back with exceljs).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { exportRegister, HEADER_ROW, printRegister, readRegister, type RegisterSheet } from '../../../../src/core/registers/index.js';
import { open, recordAssignment, transition } from '../../../../src/core/store/index.js';
import { OUR_AGENCY, seedRegisters } from '../../../kit/register-seed.js';
import { qpdfCheck } from '../../../kit/pdf-tools.js';
import { comparePixels, decodeGreyPng, encodeGreyPng, pdftotext, renderPage, tempPdf, type GreyImage } from '../drafting/kit.js';
import { tempDir } from '../store/kit.js';

const DPI = 50;
const TOLERANCE = 32;
const MAX_FRACTION = 0.0002;
const update = process.env.VANTHU_UPDATE_EXPECTED === '1';
const NOW = new Date('2026-12-07T03:00:00Z');

function checkAgainst(name: string, actual: GreyImage): void {
  const file = path.resolve('tests/fixtures/registers', `${name}.png`);
  if (update || !existsSync(file)) {
    if (!update) throw new Error(`${file} is missing: run with VANTHU_UPDATE_EXPECTED=1 and look at it before committing`);
    writeFileSync(file, encodeGreyPng(actual));
  }
  const diff = comparePixels(actual, decodeGreyPng(readFileSync(file)), TOLERANCE);
  expect(diff.sameSize, `${name}: page size`).toBe(true);
  expect(diff.fraction, `${name}: ${diff.differing} pixels differ`).toBeLessThanOrEqual(MAX_FRACTION);
}

function seeded(): ReturnType<typeof open> {
  const store = open(tempDir());
  seedRegisters(store.db);
  return store;
}

const pageCount = (file: string): number => pdftotext(file).split('\f').filter((p) => p.trim() !== '').length;

describe('reading a register', () => {
  it('gives the outgoing register of a year in the Decree 30 columns, in number order', () => {
    const store = seeded();
    const sheet = readRegister(store.db, 'outgoing', { year: 2026 });
    expect(sheet.agencyName).toBe(OUR_AGENCY.organName);
    expect(sheet.periodLabel).toBe('Năm 2026');
    expect(sheet.columns.map((c) => c.header)).toEqual([
      'Số, ký hiệu văn bản',
      'Ngày tháng văn bản',
      'Tên loại và trích yếu nội dung văn bản',
      'Người ký',
      'Nơi nhận văn bản',
      'Đơn vị, người nhận bản lưu',
      'Số lượng bản',
      'Ghi chú',
    ]);
    expect(sheet.rows.map((r) => r[0])).toEqual(['01/UBND-VP', '02/QĐ-UBND', '03/UBND-VP']);
    expect(sheet.rows[0]).toEqual([
      '01/UBND-VP',
      '2026-02-03',
      'Công văn: Về việc triển khai văn bản điện tử trên địa bàn tỉnh',
      'Hoàng Xuân Ánh',
      'Văn phòng Chính phủ; Bộ Nội vụ',
      'VT, VP',
      5,
      null,
    ]);
    // No recipients stored: the drafted "Nơi nhận" lines stand in.
    expect(sheet.rows[1]![4]).toBe('Các sở, ban, ngành; UBND các huyện, thành phố');
    store.close();
  });

  it('gives the incoming register of a period (both ends included) and refuses a period backwards', () => {
    const store = seeded();
    const sheet = readRegister(store.db, 'incoming', { from: '2026-01-12', to: '2026-04-02' });
    expect(sheet.periodLabel).toBe('Từ ngày 12/01/2026 đến ngày 02/04/2026');
    expect(sheet.columns.map((c) => c.header)).toEqual(['Ngày đến', 'Số đến', 'Tác giả', 'Số, ký hiệu', 'Ngày tháng', 'Tên loại và trích yếu nội dung', 'Đơn vị hoặc người nhận', 'Ký nhận', 'Ghi chú']);
    expect(sheet.rows.map((r) => r.slice(0, 5))).toEqual([
      ['2026-01-12', 1, 'Văn phòng Chính phủ', '125/VPCP-KSTT', '2026-01-09'],
      ['2026-04-02', 2, 'Bộ Nội vụ', '07/TT-BNV', '2026-03-28'],
    ]);
    expect(() => readRegister(store.db, 'incoming', { from: '2026-05-01', to: '2026-04-01' })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => readRegister(store.db, 'incoming', {})).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    store.close();
  });
});

describe('the incoming register\'s "Đơn vị hoặc người nhận"', () => {
  it('shows the unit or person of the assignment in force (the latest wins), and stays empty before any assignment', async () => {
    const store = open(tempDir());
    const { incoming } = seedRegisters(store.db);
    const now = Date.parse('2026-12-02T09:00:00+07:00');
    for (const id of incoming.slice(0, 2)) transition(store.db, id, 'accepted', { now });
    recordAssignment(store.db, incoming[0]!, { leader: 'Hoàng Xuân Ánh', handler: 'Phòng Tổng hợp', deadline: '2026-12-10', now });
    // Reassigned: the register follows the new handler.
    recordAssignment(store.db, incoming[0]!, { handler: 'Ông Nguyễn Văn Bình, Phó Chánh Văn phòng', deadline: '2026-12-15', now: now + 60_000 });
    recordAssignment(store.db, incoming[1]!, { leader: 'Hoàng Xuân Ánh', handler: 'Sở Nội vụ', deadline: '2026-12-20', now });
    const sheet = readRegister(store.db, 'incoming', { year: 2026 });
    store.close();
    const handler = sheet.columns.findIndex((c) => c.key === 'handler');
    expect(sheet.columns[handler]!.header).toBe('Đơn vị hoặc người nhận');
    expect(sheet.rows.map((r) => r[handler])).toEqual(['Ông Nguyễn Văn Bình, Phó Chánh Văn phòng', 'Sở Nội vụ', null]);
    // And it reaches paper and Excel.
    const file = tempPdf(await printRegister(sheet, { now: NOW }), 'so-den-giao.pdf');
    expect(pdftotext(file).replace(/\s+/g, ' ')).toContain('Sở Nội vụ');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await exportRegister(sheet, { now: NOW })) as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]!.getRow(HEADER_ROW + 2).getCell(handler + 1).value).toBe('Sở Nội vụ');
  });
});

describe('printing a register', () => {
  it('prints the outgoing register on A4 landscape matching the expected image, with intact Vietnamese headers', async () => {
    const store = seeded();
    const sheet = readRegister(store.db, 'outgoing', { year: 2026 });
    store.close();
    const file = tempPdf(await printRegister(sheet, { now: NOW }), 'so-di.pdf');
    expect(qpdfCheck(file).status).toBe(0);
    const page = renderPage(file, 1, DPI);
    // Landscape: wider than tall, A4 at 50 dpi.
    expect([page.width, page.height]).toEqual([Math.ceil((297 / 25.4) * DPI), Math.ceil((210 / 25.4) * DPI)]);
    checkAgainst('outgoing-1', page);
    const text = pdftotext(file).replace(/\s+/g, ' ');
    for (const words of ['SỔ ĐĂNG KÝ VĂN BẢN ĐI', 'ỦY BAN NHÂN DÂN TỈNH CAO BẰNG', 'Năm 2026', 'Số, ký hiệu văn bản', 'Tên loại và trích yếu nội dung văn bản', 'Đơn vị, người nhận bản lưu', 'Số lượng bản', 'Ghi chú', '02/QĐ-UBND', '03/02/2026', 'Trang 1/1']) {
      expect(text).toContain(words);
    }
    // The long subject wraps inside its cell: its last words are printed too.
    expect(text).toContain('viên chức ở mọi cấp');
  });

  it('prints the incoming register matching the expected image', async () => {
    const store = seeded();
    const sheet = readRegister(store.db, 'incoming', { year: 2026 });
    store.close();
    const file = tempPdf(await printRegister(sheet, { now: NOW }), 'so-den.pdf');
    expect(qpdfCheck(file).status).toBe(0);
    checkAgainst('incoming-1', renderPage(file, 1, DPI));
    const text = pdftotext(file).replace(/\s+/g, ' ');
    for (const words of ['SỔ ĐĂNG KÝ VĂN BẢN ĐẾN', 'Ngày đến', 'Số đến', 'Tác giả', 'Đơn vị hoặc người nhận', 'Ký nhận', 'Sở Tư pháp tỉnh Cao Bằng', '01/12/2026']) expect(text).toContain(words);
  });

  it('spreads a long register over pages with the header row and a page number on each', async () => {
    const store = seeded();
    const base = readRegister(store.db, 'outgoing', { year: 2026 });
    store.close();
    const rows = Array.from({ length: 60 }, (_, i) => base.rows[i % base.rows.length]!.map((cell, c) => (c === 0 ? `${i + 1}/UBND-VP` : cell)));
    const sheet: RegisterSheet = { ...base, rows };
    const file = tempPdf(await printRegister(sheet, { now: NOW }), 'so-dai.pdf');
    expect(qpdfCheck(file).status).toBe(0);
    const pages = pageCount(file);
    expect(pages).toBeGreaterThan(2);
    for (let p = 1; p <= pages; p++) {
      const text = pdftotext(file, p).replace(/\s+/g, ' ');
      expect(text, `page ${p}`).toContain('Tên loại và trích yếu nội dung văn bản');
      expect(text, `page ${p}`).toContain(`Trang ${p}/${pages}`);
    }
    // Every row made it to paper, once.
    const all = pdftotext(file);
    for (let i = 1; i <= 60; i++) expect(all.match(new RegExp(`(^|\\s)${i}/UBND-VP`, 'g'))?.length, `row ${i}`).toBe(1);
  });

  it('prints a received subject the fonts cannot show, with "?" for the missing characters', async () => {
    const store = seeded();
    const base = readRegister(store.db, 'incoming', { year: 2026 });
    store.close();
    const rows = [base.rows[0]!.map((cell, c) => (c === 5 ? 'Giấy mời 🎉 hội nghị 会议' : cell))];
    const file = tempPdf(await printRegister({ ...base, rows }, { now: NOW }), 'so-ky-tu.pdf');
    expect(qpdfCheck(file).status).toBe(0);
    expect(pdftotext(file).replace(/\s+/g, ' ')).toContain('Giấy mời ? hội nghị ??');
  });

  it('says so when the period holds no document', async () => {
    const store = seeded();
    const sheet = readRegister(store.db, 'incoming', { year: 2024 });
    store.close();
    expect(sheet.rows).toEqual([]);
    const file = tempPdf(await printRegister(sheet, { now: NOW }), 'so-trong.pdf');
    expect(pdftotext(file)).toContain('Không có văn bản nào trong thời gian này.');
  });
});

describe('exporting a register to Excel', () => {
  it('writes the header row, the values, real dates shown dd/MM/yyyy, widths and a landscape print setup', async () => {
    const store = seeded();
    const sheet = readRegister(store.db, 'incoming', { year: 2026 });
    store.close();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await exportRegister(sheet, { now: NOW })) as unknown as ArrayBuffer);
    const ws = workbook.worksheets[0]!;
    expect(ws.getCell(2, 1).value).toBe('SỔ ĐĂNG KÝ VĂN BẢN ĐẾN');
    expect(ws.getCell(3, 1).value).toBe('Năm 2026');
    const headers = (ws.getRow(HEADER_ROW).values as unknown[]).slice(1);
    expect(headers).toEqual(sheet.columns.map((c) => c.header));
    const first = ws.getRow(HEADER_ROW + 1);
    const arrival = first.getCell(1);
    expect(arrival.value).toBeInstanceOf(Date);
    expect((arrival.value as Date).toISOString()).toBe('2026-01-12T00:00:00.000Z');
    expect(arrival.numFmt).toBe('dd/mm/yyyy');
    expect(first.getCell(2).value).toBe(1);
    expect(first.getCell(3).value).toBe('Văn phòng Chính phủ');
    expect(first.getCell(4).value).toBe('125/VPCP-KSTT');
    expect(first.getCell(6).value).toBe('Công văn: Về việc đẩy mạnh gửi, nhận văn bản điện tử');
    expect(ws.getRow(HEADER_ROW + 3).getCell(3).value).toBe('Sở Tư pháp tỉnh Cao Bằng');
    expect(ws.getRow(HEADER_ROW + 4).getCell(1).value ?? null).toBeNull();
    expect(ws.getColumn(6).width).toBe(45);
    expect(ws.pageSetup.orientation).toBe('landscape');
    expect(ws.pageSetup.paperSize).toBe(9);
    expect(ws.pageSetup.printTitlesRow).toBe(`${HEADER_ROW}:${HEADER_ROW}`);
  });
});
