// A document's files (main PDF, appendices, attachments) and every signed revision of each, over the blob store.
import { statSync } from 'node:fs';
import type { FileRole, SignatureKind, SignatureLevel } from '../../shared/document.js';
import { VanthuError } from '../../shared/errors.js';
import type { BlobRef, BlobStore } from './blobs.js';
import type { Db } from './db-types.js';
import { prepared } from './statements.js';
import { getState } from './documents.js';
import { withStoreErrors } from './sqlite-errors.js';

export interface RevisionRecord {
  revision: number;
  sha256: string;
  size: number;
  signatureLevel: SignatureLevel;
  signatureKind: SignatureKind;
  signer: string | null;
  createdAt: number;
  /** Set by the integrity check when the stored file is gone or changed. */
  problem: 'missing' | 'hash_mismatch' | null;
}

export interface FileRecord {
  id: number;
  documentId: number;
  role: FileRole;
  name: string;
  position: number;
  revisions: RevisionRecord[];
}

interface RevisionFacts {
  signatureLevel?: SignatureLevel;
  signatureKind?: SignatureKind;
  /** Who signed (certificate subject), for display; never a PIN or a key. */
  signer?: string;
  now?: number;
}

/**
 * A new revision's content: its bytes (written here), or a blob already durable in the store (a
 * big signed file adopted by BlobStore.adopt, never held in memory whole).
 */
export type NewRevision = RevisionFacts & ({ bytes: Uint8Array; blob?: never } | { blob: BlobRef; bytes?: never });

/** The revision's blob, durable before any row: written now, or checked to be there already (existence and size, no read). */
function durableBlob(blobs: BlobStore, next: NewRevision): BlobRef {
  if (next.bytes !== undefined) return blobs.put(next.bytes);
  const { sha256, size } = next.blob;
  const stat = statSync(blobs.pathOf(sha256), { throwIfNoEntry: false });
  if (stat === undefined) throw new VanthuError('STORE_BLOB_MISSING', { sha256 });
  if (stat.size !== size) throw new VanthuError('STORE_BLOB_CORRUPT', { sha256 });
  return { sha256, size };
}

// The order that keeps row and file together: the blob file is written and fsynced first, then the
// rows commit in one transaction. A crash in between leaves a file without a row, which the
// integrity check quarantines; a row never points to a file that was not fully written.
/** Records (or heals) the row of a blob whose file is already durable; also for blobs other modules own (the outbox's images). */
export function recordBlob(db: Db, sha256: string, size: number, now: number): void {
  // A row marked missing/changed is healed by writing the same content again.
  prepared(db, 'INSERT INTO blobs (sha256, size, created_at) VALUES (?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET problem = NULL, checked_at = ?').run(
    sha256,
    size,
    now,
    now,
  );
}

/** Adds a file to a document; its bytes become revision 1 (unsigned unless said otherwise). */
export function addFile(
  db: Db,
  blobs: BlobStore,
  documentId: number,
  file: { role: FileRole; name: string } & NewRevision,
): { fileId: number; revision: RevisionRecord } {
  const now = file.now ?? Date.now();
  if (file.name.length === 0 || file.name.length > 255) throw new VanthuError('BAD_INPUT', { detail: 'file name: 1 to 255 characters' });
  getState(db, documentId);
  const blob = durableBlob(blobs, file);
  return withStoreErrors('the file record', () =>
    db.transaction(() => {
      getState(db, documentId);
      recordBlob(db, blob.sha256, blob.size, now);
      const position = prepared<number>(db, 'SELECT count(*) FROM document_files WHERE document_id = ?').pluck().get(documentId) ?? 0;
      let fileId: number;
      try {
        fileId = Number(
          prepared(db, 'INSERT INTO document_files (document_id, role, name, position, created_at) VALUES (?, ?, ?, ?, ?)')
            .run(documentId, file.role, file.name, position, now).lastInsertRowid,
        );
      } catch (error) {
        if (file.role === 'main' && String(error).includes('UNIQUE')) {
          throw new VanthuError('BAD_INPUT', { detail: `document ${documentId} already has a main file` });
        }
        throw error;
      }
      const revision = insertRevision(db, fileId, 1, blob.sha256, blob.size, file, now);
      return { fileId, revision };
    }).immediate(),
  );
}

/** Stores a new version of a file (after a signature), from bytes or an adopted blob; earlier revisions stay. */
export function addRevision(db: Db, blobs: BlobStore, fileId: number, next: NewRevision): RevisionRecord {
  const now = next.now ?? Date.now();
  const blob = durableBlob(blobs, next);
  return withStoreErrors('the signed revision', () =>
    db.transaction(() => {
      const last = prepared<number | null>(db, 'SELECT max(revision) FROM file_revisions WHERE file_id = ?').pluck().get(fileId);
      if (last === null || last === undefined) throw new VanthuError('STORE_NOT_FOUND', { what: 'file', id: fileId });
      recordBlob(db, blob.sha256, blob.size, now);
      return insertRevision(db, fileId, last + 1, blob.sha256, blob.size, next, now);
    }).immediate(),
  );
}

function insertRevision(db: Db, fileId: number, revision: number, sha256: string, size: number, next: NewRevision, now: number): RevisionRecord {
  const record: RevisionRecord = {
    revision,
    sha256,
    size,
    signatureLevel: next.signatureLevel ?? 'none',
    signatureKind: next.signatureKind ?? 'none',
    signer: next.signer ?? null,
    createdAt: now,
    problem: null,
  };
  prepared(db,
    'INSERT INTO file_revisions (file_id, revision, blob_sha256, signature_level, signature_kind, signer, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(fileId, revision, sha256, record.signatureLevel, record.signatureKind, record.signer, now);
  return record;
}

interface RevisionRow {
  file_id: number;
  revision: number;
  blob_sha256: string;
  size: number;
  signature_level: SignatureLevel;
  signature_kind: SignatureKind;
  signer: string | null;
  created_at: number;
  problem: 'missing' | 'hash_mismatch' | null;
}

/** The files of a document in order, each with all its revisions (oldest first). */
export function listFiles(db: Db, documentId: number): FileRecord[] {
  const files = prepared<{ id: number; role: FileRole; name: string; position: number }>(db,
      'SELECT id, role, name, position FROM document_files WHERE document_id = ? ORDER BY position',
    )
    .all(documentId);
  const revisions = prepared<RevisionRow>(db,
      `SELECT r.file_id, r.revision, r.blob_sha256, b.size, r.signature_level, r.signature_kind, r.signer, r.created_at, b.problem
         FROM file_revisions r JOIN document_files f ON f.id = r.file_id JOIN blobs b ON b.sha256 = r.blob_sha256
        WHERE f.document_id = ? ORDER BY r.file_id, r.revision`,
    )
    .all(documentId);
  return files.map((f) => ({
    id: f.id,
    documentId,
    role: f.role,
    name: f.name,
    position: f.position,
    revisions: revisions
      .filter((r) => r.file_id === f.id)
      .map((r) => ({
        revision: r.revision,
        sha256: r.blob_sha256,
        size: r.size,
        signatureLevel: r.signature_level,
        signatureKind: r.signature_kind,
        signer: r.signer,
        createdAt: r.created_at,
        problem: r.problem,
      })),
  }));
}

/** The bytes of a file's latest revision, hash-checked. */
export function readLatest(db: Db, blobs: BlobStore, fileId: number): Buffer {
  const sha256 = prepared<string>(db, 'SELECT blob_sha256 FROM file_revisions WHERE file_id = ? ORDER BY revision DESC LIMIT 1')
    .pluck()
    .get(fileId);
  if (sha256 === undefined) throw new VanthuError('STORE_NOT_FOUND', { what: 'file', id: fileId });
  return blobs.read(sha256);
}
