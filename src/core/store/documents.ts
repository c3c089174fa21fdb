// Documents and their recipients: create, read, keyset-paged lists, duplicate lookup.
import type { z } from 'zod';
import {
  documentMetadataSchema,
  initialState,
  type Direction,
  type DocumentMetadata,
  type DocumentMetadataInput,
  type DocumentState,
  type Priority,
  type RecipientStatus,
  type Secrecy,
} from '../../shared/document.js';
import { VanthuError } from '../../shared/errors.js';
import type { Db } from './db-types.js';
import { prepared } from './statements.js';
import { withStoreErrors } from './sqlite-errors.js';

export interface RecipientRecord {
  organId: string;
  organName: string;
  status: RecipientStatus | null;
  statusAt: number | null;
}

export interface DocumentSummary {
  id: number;
  direction: Direction;
  state: DocumentState;
  codeNumber: string | null;
  codeNotation: string | null;
  issuedDate: string | null;
  organName: string | null;
  subject: string;
  priority: Priority;
  secrecy: Secrecy;
  updatedAt: number;
}

export interface DocumentRecord extends Omit<DocumentMetadata, 'recipients'> {
  id: number;
  direction: Direction;
  state: DocumentState;
  recipients: RecipientRecord[];
  arrivalNumber?: number;
  arrivalDate?: string;
  receipt?: string;
  /** Outgoing documents numbered by another system (a web e-office system's origin); absent when our register gave the number. */
  numberedBy?: string;
  createdAt: number;
  updatedAt: number;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `after` for the next page; null on the last page. */
  nextCursor: number | null;
}

/** Metadata fields and their columns; the order is the INSERT's. */
const columns = {
  organId: 'organ_id',
  organName: 'organ_name',
  codeNumber: 'code_number',
  codeNotation: 'code_notation',
  issuedDate: 'issued_date',
  issuedPlace: 'issued_place',
  typeName: 'type_name',
  subject: 'subject',
  language: 'language',
  pageAmount: 'page_amount',
  description: 'description',
  priority: 'priority',
  secrecy: 'secrecy',
  signerPosition: 'signer_position',
  signerFullName: 'signer_full_name',
  issuedAmount: 'issued_amount',
  dueDate: 'due_date',
  fileCatalog: 'file_catalog',
  fileNotation: 'file_notation',
  docOrdinal: 'doc_ordinal',
  toPlaces: 'to_places',
  exchangeDocumentId: 'exchange_document_id',
} as const satisfies Record<Exclude<keyof DocumentMetadata, 'recipients'>, string>;
type MetadataKey = keyof typeof columns;
const metadataKeys = Object.keys(columns) as MetadataKey[];

type SqlValue = string | number | null;
type DocumentRow = Record<(typeof columns)[MetadataKey], SqlValue> & {
  id: number;
  direction: Direction;
  state: DocumentState;
  arrival_number: number | null;
  arrival_date: string | null;
  receipt: string | null;
  numbered_by: string | null;
  created_at: number;
  updated_at: number;
};

export function parseMetadata(input: unknown): DocumentMetadata {
  const result = documentMetadataSchema.safeParse(input);
  if (!result.success) throw new VanthuError('BAD_INPUT', { detail: describeIssues(result.error) });
  return result.data;
}

const describeIssues = (error: z.ZodError): string => error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`).join('; ');

export interface CreatedDocument {
  id: number;
  /** Documents already stored with the same number, notation and issuing agency, or the same exchange id. */
  duplicates: DocumentSummary[];
}

/** Stores a new document in its first state (draft / received) with its recipients, and records it in the history. */
export function createDocument(db: Db, direction: Direction, input: DocumentMetadataInput, now = Date.now()): CreatedDocument {
  const metadata = parseMetadata(input);
  if (direction === 'outgoing' && metadata.codeNumber !== undefined) {
    throw new VanthuError('BAD_INPUT', { detail: 'codeNumber: the outgoing register assigns the number' });
  }
  const organIds = new Set(metadata.recipients.map((r) => r.organId));
  if (organIds.size !== metadata.recipients.length) throw new VanthuError('BAD_INPUT', { detail: 'recipients: an agency is listed twice' });
  return withStoreErrors('the document', () =>
    db.transaction(() => {
      const duplicates = findDuplicates(db, metadata);
      const state = initialState[direction];
      const names = metadataKeys.map((k) => columns[k]);
      const values = metadataKeys.map((k) => toSql(metadata[k]));
      const { lastInsertRowid } = prepared(db,
          `INSERT INTO documents (direction, state, ${names.join(', ')}, created_at, updated_at)
           VALUES (?, ?, ${names.map(() => '?').join(', ')}, ?, ?)`,
        )
        .run(direction, state, ...values, now, now);
      const id = Number(lastInsertRowid);
      const addRecipient = prepared(db, 'INSERT INTO document_recipients (document_id, position, organ_id, organ_name) VALUES (?, ?, ?, ?)');
      metadata.recipients.forEach((r, position) => addRecipient.run(id, position, r.organId, r.organName));
      recordHistory(db, { documentId: id, at: now, kind: 'created', to: state });
      return { id, duplicates };
    }).immediate(),
  );
}

const toSql = (value: string | number | undefined): SqlValue => value ?? null;

/** States in which the metadata may still be edited: before anyone signed (outgoing) or registered (incoming). */
const editableStates: readonly DocumentState[] = ['draft', 'received'];

/**
 * Replaces the metadata and recipients of a draft (or of a received, not yet registered document).
 * The outgoing number and issued date belong to the register and are kept.
 */
export function updateMetadata(db: Db, id: number, input: DocumentMetadataInput, now = Date.now()): CreatedDocument {
  const metadata = parseMetadata(input);
  const organIds = new Set(metadata.recipients.map((r) => r.organId));
  if (organIds.size !== metadata.recipients.length) throw new VanthuError('BAD_INPUT', { detail: 'recipients: an agency is listed twice' });
  return withStoreErrors('the document', () =>
    db.transaction(() => {
      const current = getState(db, id);
      if (!editableStates.includes(current.state)) {
        throw new VanthuError('STORE_TRANSITION_NOT_ALLOWED', { id, from: current.state, to: 'edited' });
      }
      if (current.direction === 'outgoing' && metadata.codeNumber !== undefined) {
        throw new VanthuError('BAD_INPUT', { detail: 'codeNumber: the outgoing register assigns the number' });
      }
      const keys = metadataKeys.filter((k) => current.direction === 'incoming' || (k !== 'codeNumber' && k !== 'issuedDate'));
      prepared(db, `UPDATE documents SET ${keys.map((k) => `${columns[k]} = ?`).join(', ')}, updated_at = ? WHERE id = ?`).run(
        ...keys.map((k) => toSql(metadata[k])),
        now,
        id,
      );
      prepared(db, 'DELETE FROM document_recipients WHERE document_id = ?').run(id);
      const addRecipient = prepared(db, 'INSERT INTO document_recipients (document_id, position, organ_id, organ_name) VALUES (?, ?, ?, ?)');
      metadata.recipients.forEach((r, position) => addRecipient.run(id, position, r.organId, r.organName));
      recordHistory(db, { documentId: id, at: now, kind: 'edited' });
      return { id, duplicates: findDuplicates(db, metadata, id) };
    }).immediate(),
  );
}

export interface HistoryEntry {
  documentId: number;
  at: number;
  kind: 'created' | 'edited' | 'state' | 'number' | 'recipient_status';
  from?: string | null;
  to?: string | null;
  recipientOrganId?: string;
  reason?: string;
}

export function recordHistory(db: Db, entry: HistoryEntry): void {
  prepared(db,
    'INSERT INTO document_history (document_id, at, kind, from_value, to_value, recipient_organ_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(entry.documentId, entry.at, entry.kind, entry.from ?? null, entry.to ?? null, entry.recipientOrganId ?? null, entry.reason ?? null);
}

export function getHistory(db: Db, documentId: number): HistoryEntry[] {
  const rows = prepared<{ at: number; kind: HistoryEntry['kind']; from_value: string | null; to_value: string | null; recipient_organ_id: string | null; reason: string | null }>(db,
      'SELECT at, kind, from_value, to_value, recipient_organ_id, reason FROM document_history WHERE document_id = ? ORDER BY id',
    )
    .all(documentId);
  return rows.map((r) => ({
    documentId,
    at: r.at,
    kind: r.kind,
    from: r.from_value,
    to: r.to_value,
    ...(r.recipient_organ_id === null ? {} : { recipientOrganId: r.recipient_organ_id }),
    ...(r.reason === null ? {} : { reason: r.reason }),
  }));
}

export function getDocument(db: Db, id: number): DocumentRecord {
  const row = prepared<DocumentRow>(db, 'SELECT * FROM documents WHERE id = ?').get(id);
  if (row === undefined) throw new VanthuError('STORE_NOT_FOUND', { what: 'document', id });
  const recipients = prepared<{ organ_id: string; organ_name: string; status: RecipientStatus | null; status_at: number | null }>(db,
      'SELECT organ_id, organ_name, status, status_at FROM document_recipients WHERE document_id = ? ORDER BY position',
    )
    .all(id)
    .map((r) => ({ organId: r.organ_id, organName: r.organ_name, status: r.status, statusAt: r.status_at }));
  const record: Record<string, unknown> = {
    id: row.id,
    direction: row.direction,
    state: row.state,
    recipients,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  for (const key of metadataKeys) {
    const value = row[columns[key]];
    if (value !== null) record[key] = value;
  }
  if (row.arrival_number !== null) record.arrivalNumber = row.arrival_number;
  if (row.arrival_date !== null) record.arrivalDate = row.arrival_date;
  if (row.receipt !== null) record.receipt = row.receipt;
  if (row.numbered_by !== null) record.numberedBy = row.numbered_by;
  // The row passed the same CHECK constraints as the schema, so the shape holds.
  return record as unknown as DocumentRecord;
}

/** The state of a document, for the workflow and register functions. */
export function getState(db: Db, id: number): { direction: Direction; state: DocumentState; codeNumber: string | null; organId: string | null } {
  const row = prepared<{ direction: Direction; state: DocumentState; code_number: string | null; organ_id: string | null }>(db,
      'SELECT direction, state, code_number, organ_id FROM documents WHERE id = ?',
    )
    .get(id);
  if (row === undefined) throw new VanthuError('STORE_NOT_FOUND', { what: 'document', id });
  return { direction: row.direction, state: row.state, codeNumber: row.code_number, organId: row.organ_id };
}

export const summaryColumns =
  'd.id, d.direction, d.state, d.code_number, d.code_notation, d.issued_date, d.organ_name, d.subject, d.priority, d.secrecy, d.updated_at';

export interface SummaryRow {
  id: number;
  direction: Direction;
  state: DocumentState;
  code_number: string | null;
  code_notation: string | null;
  issued_date: string | null;
  organ_name: string | null;
  subject: string;
  priority: Priority;
  secrecy: Secrecy;
  updated_at: number;
}

export const toSummary = (r: SummaryRow): DocumentSummary => ({
  id: r.id,
  direction: r.direction,
  state: r.state,
  codeNumber: r.code_number,
  codeNotation: r.code_notation,
  issuedDate: r.issued_date,
  organName: r.organ_name,
  subject: r.subject,
  priority: r.priority,
  secrecy: r.secrecy,
  updatedAt: r.updated_at,
});

export interface ListOptions {
  direction?: Direction;
  state?: DocumentState;
  /** Page size, 1..500. */
  limit?: number;
  /** The previous page's nextCursor. */
  after?: number | null;
}

export const pageLimit = (limit: number | undefined): number => Math.min(Math.max(Math.trunc(limit ?? 50), 1), 500);

/**
 * Newest first, keyset-paged on the id: each page is an index range scan from the cursor, so page
 * 2,000 costs what page 1 costs (an OFFSET would walk every row before it).
 */
export function listDocuments(db: Db, options: ListOptions = {}): Page<DocumentSummary> {
  const limit = pageLimit(options.limit);
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (options.direction !== undefined) {
    where.push('d.direction = ?');
    params.push(options.direction);
  }
  if (options.state !== undefined) {
    where.push('d.state = ?');
    params.push(options.state);
  }
  if (options.after !== undefined && options.after !== null) {
    where.push('d.id < ?');
    params.push(options.after);
  }
  const rows = prepared<SummaryRow>(db,
      `SELECT ${summaryColumns} FROM documents d ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.id DESC LIMIT ?`,
    )
    .all(...params, limit + 1);
  return toPage(rows, limit);
}

export function toPage(rows: SummaryRow[], limit: number): Page<DocumentSummary> {
  const items = rows.slice(0, limit).map(toSummary);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/** Same (number, notation, issuing agency) or same exchange document id: Decree 30 asks for a warning. */
export function findDuplicates(
  db: Db,
  key: Pick<DocumentMetadata, 'codeNumber' | 'codeNotation' | 'organId' | 'exchangeDocumentId'>,
  excludeId?: number,
): DocumentSummary[] {
  const found = new Map<number, DocumentSummary>();
  if (key.codeNumber !== undefined && key.codeNotation !== undefined) {
    // Numbers compare without leading zeros ("5" and "05" are the same number), notations without case.
    const rows = prepared<SummaryRow>(db,
        `SELECT ${summaryColumns} FROM documents d
          WHERE ltrim(d.code_number, '0') = ltrim(?, '0') AND upper(d.code_notation) = upper(?) AND d.organ_id IS ?`,
      )
      .all(key.codeNumber, key.codeNotation, key.organId ?? null);
    for (const r of rows) found.set(r.id, toSummary(r));
  }
  if (key.exchangeDocumentId !== undefined) {
    const rows = prepared<SummaryRow>(db, `SELECT ${summaryColumns} FROM documents d WHERE d.exchange_document_id = ?`).all(key.exchangeDocumentId);
    for (const r of rows) found.set(r.id, toSummary(r));
  }
  if (excludeId !== undefined) found.delete(excludeId);
  return [...found.values()];
}
