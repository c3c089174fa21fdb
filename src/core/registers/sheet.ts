// The outgoing and incoming registers as Decree 30 rows (Appendix IV columns) for a year or a period, read from the store.
import { VanthuError } from '../../shared/errors.js';
import { vietnamDate } from '../../shared/vietnam-date.js';
import type { Db } from '../store/index.js';

export type RegisterKind = 'outgoing' | 'incoming';

export type ColumnKind = 'text' | 'date' | 'number';

export interface RegisterColumn {
  key: string;
  /** As Decree 30 names the column. */
  header: string;
  kind: ColumnKind;
  /** Share of the printed table's width. */
  weight: number;
  /** Width in Excel characters. */
  excelWidth: number;
}

/** A cell: text, a whole number, or a calendar date as yyyy-MM-dd; null when empty. */
export type RegisterCell = string | number | null;

export interface RegisterSheet {
  kind: RegisterKind;
  /** "SỔ ĐĂNG KÝ VĂN BẢN ĐI" / "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN". */
  title: string;
  agencyName: string;
  /** "Năm 2026" or "Từ ngày 01/01/2026 đến ngày 31/03/2026". */
  periodLabel: string;
  from: string;
  to: string;
  columns: readonly RegisterColumn[];
  rows: RegisterCell[][];
}

const column = (key: string, header: string, kind: ColumnKind, weight: number, excelWidth: number): RegisterColumn => ({ key, header, kind, weight, excelWidth });

/** Decree 30, Appendix IV: the outgoing register's columns. */
export const OUTGOING_COLUMNS: readonly RegisterColumn[] = [
  column('code', 'Số, ký hiệu văn bản', 'text', 11, 16),
  column('issuedDate', 'Ngày tháng văn bản', 'date', 9, 12),
  column('subject', 'Tên loại và trích yếu nội dung văn bản', 'text', 28, 45),
  column('signer', 'Người ký', 'text', 11, 18),
  column('recipients', 'Nơi nhận văn bản', 'text', 17, 28),
  column('keptBy', 'Đơn vị, người nhận bản lưu', 'text', 11, 16),
  column('copies', 'Số lượng bản', 'number', 6, 9),
  column('note', 'Ghi chú', 'text', 7, 14),
];

/** Decree 30, Appendix IV: the incoming register's columns. */
export const INCOMING_COLUMNS: readonly RegisterColumn[] = [
  column('arrivalDate', 'Ngày đến', 'date', 8, 12),
  column('arrivalNumber', 'Số đến', 'number', 6, 8),
  column('author', 'Tác giả', 'text', 15, 24),
  column('code', 'Số, ký hiệu', 'text', 11, 16),
  column('issuedDate', 'Ngày tháng', 'date', 8, 12),
  column('subject', 'Tên loại và trích yếu nội dung', 'text', 26, 45),
  column('handler', 'Đơn vị hoặc người nhận', 'text', 12, 20),
  column('receivedSign', 'Ký nhận', 'text', 7, 10),
  column('note', 'Ghi chú', 'text', 7, 14),
];

export const REGISTER_TITLES: Record<RegisterKind, string> = { outgoing: 'SỔ ĐĂNG KÝ VĂN BẢN ĐI', incoming: 'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN' };

export interface RegisterPeriod {
  /** A whole year… */
  year?: number;
  /** …or from–to, Vietnam-time dates yyyy-MM-dd (both included). */
  from?: string;
  to?: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The first and last day of the period, and how the register's cover says it. */
export function resolvePeriod(period: RegisterPeriod): { from: string; to: string; label: string } {
  if (period.year !== undefined) {
    if (!Number.isInteger(period.year) || period.year < 1900 || period.year > 9999) throw new VanthuError('BAD_INPUT', { detail: `năm không hợp lệ / invalid year: ${period.year}` });
    return { from: `${period.year}-01-01`, to: `${period.year}-12-31`, label: `Năm ${period.year}` };
  }
  const { from, to } = period;
  if (from === undefined || to === undefined || !ISO_DATE.test(from) || !ISO_DATE.test(to)) {
    throw new VanthuError('BAD_INPUT', { detail: 'cần một năm, hoặc từ ngày và đến ngày / a year, or from and to dates, are needed' });
  }
  if (from > to) throw new VanthuError('BAD_INPUT', { detail: `từ ngày ${vietnamDate(from)} sau đến ngày ${vietnamDate(to)} / from is after to` });
  return { from, to, label: `Từ ngày ${vietnamDate(from)} đến ngày ${vietnamDate(to)}` };
}

export interface ReadRegisterOptions extends RegisterPeriod {
  /** Our agency's id: only its register; by default every register of this kind in the store. */
  organId?: string;
  /** Printed at the top; by default the name the store knows for our agency. */
  agencyName?: string;
}

const codeOf = (number: string | null, notation: string | null): string | null =>
  number === null ? notation : notation === null ? number : `${number}/${notation}`;

const typeAndSubject = (typeName: string | null, subject: string): string => (typeName ? `${typeName}: ${subject}` : subject);

/** "Nơi nhận" of a drafted document, one place a line ("- Như trên;", "- Lưu: VT, TCCB."): the places, and who keeps the file copy. */
export function splitToPlaces(toPlaces: string | null): { places: string[]; keptBy: string | null } {
  const places: string[] = [];
  let keptBy: string | null = null;
  for (const raw of (toPlaces ?? '').split(/\r?\n/u)) {
    const line = raw.replace(/^\s*[-–•+]\s*/u, '').trim();
    if (line === '' || /^nơi nhận\s*:?$/iu.test(line)) continue;
    const kept = /^lưu\s*:\s*(.*)$/iu.exec(line);
    if (kept) keptBy = kept[1]!.replace(/[.;,]\s*$/u, '').trim() || null;
    else places.push(line.replace(/[.;,]\s*$/u, ''));
  }
  return { places, keptBy };
}

interface OutgoingRow {
  id: number;
  code_number: string | null;
  code_notation: string | null;
  issued_date: string | null;
  type_name: string | null;
  subject: string;
  signer_full_name: string | null;
  signer_position: string | null;
  to_places: string | null;
  issued_amount: number | null;
  numbered_by: string | null;
  organ_id: string | null;
  organ_name: string | null;
}

interface IncomingRow {
  id: number;
  number: number;
  organ_id: string;
  arrival_date: string | null;
  organ_name: string | null;
  code_number: string | null;
  code_notation: string | null;
  issued_date: string | null;
  type_name: string | null;
  subject: string;
  handler: string | null;
}

function recipientsOf(db: Db, ids: readonly number[]): Map<number, string[]> {
  const byDocument = new Map<number, string[]>();
  if (ids.length === 0) return byDocument;
  const rows = db
    .prepare<[string], { document_id: number; organ_name: string }>(
      'SELECT document_id, organ_name FROM document_recipients WHERE document_id IN (SELECT value FROM json_each(?)) ORDER BY document_id, position',
    )
    .all(JSON.stringify(ids));
  for (const r of rows) byDocument.set(r.document_id, [...(byDocument.get(r.document_id) ?? []), r.organ_name]);
  return byDocument;
}

/** Our agency's name: from the agency directory, else from our own outgoing documents. */
function agencyNameOf(db: Db, organIds: readonly string[]): string {
  for (const organId of organIds) {
    const fromDirectory = db.prepare<[string], string>('SELECT name FROM exchange_directory WHERE organ_id = ?').pluck().get(organId);
    if (fromDirectory) return fromDirectory;
    const fromDocuments = db
      .prepare<[string], string>("SELECT organ_name FROM documents WHERE direction = 'outgoing' AND organ_id = ? AND organ_name IS NOT NULL ORDER BY id DESC LIMIT 1")
      .pluck()
      .get(organId);
    if (fromDocuments) return fromDocuments;
  }
  return '';
}

/** The most frequent first: the register's own agency when one store holds a stray other id. */
function byFrequency(ids: readonly (string | null)[]): string[] {
  const counts = new Map<string, number>();
  for (const id of ids) if (id !== null) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
}

function readOutgoing(db: Db, from: string, to: string, organId: string | undefined): { rows: RegisterCell[][]; organIds: string[] } {
  const found = db
    .prepare<unknown[], OutgoingRow>(
      `SELECT id, code_number, code_notation, issued_date, type_name, subject, signer_full_name, signer_position, to_places, issued_amount,
              numbered_by, organ_id, organ_name
         FROM documents
        WHERE direction = 'outgoing' AND code_number IS NOT NULL AND issued_date BETWEEN ? AND ? ${organId === undefined ? '' : 'AND organ_id = ?'}
        ORDER BY issued_date, CAST(code_number AS INTEGER), id`,
    )
    .all(from, to, ...(organId === undefined ? [] : [organId]));
  const recipients = recipientsOf(db, found.map((r) => r.id));
  const rows = found.map((r): RegisterCell[] => {
    const { places, keptBy } = splitToPlaces(r.to_places);
    const sent = recipients.get(r.id) ?? [];
    const signer = r.signer_full_name ?? r.signer_position;
    return [
      codeOf(r.code_number, r.code_notation),
      r.issued_date,
      typeAndSubject(r.type_name, r.subject),
      signer,
      (sent.length > 0 ? sent : places).join('; ') || null,
      keptBy,
      r.issued_amount,
      r.numbered_by === null ? null : 'Số do hệ thống quản lý văn bản cấp',
    ];
  });
  return { rows, organIds: byFrequency(found.map((r) => r.organ_id)) };
}

function readIncoming(db: Db, from: string, to: string, organId: string | undefined): { rows: RegisterCell[][]; organIds: string[] } {
  const found = db
    .prepare<unknown[], IncomingRow>(
      `SELECT d.id, e.number, e.organ_id, d.arrival_date, d.organ_name, d.code_number, d.code_notation, d.issued_date, d.type_name, d.subject,
              -- The unit or person of the assignment in force: the latest 'assigned' step wins.
              (SELECT s.handler FROM incoming_steps s WHERE s.document_id = d.id AND s.step = 'assigned' ORDER BY s.id DESC LIMIT 1) AS handler
         FROM register_entries e JOIN documents d ON d.id = e.document_id
        WHERE e.kind = 'incoming' AND d.arrival_date BETWEEN ? AND ? ${organId === undefined ? '' : 'AND e.organ_id = ?'}
        ORDER BY d.arrival_date, e.year, e.number`,
    )
    .all(from, to, ...(organId === undefined ? [] : [organId]));
  const rows = found.map((r): RegisterCell[] => [
    r.arrival_date,
    r.number,
    r.organ_name,
    codeOf(r.code_number, r.code_notation),
    r.issued_date,
    typeAndSubject(r.type_name, r.subject),
    r.handler,
    null,
    null,
  ]);
  return { rows, organIds: byFrequency(found.map((r) => r.organ_id)) };
}

/** One register for a year or a period, in the order it was kept. */
export function readRegister(db: Db, kind: RegisterKind, options: ReadRegisterOptions): RegisterSheet {
  const { from, to, label } = resolvePeriod(options);
  const { rows, organIds } = kind === 'outgoing' ? readOutgoing(db, from, to, options.organId) : readIncoming(db, from, to, options.organId);
  const agencyName = options.agencyName ?? agencyNameOf(db, options.organId === undefined ? organIds : [options.organId, ...organIds]);
  return {
    kind,
    title: REGISTER_TITLES[kind],
    agencyName,
    periodLabel: label,
    from,
    to,
    columns: kind === 'outgoing' ? OUTGOING_COLUMNS : INCOMING_COLUMNS,
    rows,
  };
}
