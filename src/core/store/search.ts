// Full-text search over subject, number/notation and parties (FTS5, diacritics folded), newest first, keyset-paged.
import type { Direction } from '../../shared/document.js';
import type { Db } from './db-types.js';
import { prepared } from './statements.js';
import { pageLimit, summaryColumns, toPage, type DocumentSummary, type Page, type SummaryRow } from './documents.js';

export interface SearchOptions {
  direction?: Direction;
  limit?: number;
  after?: number | null;
}

/**
 * Turns what the user typed into an FTS5 query: every word must match, the last one as a prefix
 * (search while typing). Words are quoted, so FTS5 operators and punctuation in the input
 * ("05/UBND-VP", "AND", quotes) are plain text, never syntax.
 */
export function toMatchQuery(text: string): string | null {
  // đ is folded to d in the index too (see migration 0002): FTS5's diacritic removal keeps it.
  const words = text
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  if (words.length === 0) return null;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

export function searchDocuments(db: Db, text: string, options: SearchOptions = {}): Page<DocumentSummary> {
  const match = toMatchQuery(text);
  const limit = pageLimit(options.limit);
  if (match === null) return { items: [], nextCursor: null };
  const where = ['documents_fts MATCH ?'];
  const params: (string | number)[] = [match];
  if (options.after !== undefined && options.after !== null) {
    // A rowid bound on the FTS table itself: FTS5 then starts its doclist walk at the cursor.
    where.push('documents_fts.rowid < ?');
    params.push(options.after);
  }
  if (options.direction !== undefined) {
    where.push('d.direction = ?');
    params.push(options.direction);
  }
  const rows = prepared<SummaryRow>(db,
      `SELECT ${summaryColumns} FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid
        WHERE ${where.join(' AND ')} ORDER BY documents_fts.rowid DESC LIMIT ?`,
    )
    .all(...params, limit + 1);
  return toPage(rows, limit);
}
