// Migration 4: drafts composed in vanthu, each a chain of versions (draft JSON, or a main file imported from elsewhere).
import type { Db } from '../db-types.js';

export const version = 4;
export const name = 'drafts';

// Why some choices:
// - A version is never changed once written: editing adds version n + 1, so an older state can be
//   reopened and the leader sees what was approved. `drafts.current_version` is the latest.
// - The whole draft (metadata and body) is one JSON text; the columns copied out of it (type,
//   subject) are only for listing and searching without parsing every version.
// - An imported main file (a Word export, or a .docx converted by LibreOffice) is a blob; the
//   version still carries the draft JSON for the metadata.
// - `document_id` links the draft to the outgoing document it became; deleting the document
//   keeps the draft.
export function up(db: Db): void {
  db.exec(`
    CREATE TABLE drafts (
      id INTEGER PRIMARY KEY,
      type TEXT NOT NULL CHECK (type IN ('cong-van', 'quyet-dinh', 'to-trinh', 'bao-cao', 'thong-bao', 'ke-hoach', 'giay-moi')),
      subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
      current_version INTEGER NOT NULL CHECK (current_version >= 1),
      document_id INTEGER REFERENCES documents (id) ON DELETE SET NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX drafts_by_update ON drafts (updated_at, id);

    CREATE TABLE draft_versions (
      draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
      version INTEGER NOT NULL CHECK (version >= 1),
      content TEXT NOT NULL CHECK (json_valid(content)),
      -- 'render': the PDF is rendered from content; 'pdf' / 'docx': the main file was imported.
      main_source TEXT NOT NULL CHECK (main_source IN ('render', 'pdf', 'docx')),
      main_sha256 TEXT REFERENCES blobs (sha256),
      main_name TEXT CHECK (main_name IS NULL OR length(main_name) BETWEEN 1 AND 255),
      note TEXT CHECK (note IS NULL OR length(note) <= 1000),
      created_at INTEGER NOT NULL,
      PRIMARY KEY (draft_id, version),
      CHECK ((main_source = 'render') = (main_sha256 IS NULL))
    ) STRICT;
  `);
}
