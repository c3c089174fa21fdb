// Migration 2: full-text search (FTS5, diacritics folded) over subject, number/notation and parties, kept by triggers.
import type { Db } from '../db-types.js';

export const version = 2;
export const name = 'search';

/**
 * unicode61 with remove_diacritics folds every Vietnamese tone and vowel mark ("Bằng" -> "bang") but
 * keeps đ, a letter of its own in Unicode: it is folded to d here and in the query (search.ts).
 */
const fold = (expr: string): string => `replace(replace(${expr}, 'đ', 'd'), 'Đ', 'D')`;

const indexedColumns = (d: string): string => `${fold(`${d}.subject`)},
           ${fold(`concat_ws(' ', ${d}.code_number, ${d}.code_notation, ${d}.exchange_document_id)`)},
           ${fold(`concat_ws(' ', ${d}.organ_id, ${d}.organ_name, ${d}.signer_full_name, ${d}.signer_position, ${d}.to_places,
                     (SELECT group_concat(r.organ_id || ' ' || r.organ_name, ' ') FROM document_recipients r WHERE r.document_id = ${d}.id))`)}`;

// Rebuilds the index row of one document; `id` is the SQL expression naming it in each trigger.
const row = (id: string): string => `
  DELETE FROM documents_fts WHERE rowid = ${id};
  INSERT INTO documents_fts (rowid, subject, code, parties) SELECT d.id, ${indexedColumns('d')} FROM documents d WHERE d.id = ${id};`;

export function up(db: Db): void {
  db.exec(`
    CREATE VIRTUAL TABLE documents_fts USING fts5 (subject, code, parties, tokenize = 'unicode61 remove_diacritics 2');

    CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN ${row('new.id')} END;
    CREATE TRIGGER documents_fts_update AFTER UPDATE OF subject, code_number, code_notation, exchange_document_id,
      organ_id, organ_name, signer_full_name, signer_position, to_places ON documents BEGIN ${row('new.id')} END;
    CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN DELETE FROM documents_fts WHERE rowid = old.id; END;
    CREATE TRIGGER recipients_fts_insert AFTER INSERT ON document_recipients BEGIN ${row('new.document_id')} END;
    CREATE TRIGGER recipients_fts_update AFTER UPDATE OF organ_id, organ_name ON document_recipients BEGIN ${row('new.document_id')} END;
    CREATE TRIGGER recipients_fts_delete AFTER DELETE ON document_recipients BEGIN ${row('old.document_id')} END;
  `);
  // Index what was stored before this migration.
  db.exec(`INSERT INTO documents_fts (rowid, subject, code, parties) SELECT d.id, ${indexedColumns('d')} FROM documents d`);
}
