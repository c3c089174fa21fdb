// Drafts and their versions: create, edit (a new version each time, refused on a stale version), read, list, attach an imported main file.
import { draftSchema, type Draft, type DraftType } from '../../shared/draft.js';
import { VanthuError } from '../../shared/errors.js';
import type { BlobStore } from './blobs.js';
import type { Db } from './db-types.js';
import { getState } from './documents.js';
import { prepared } from './statements.js';
import { withStoreErrors } from './sqlite-errors.js';

export type DraftMainSource = 'render' | 'pdf' | 'docx';

export interface DraftVersionRecord {
  draftId: number;
  version: number;
  /** The latest version of the draft (equal to `version` for the latest). */
  currentVersion: number;
  type: DraftType;
  subject: string;
  documentId: number | null;
  draft: Draft;
  mainSource: DraftMainSource;
  mainSha256: string | null;
  mainName: string | null;
  note: string | null;
  createdAt: number;
}

export interface DraftSummary {
  id: number;
  type: DraftType;
  subject: string;
  currentVersion: number;
  documentId: number | null;
  updatedAt: number;
}

export interface DraftVersionSummary {
  version: number;
  mainSource: DraftMainSource;
  mainName: string | null;
  note: string | null;
  createdAt: number;
}

interface VersionRow {
  draft_id: number;
  version: number;
  current_version: number;
  type: DraftType;
  subject: string;
  document_id: number | null;
  content: string;
  main_source: DraftMainSource;
  main_sha256: string | null;
  main_name: string | null;
  note: string | null;
  created_at: number;
}

function validDraft(input: unknown): Draft {
  const result = draftSchema.safeParse(input);
  if (!result.success) throw new VanthuError('BAD_INPUT', { detail: result.error.issues.map((i) => `${i.path.join('.') || '(draft)'}: ${i.message}`).join('; ') });
  return result.data;
}

export interface SaveOptions {
  now?: number;
  /** What changed, for the version list ("sửa theo ý kiến lãnh đạo"). */
  note?: string;
}

/** Stores a new draft as version 1. */
export function createDraft(db: Db, input: unknown, options: SaveOptions = {}): { id: number; version: number } {
  const draft = validDraft(input);
  const now = options.now ?? Date.now();
  return withStoreErrors('the draft', () =>
    db.transaction(() => {
      const id = Number(
        prepared(db, 'INSERT INTO drafts (type, subject, current_version, created_at, updated_at) VALUES (?, ?, 1, ?, ?)').run(draft.type, draft.subject, now, now)
          .lastInsertRowid,
      );
      insertVersion(db, id, 1, draft, { source: 'render' }, options.note, now);
      return { id, version: 1 };
    }).immediate(),
  );
}

interface MainFile {
  source: DraftMainSource;
  sha256?: string;
  name?: string;
}

function insertVersion(db: Db, id: number, version: number, draft: Draft, main: MainFile, note: string | undefined, now: number): void {
  prepared(db,
    'INSERT INTO draft_versions (draft_id, version, content, main_source, main_sha256, main_name, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(id, version, JSON.stringify(draft), main.source, main.sha256 ?? null, main.name ?? null, note ?? null, now);
}

/** The current version, refusing when someone saved a newer one since `expected` was read. */
function currentVersion(db: Db, id: number, expected: number): number {
  const current = prepared<number>(db, 'SELECT current_version FROM drafts WHERE id = ?').pluck().get(id);
  if (current === undefined) throw new VanthuError('STORE_NOT_FOUND', { what: 'draft', id });
  if (current !== expected) throw new VanthuError('DRAFT_VERSION_CONFLICT', { id, expected, current });
  return current;
}

function bump(db: Db, id: number, version: number, draft: Draft, now: number): void {
  prepared(db, 'UPDATE drafts SET current_version = ?, type = ?, subject = ?, updated_at = ? WHERE id = ?').run(version, draft.type, draft.subject, now, id);
}

/**
 * Saves an edit as the next version. `expectedVersion` is the version the edit started from:
 * a draft changed meanwhile (another window, another process) is not overwritten.
 */
export function saveDraft(db: Db, id: number, input: unknown, expectedVersion: number, options: SaveOptions = {}): { id: number; version: number } {
  const draft = validDraft(input);
  const now = options.now ?? Date.now();
  return withStoreErrors('the draft', () =>
    db.transaction(() => {
      const version = currentVersion(db, id, expectedVersion) + 1;
      insertVersion(db, id, version, draft, { source: 'render' }, options.note, now);
      bump(db, id, version, draft, now);
      return { id, version };
    }).immediate(),
  );
}

/**
 * Makes a file made elsewhere (already checked to be a usable PDF) the draft's main file, as a
 * new version that keeps the current metadata.
 */
export function attachDraftMain(
  db: Db,
  blobs: BlobStore,
  id: number,
  file: { bytes: Uint8Array; name: string; source: 'pdf' | 'docx' },
  expectedVersion: number,
  options: SaveOptions = {},
): { id: number; version: number; sha256: string } {
  if (file.name.length === 0 || file.name.length > 255) throw new VanthuError('BAD_INPUT', { detail: 'file name: 1 to 255 characters' });
  const now = options.now ?? Date.now();
  // The file is durable before the row that points to it commits (see files.ts).
  const blob = blobs.put(file.bytes);
  return withStoreErrors('the draft', () =>
    db.transaction(() => {
      const version = currentVersion(db, id, expectedVersion) + 1;
      const latest = getDraft(db, id);
      prepared(db, 'INSERT INTO blobs (sha256, size, created_at) VALUES (?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET problem = NULL, checked_at = ?').run(
        blob.sha256,
        blob.size,
        now,
        now,
      );
      insertVersion(db, id, version, latest.draft, { source: file.source, sha256: blob.sha256, name: file.name }, options.note, now);
      bump(db, id, version, latest.draft, now);
      return { id, version, sha256: blob.sha256 };
    }).immediate(),
  );
}

/** A version of a draft (the latest when `version` is not given). */
export function getDraft(db: Db, id: number, version?: number): DraftVersionRecord {
  const row = prepared<VersionRow>(db,
    `SELECT v.draft_id, v.version, d.current_version, d.type, d.subject, d.document_id, v.content, v.main_source, v.main_sha256, v.main_name, v.note, v.created_at
       FROM drafts d JOIN draft_versions v ON v.draft_id = d.id
      WHERE d.id = ? AND v.version = coalesce(?, d.current_version)`,
  ).get(id, version ?? null);
  if (row === undefined) throw new VanthuError('STORE_NOT_FOUND', { what: version === undefined ? 'draft' : `draft version ${version}`, id });
  return {
    draftId: row.draft_id,
    version: row.version,
    currentVersion: row.current_version,
    type: row.type,
    subject: row.subject,
    documentId: row.document_id,
    // Written by this module from a validated draft: parsing again keeps old versions readable after schema defaults change.
    draft: validDraft(JSON.parse(row.content)),
    mainSource: row.main_source,
    mainSha256: row.main_sha256,
    mainName: row.main_name,
    note: row.note,
    createdAt: row.created_at,
  };
}

/** Most recently edited first. */
export function listDrafts(db: Db, limit = 100): DraftSummary[] {
  return prepared<{ id: number; type: DraftType; subject: string; current_version: number; document_id: number | null; updated_at: number }>(db,
    'SELECT id, type, subject, current_version, document_id, updated_at FROM drafts ORDER BY updated_at DESC, id DESC LIMIT ?',
  )
    .all(Math.min(Math.max(Math.trunc(limit), 1), 500))
    .map((r) => ({ id: r.id, type: r.type, subject: r.subject, currentVersion: r.current_version, documentId: r.document_id, updatedAt: r.updated_at }));
}

export function listDraftVersions(db: Db, id: number): DraftVersionSummary[] {
  getDraft(db, id);
  return prepared<{ version: number; main_source: DraftMainSource; main_name: string | null; note: string | null; created_at: number }>(db,
    'SELECT version, main_source, main_name, note, created_at FROM draft_versions WHERE draft_id = ? ORDER BY version',
  )
    .all(id)
    .map((r) => ({ version: r.version, mainSource: r.main_source, mainName: r.main_name, note: r.note, createdAt: r.created_at }));
}

/** Records the outgoing document a draft became. */
export function linkDraftToDocument(db: Db, id: number, documentId: number, now = Date.now()): void {
  getState(db, documentId);
  withStoreErrors('the draft', () => {
    const changed = prepared(db, 'UPDATE drafts SET document_id = ?, updated_at = ? WHERE id = ?').run(documentId, now, id).changes;
    if (changed === 0) throw new VanthuError('STORE_NOT_FOUND', { what: 'draft', id });
  });
}

/** The draft an outgoing document was composed from (the most recent when several were linked), or undefined. */
export function findDraftForDocument(db: Db, documentId: number): DraftVersionRecord | undefined {
  const id = prepared<number>(db, 'SELECT id FROM drafts WHERE document_id = ? ORDER BY updated_at DESC, id DESC LIMIT 1').pluck().get(documentId);
  return id === undefined ? undefined : getDraft(db, id);
}
