// Migration 1: documents with Decree 30 metadata, recipients, files, signed revisions, blobs, registers and history.
import type { Db } from '../db-types.js';

export const version = 1;
export const name = 'initial';

// Why some choices:
// - Every timestamp is INTEGER milliseconds since the epoch (UTC); legal dates are TEXT yyyy-mm-dd.
// - Lengths are checked in SQL too (length() counts characters), so no path around the zod schema
//   can store a field Appendix VI would reject.
// - A later outbox table only has to reference documents(id): it is added in the same transaction
//   as the domain row by calling the query functions inside one db.transaction().
export function up(db: Db): void {
  db.exec(`
    CREATE TABLE blobs (
      sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
      size INTEGER NOT NULL CHECK (size >= 0),
      created_at INTEGER NOT NULL,
      -- Set by the integrity check: 'missing' or 'hash_mismatch'; NULL when the file is fine.
      problem TEXT CHECK (problem IN ('missing', 'hash_mismatch')),
      checked_at INTEGER
    ) STRICT;

    CREATE TABLE documents (
      id INTEGER PRIMARY KEY,
      direction TEXT NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
      state TEXT NOT NULL,
      organ_id TEXT CHECK (length(organ_id) <= 13),
      organ_name TEXT CHECK (length(organ_name) <= 200),
      code_number TEXT CHECK (length(code_number) <= 11),
      code_notation TEXT CHECK (length(code_notation) <= 30),
      issued_date TEXT CHECK (issued_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      issued_place TEXT CHECK (length(issued_place) <= 100),
      type_name TEXT CHECK (length(type_name) <= 100),
      subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
      language TEXT,
      page_amount INTEGER CHECK (page_amount >= 1),
      description TEXT,
      priority INTEGER NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 4),
      secrecy INTEGER NOT NULL DEFAULT 0 CHECK (secrecy BETWEEN 0 AND 3),
      signer_position TEXT CHECK (length(signer_position) <= 100),
      signer_full_name TEXT CHECK (length(signer_full_name) <= 50),
      issued_amount INTEGER CHECK (issued_amount >= 1),
      due_date TEXT CHECK (due_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
      file_catalog TEXT CHECK (length(file_catalog) <= 4),
      file_notation TEXT CHECK (length(file_notation) <= 20),
      doc_ordinal INTEGER,
      to_places TEXT CHECK (length(to_places) <= 1000),
      exchange_document_id TEXT,
      arrival_number INTEGER,
      arrival_date TEXT,
      -- The exchange server's signed receipt (JSON) once the document is sent.
      receipt TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX documents_by_direction ON documents (direction, id);
    CREATE INDEX documents_by_state ON documents (direction, state, id);
    -- The duplicate check compares numbers without leading zeros and notations without case.
    CREATE INDEX documents_by_code ON documents (ltrim(code_number, '0'), upper(code_notation), organ_id);
    CREATE INDEX documents_by_exchange_id ON documents (exchange_document_id) WHERE exchange_document_id IS NOT NULL;

    CREATE TABLE document_recipients (
      id INTEGER PRIMARY KEY,
      document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      organ_id TEXT NOT NULL CHECK (length(organ_id) BETWEEN 1 AND 13),
      organ_name TEXT NOT NULL CHECK (length(organ_name) BETWEEN 1 AND 200),
      -- edXML status 01..16 reported by this recipient; NULL until the first report.
      status TEXT CHECK (status IN ('01', '02', '03', '04', '05', '06', '13', '15', '16')),
      status_at INTEGER,
      UNIQUE (document_id, organ_id)
    ) STRICT;

    CREATE TABLE document_files (
      id INTEGER PRIMARY KEY,
      document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
      role TEXT NOT NULL CHECK (role IN ('main', 'appendix', 'attachment')),
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
      position INTEGER NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX document_files_by_document ON document_files (document_id, position);
    CREATE UNIQUE INDEX document_files_one_main ON document_files (document_id) WHERE role = 'main';

    -- Every version of a file: revision 1 is what was added, each signature adds the next one.
    CREATE TABLE file_revisions (
      id INTEGER PRIMARY KEY,
      file_id INTEGER NOT NULL REFERENCES document_files (id) ON DELETE CASCADE,
      revision INTEGER NOT NULL CHECK (revision >= 1),
      blob_sha256 TEXT NOT NULL REFERENCES blobs (sha256),
      signature_level TEXT NOT NULL CHECK (signature_level IN ('none', 'B-B', 'B-T', 'B-LT', 'B-LTA')),
      signature_kind TEXT NOT NULL CHECK (signature_kind IN ('none', 'leader', 'seal', 'attachment', 'copy')),
      signer TEXT,
      created_at INTEGER NOT NULL,
      UNIQUE (file_id, revision)
    ) STRICT;
    CREATE INDEX file_revisions_by_blob ON file_revisions (blob_sha256);

    -- Registers (sổ đi / sổ đến): one counter per kind, agency and year; each number issued once.
    CREATE TABLE register_counters (
      kind TEXT NOT NULL CHECK (kind IN ('outgoing', 'incoming')),
      organ_id TEXT NOT NULL,
      year INTEGER NOT NULL,
      last_number INTEGER NOT NULL,
      PRIMARY KEY (kind, organ_id, year)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE register_entries (
      kind TEXT NOT NULL CHECK (kind IN ('outgoing', 'incoming')),
      organ_id TEXT NOT NULL,
      year INTEGER NOT NULL,
      number INTEGER NOT NULL CHECK (number >= 1),
      document_id INTEGER NOT NULL UNIQUE REFERENCES documents (id),
      registered_at INTEGER NOT NULL,
      PRIMARY KEY (kind, organ_id, year, number)
    ) STRICT;

    -- Every state change of a document and every status change of one of its recipients.
    CREATE TABLE document_history (
      id INTEGER PRIMARY KEY,
      document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
      at INTEGER NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('created', 'edited', 'state', 'number', 'recipient_status')),
      from_value TEXT,
      to_value TEXT,
      recipient_organ_id TEXT,
      reason TEXT
    ) STRICT;
    CREATE INDEX document_history_by_document ON document_history (document_id, id);
  `);
}
