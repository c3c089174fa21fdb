// A register printed on A4 landscape: agency, title and period on the first page, the Decree 30 table with its header row on every page, page numbers.
import type { PDFFont, PDFPage } from '@cantoo/pdf-lib';
import { vietnamDate } from '../../shared/vietnam-date.js';
import { A4_LANDSCAPE, BLACK, createPrintDoc, printable, drawCentred, numberPages, savePrint, wrapText, type PrintDoc } from './print-kit.js';
import type { RegisterCell, RegisterColumn, RegisterSheet } from './sheet.js';

const MARGIN = { left: 36, right: 36, top: 36, bottom: 40 };
const CELL_SIZE = 10;
const HEADER_SIZE = 10;
const LINE = 12;
const PAD = 3;
const RULE = 0.6;

export interface PrintRegisterOptions {
  /** The PDF's creation date (default: now). */
  now?: Date;
}

/** How a cell reads on paper: dates dd/MM/yyyy, numbers as written. */
export function cellText(cell: RegisterCell, column: RegisterColumn): string {
  if (cell === null) return '';
  if (column.kind === 'date' && typeof cell === 'string') return vietnamDate(cell);
  return String(cell);
}

interface Layout {
  x: number[];
  widths: number[];
}

function layoutColumns(columns: readonly RegisterColumn[]): Layout {
  const total = A4_LANDSCAPE.width - MARGIN.left - MARGIN.right;
  const weights = columns.reduce((sum, c) => sum + c.weight, 0);
  const widths = columns.map((c) => (total * c.weight) / weights);
  const x: number[] = [];
  let at = MARGIN.left;
  for (const w of widths) {
    x.push(at);
    at += w;
  }
  return { x, widths };
}

/** Draws one row of cells (lines already wrapped) with its borders; returns its height. */
function drawRow(page: PDFPage, top: number, cells: string[][], layout: Layout, font: PDFFont, size: number, centred: (i: number) => boolean): number {
  const lines = Math.max(1, ...cells.map((c) => c.length));
  const height = lines * LINE + 2 * PAD;
  cells.forEach((cellLines, i) => {
    const x = layout.x[i]!;
    const width = layout.widths[i]!;
    page.drawRectangle({ x, y: top - height, width, height, borderColor: BLACK, borderWidth: RULE });
    cellLines.forEach((line, n) => {
      const baseline = top - PAD - (n + 1) * LINE + 3;
      const textWidth = font.widthOfTextAtSize(line, size);
      const left = centred(i) ? x + (width - textWidth) / 2 : x + PAD;
      page.drawText(line, { x: left, y: baseline, size, font, color: BLACK });
    });
  });
  return height;
}

/** The register as a PDF: every row, wrapped, across as many pages as it takes. */
export async function printRegister(sheet: RegisterSheet, options: PrintRegisterOptions = {}): Promise<Uint8Array> {
  const print: PrintDoc = await createPrintDoc({ title: `${sheet.title} — ${sheet.periodLabel}`, author: sheet.agencyName, now: options.now ?? new Date() });
  const regular = print.font('regular');
  const bold = print.font('bold');
  const layout = layoutColumns(sheet.columns);
  const wrapCells = (texts: string[], font: PDFFont, size: number): string[][] =>
    texts.map((text, i) => wrapText(text, font, size, layout.widths[i]! - 2 * PAD));

  const header = wrapCells(sheet.columns.map((c) => printable(c.header, 'bold')), bold, HEADER_SIZE);
  const centredColumn = (i: number): boolean => sheet.columns[i]!.kind !== 'text';

  let page: PDFPage;
  let y: number;
  const newPage = (): void => {
    page = print.doc.addPage([A4_LANDSCAPE.width, A4_LANDSCAPE.height]);
    y = A4_LANDSCAPE.height - MARGIN.top;
    y -= drawRow(page, y, header, layout, bold, HEADER_SIZE, () => true);
  };

  // First page: the agency at the top left, then the title and the period, centred.
  page = print.doc.addPage([A4_LANDSCAPE.width, A4_LANDSCAPE.height]);
  y = A4_LANDSCAPE.height - MARGIN.top - 12;
  if (sheet.agencyName) {
    for (const line of wrapText(printable(sheet.agencyName.toUpperCase(), 'bold'), bold, 12, 320)) {
      page.drawText(line, { x: MARGIN.left, y, size: 12, font: bold, color: BLACK });
      y -= 15;
    }
  }
  y -= 12;
  drawCentred(page, sheet.title, y, bold, 16);
  y -= 20;
  drawCentred(page, sheet.periodLabel, y, print.font('italic'), 12);
  y -= 16;
  y -= drawRow(page, y, header, layout, bold, HEADER_SIZE, () => true);

  const bottom = MARGIN.bottom;
  const room = (): number => Math.floor((y - bottom - 2 * PAD) / LINE);
  const headerHeight = Math.max(1, ...header.map((c) => c.length)) * LINE + 2 * PAD;
  const fullPage = Math.floor((A4_LANDSCAPE.height - MARGIN.top - headerHeight - bottom - 2 * PAD) / LINE);
  let rowsOnPage = 0;
  for (const row of sheet.rows) {
    const texts = row.map((cell, i) => printable(cellText(cell, sheet.columns[i]!), 'regular'));
    let cells = wrapCells(texts, regular, CELL_SIZE);
    for (;;) {
      const lines = Math.max(1, ...cells.map((c) => c.length));
      if (lines <= room()) {
        y -= drawRow(page, y, cells, layout, regular, CELL_SIZE, centredColumn);
        rowsOnPage++;
        break;
      }
      // A row that fits on a fresh page starts there; one taller than a page is split across pages.
      if ((rowsOnPage > 0 && lines <= fullPage) || room() < 1) {
        newPage();
        rowsOnPage = 0;
        continue;
      }
      const fit = room();
      y -= drawRow(page, y, cells.map((c) => c.slice(0, fit)), layout, regular, CELL_SIZE, centredColumn);
      cells = cells.map((c) => c.slice(fit));
      newPage();
      rowsOnPage = 0;
    }
  }
  if (sheet.rows.length === 0) {
    const note = 'Không có văn bản nào trong thời gian này.';
    page.drawText(note, { x: MARGIN.left + PAD, y: y - LINE - PAD, size: CELL_SIZE, font: print.font('italic'), color: BLACK });
  }
  numberPages(print);
  return savePrint(print);
}
