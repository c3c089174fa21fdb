// Outgoing documents numbered by another system (a web e-office system): entered in the outgoing register as issued, with that system's number and date, outside our counter.
import type { DocumentMetadataInput } from '../../shared/document.js';
import { VanthuError } from '../../shared/errors.js';
import type { Db } from './db-types.js';
import { createDocument, recordHistory, summaryColumns, toSummary, type DocumentSummary, type SummaryRow } from './documents.js';
import { prepared } from './statements.js';
import { withStoreErrors } from './sqlite-errors.js';

export interface NumberedElsewhere {
  /** Who gave the number: the origin of the e-office system (kept in documents.numbered_by). */
  numberedBy: string;
  /** As that system printed it: "123". */
  codeNumber: string;
  /** Ký hiệu: "BCY-CTSBMTT". */
  codeNotation?: string;
  /** yyyy-mm-dd, Vietnam date. */
  issuedDate: string;
  now?: number;
}

export interface RecordedNumberedElsewhere {
  documentId: number;
  /** Outgoing documents already in the register with the same number, ký hiệu and year: a warning (Decree 30), not a refusal. */
  duplicates: DocumentSummary[];
}

/**
 * Stores an outgoing document another system has numbered and issued (state `issued`). It takes no
 * number from our counter and writes no register_entries row, so our own numbering goes on 1, 2, 3…
 * without a gap or a clash, even when the other system's number is one our counter will reach.
 */
export function recordNumberedElsewhere(db: Db, metadata: Omit<DocumentMetadataInput, 'codeNumber' | 'codeNotation' | 'issuedDate'>, numbering: NumberedElsewhere): RecordedNumberedElsewhere {
  const now = numbering.now ?? Date.now();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(numbering.issuedDate)) throw new VanthuError('BAD_INPUT', { detail: `issuedDate "${numbering.issuedDate}" is not yyyy-mm-dd` });
  return withStoreErrors('the outgoing document numbered elsewhere', () =>
    db
      .transaction(() => {
        const duplicates = sameNumberInYear(db, numbering.codeNumber, numbering.codeNotation, numbering.issuedDate.slice(0, 4));
        const { id } = createDocument(db, 'outgoing', metadata, now);
        try {
          prepared(db, "UPDATE documents SET state = 'issued', code_number = ?, code_notation = ?, issued_date = ?, numbered_by = ?, updated_at = ? WHERE id = ?").run(
            numbering.codeNumber,
            numbering.codeNotation ?? null,
            numbering.issuedDate,
            numbering.numberedBy,
            now,
            id,
          );
        } catch (error) {
          if (String(error).includes('CHECK constraint')) {
            throw new VanthuError('BAD_INPUT', { detail: `number "${numbering.codeNumber}/${numbering.codeNotation ?? ''}" does not fit the register (number up to 11 characters, ký hiệu up to 30)` });
          }
          throw error;
        }
        recordHistory(db, { documentId: id, at: now, kind: 'state', from: 'draft', to: 'issued', reason: `numbered and issued by ${numbering.numberedBy}` });
        recordHistory(db, { documentId: id, at: now, kind: 'number', to: numbering.codeNumber, reason: `number given by ${numbering.numberedBy}` });
        return { documentId: id, duplicates };
      })
      .immediate(),
  );
}

/**
 * Outgoing documents with the same number, ký hiệu and year. The store holds one agency's registers,
 * so every outgoing document is in our register, whoever gave its number. Numbers compare without
 * leading zeros ("5" and "05"), ký hiệu without case, as findDuplicates does.
 */
function sameNumberInYear(db: Db, codeNumber: string, codeNotation: string | undefined, year: string): DocumentSummary[] {
  return prepared<SummaryRow>(db,
      `SELECT ${summaryColumns} FROM documents d
        WHERE d.direction = 'outgoing' AND ltrim(d.code_number, '0') = ltrim(?, '0') AND upper(d.code_notation) IS upper(?)
          AND substr(d.issued_date, 1, 4) = ?
        ORDER BY d.id`,
    )
    .all(codeNumber, codeNotation ?? null, year)
    .map(toSummary);
}
