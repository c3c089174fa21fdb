// A register as an .xlsx workbook (exceljs): title rows, the Decree 30 header row, real dates shown dd/MM/yyyy, column widths, A4 landscape print setup.
import ExcelJS from 'exceljs';
import type { RegisterCell, RegisterColumn, RegisterSheet } from './sheet.js';

/** The header row's number: agency, title and period above it, then a blank row. */
export const HEADER_ROW = 5;

const thin = { style: 'thin' } as const;
const border = { top: thin, left: thin, bottom: thin, right: thin };

/** A calendar date as a date cell: midnight UTC, which Excel reads as that day whatever the time zone. */
function excelValue(cell: RegisterCell, column: RegisterColumn): ExcelJS.CellValue {
  if (cell === null) return null;
  if (column.kind === 'date' && typeof cell === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(cell);
    if (m) return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  }
  return cell;
}

export interface ExportRegisterOptions {
  /** The workbook's creation date (default: now). */
  now?: Date;
}

export async function exportRegister(sheet: RegisterSheet, options: ExportRegisterOptions = {}): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const now = options.now ?? new Date();
  workbook.creator = 'vanthu';
  workbook.created = now;
  workbook.modified = now;
  const ws = workbook.addWorksheet(sheet.kind === 'outgoing' ? 'Sổ văn bản đi' : 'Sổ văn bản đến', {
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: 'Trang &P/&N' },
    views: [{ state: 'frozen', ySplit: HEADER_ROW }],
  });
  const last = sheet.columns.length;
  ws.columns = sheet.columns.map((c) => ({ key: c.key, width: c.excelWidth }));

  ws.getCell(1, 1).value = sheet.agencyName.toUpperCase();
  ws.getCell(1, 1).font = { name: 'Times New Roman', bold: true, size: 12 };
  ws.mergeCells(2, 1, 2, last);
  ws.getCell(2, 1).value = sheet.title;
  ws.getCell(2, 1).font = { name: 'Times New Roman', bold: true, size: 16 };
  ws.getCell(2, 1).alignment = { horizontal: 'center' };
  ws.mergeCells(3, 1, 3, last);
  ws.getCell(3, 1).value = sheet.periodLabel;
  ws.getCell(3, 1).font = { name: 'Times New Roman', italic: true, size: 12 };
  ws.getCell(3, 1).alignment = { horizontal: 'center' };

  const header = ws.getRow(HEADER_ROW);
  sheet.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { name: 'Times New Roman', bold: true, size: 11 };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = border;
  });

  sheet.rows.forEach((row, r) => {
    const line = ws.getRow(HEADER_ROW + 1 + r);
    row.forEach((value, i) => {
      const column = sheet.columns[i]!;
      const cell = line.getCell(i + 1);
      cell.value = excelValue(value, column);
      cell.font = { name: 'Times New Roman', size: 11 };
      cell.border = border;
      cell.alignment = { vertical: 'top', wrapText: true, ...(column.kind === 'text' ? {} : { horizontal: 'center' }) };
      if (column.kind === 'date') cell.numFmt = 'dd/mm/yyyy';
    });
  });
  ws.autoFilter = { from: { row: HEADER_ROW, column: 1 }, to: { row: HEADER_ROW, column: last } };

  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
