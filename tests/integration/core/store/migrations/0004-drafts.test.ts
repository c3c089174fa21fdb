// Migration 4 (drafts): built at version 3 with a document in it, migrated, then its constraints and cascades checked.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../../../src/core/store/index.js';
import { tempDir } from '../kit.js';

describe('migration 0004-drafts', () => {
  it('adds drafts and their versions to a version-3 database and keeps its documents', () => {
    const file = path.join(tempDir(), 'v.db');
    const v3 = openDatabase(file, { targetVersion: 3 });
    v3.prepare("INSERT INTO documents (id, direction, state, subject, created_at, updated_at) VALUES (1, 'outgoing', 'draft', 'Công văn dự thảo', 0, 0)").run();
    expect(v3.prepare<unknown[], number>("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'draft%' AND type = 'table'").pluck().get()).toBe(0);
    v3.close();

    const db = openDatabase(file, { targetVersion: 4 });
    expect(schemaVersion(db)).toBe(4);
    expect(db.prepare<unknown[], string>("SELECT name FROM sqlite_schema WHERE name LIKE 'draft%' AND type = 'table' ORDER BY name").pluck().all()).toEqual(['draft_versions', 'drafts']);
    expect(db.prepare<unknown[], string>('SELECT subject FROM documents WHERE id = 1').pluck().get()).toBe('Công văn dự thảo');

    const draft = db.prepare("INSERT INTO drafts (id, type, subject, current_version, document_id, created_at, updated_at) VALUES (?, ?, 'Về việc x', 1, ?, 0, 0)");
    expect(() => draft.run(1, 'cong-van', 1)).not.toThrow();
    expect(() => draft.run(2, 'chi-thi', null)).toThrow(/CHECK constraint/);
    const version = db.prepare('INSERT INTO draft_versions (draft_id, version, content, main_source, main_sha256, created_at) VALUES (1, ?, ?, ?, ?, 0)');
    expect(() => version.run(1, '{"type":"cong-van"}', 'render', null)).not.toThrow();
    expect(() => version.run(1, '{}', 'render', null)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => version.run(2, 'not json', 'render', null)).toThrow(/CHECK constraint/);
    // An imported main file needs its blob, and a rendered one has none.
    expect(() => version.run(3, '{}', 'pdf', null)).toThrow(/CHECK constraint/);
    expect(() => version.run(3, '{}', 'pdf', 'a'.repeat(64))).toThrow(/FOREIGN KEY/);
    db.prepare("INSERT INTO blobs (sha256, size, created_at) VALUES (?, 1, 0)").run('a'.repeat(64));
    expect(() => version.run(3, '{}', 'pdf', 'a'.repeat(64))).not.toThrow();
    expect(() => version.run(4, '{}', 'render', 'a'.repeat(64))).toThrow(/CHECK constraint/);

    // Deleting the document keeps the draft, unlinked; deleting the draft takes its versions.
    db.prepare('DELETE FROM documents WHERE id = 1').run();
    expect(db.prepare<unknown[], number | null>('SELECT document_id FROM drafts WHERE id = 1').pluck().get()).toBeNull();
    db.prepare('DELETE FROM drafts WHERE id = 1').run();
    expect(db.prepare<unknown[], number>('SELECT count(*) FROM draft_versions').pluck().get()).toBe(0);
    db.close();
  });
});
