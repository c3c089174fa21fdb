// Registers (sổ văn bản đi / đến): per agency, per year, numbers from 1, unique and gap-free across processes.
import { formatCodeNumber, type DocumentMetadata } from '../../shared/document.js';
import { VanthuError } from '../../shared/errors.js';
import type { Db } from './db-types.js';
import { prepared } from './statements.js';
import { findDuplicates, getState, recordHistory, type DocumentSummary } from './documents.js';
import { withStoreErrors } from './sqlite-errors.js';

export type RegisterKind = 'outgoing' | 'incoming';

/** Vietnam has no daylight saving: the legal date is UTC+7 all year. */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

export function vietnamDate(at: number): { date: string; year: number } {
  const shifted = new Date(at + VIETNAM_OFFSET_MS);
  return { date: shifted.toISOString().slice(0, 10), year: shifted.getUTCFullYear() };
}

/**
 * Takes the next number of a register. Must run inside a write transaction: the caller's row update
 * and this number commit or roll back together, which is what keeps the register free of gaps.
 */
function nextNumber(db: Db, kind: RegisterKind, organId: string, year: number, documentId: number, now: number): number {
  const { last_number: number } = prepared<{ last_number: number }>(db,
      `INSERT INTO register_counters (kind, organ_id, year, last_number) VALUES (?, ?, ?, 1)
       ON CONFLICT (kind, organ_id, year) DO UPDATE SET last_number = last_number + 1
       RETURNING last_number`,
    )
    .get(kind, organId, year)!;
  prepared(db, 'INSERT INTO register_entries (kind, organ_id, year, number, document_id, registered_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    kind,
    organId,
    year,
    number,
    documentId,
    now,
  );
  return number;
}

export interface AssignedNumber {
  number: number;
  /** As printed: "05". */
  codeNumber: string;
  issuedDate: string;
  year: number;
}

/**
 * Gives a document signed by the leader its outgoing number and issued date (the clerk's step
 * before the seal). BEGIN IMMEDIATE takes the write lock before reading the counter, so concurrent
 * processes queue up instead of reading the same last number.
 */
export function assignOutgoingNumber(db: Db, documentId: number, options: { organId?: string; now?: number } = {}): AssignedNumber {
  const now = options.now ?? Date.now();
  return withStoreErrors('the outgoing number', () =>
    db
      .transaction(() => {
        const document = getState(db, documentId);
        if (document.direction !== 'outgoing') throw new VanthuError('BAD_INPUT', { detail: `document ${documentId} is not outgoing` });
        if (document.codeNumber !== null) {
          throw new VanthuError('STORE_NUMBER_ALREADY_ASSIGNED', { id: documentId, number: document.codeNumber });
        }
        if (document.state !== 'signed_by_leader') {
          throw new VanthuError('STORE_TRANSITION_NOT_ALLOWED', { id: documentId, from: document.state, to: 'numbered' });
        }
        const organId = options.organId ?? document.organId;
        if (organId === null || organId === undefined) throw new VanthuError('BAD_INPUT', { detail: 'the issuing agency id (organId) is not set' });
        const { date, year } = vietnamDate(now);
        const number = nextNumber(db, 'outgoing', organId, year, documentId, now);
        const codeNumber = formatCodeNumber(number);
        prepared(db, 'UPDATE documents SET code_number = ?, issued_date = ?, organ_id = ?, updated_at = ? WHERE id = ?').run(
          codeNumber,
          date,
          organId,
          now,
          documentId,
        );
        recordHistory(db, { documentId, at: now, kind: 'number', to: codeNumber });
        return { number, codeNumber, issuedDate: date, year };
      })
      .immediate(),
  );
}

export interface RegisteredIncoming {
  arrivalNumber: number;
  arrivalDate: string;
  year: number;
  /** Other documents with the same number, notation and issuing agency (or exchange id): a warning, not a refusal. */
  duplicates: DocumentSummary[];
}

/** Registers a received document in our agency's incoming register (received -> registered). */
export function registerIncoming(db: Db, documentId: number, options: { organId: string; now?: number }): RegisteredIncoming {
  const now = options.now ?? Date.now();
  return withStoreErrors('the incoming number', () =>
    db
      .transaction(() => {
        const document = getState(db, documentId);
        if (document.direction !== 'incoming' || document.state !== 'received') {
          throw new VanthuError('STORE_TRANSITION_NOT_ALLOWED', { id: documentId, from: document.state, to: 'registered' });
        }
        const { date, year } = vietnamDate(now);
        const arrivalNumber = nextNumber(db, 'incoming', options.organId, year, documentId, now);
        prepared(db, "UPDATE documents SET state = 'registered', arrival_number = ?, arrival_date = ?, updated_at = ? WHERE id = ?").run(
          arrivalNumber,
          date,
          now,
          documentId,
        );
        recordHistory(db, { documentId, at: now, kind: 'state', from: 'received', to: 'registered', reason: `arrival number ${arrivalNumber}` });
        const key = prepared<{ code_number: string | null; code_notation: string | null; organ_id: string | null; exchange_document_id: string | null }>(db,
            'SELECT code_number, code_notation, organ_id, exchange_document_id FROM documents WHERE id = ?',
          )
          .get(documentId)!;
        return { arrivalNumber, arrivalDate: date, year, duplicates: findDuplicates(db, toKey(key), documentId) };
      })
      .immediate(),
  );
}

const toKey = (row: {
  code_number: string | null;
  code_notation: string | null;
  organ_id: string | null;
  exchange_document_id: string | null;
}): Pick<DocumentMetadata, 'codeNumber' | 'codeNotation' | 'organId' | 'exchangeDocumentId'> => ({
  ...(row.code_number === null ? {} : { codeNumber: row.code_number }),
  ...(row.code_notation === null ? {} : { codeNotation: row.code_notation }),
  ...(row.organ_id === null ? {} : { organId: row.organ_id }),
  ...(row.exchange_document_id === null ? {} : { exchangeDocumentId: row.exchange_document_id }),
});

/** The numbers issued in one register, in order: for audits and the gap-free tests. */
export function registerNumbers(db: Db, kind: RegisterKind, organId: string, year: number): number[] {
  return prepared<number>(db, 'SELECT number FROM register_entries WHERE kind = ? AND organ_id = ? AND year = ? ORDER BY number')
    .pluck()
    .all(kind, organId, year);
}
