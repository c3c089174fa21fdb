import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../../../src/core/store/index.js';
import path from 'node:path';
import { tempDir } from '../kit.js';

const tables = (db: ReturnType<typeof openDatabase>): string[] =>
  db.prepare<unknown[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'documents_fts%' ORDER BY name").pluck().all();

describe('migration 0001-initial', () => {
  it('turns an empty file (version 0) into the documents, files, blobs, registers and history schema', () => {
    const file = path.join(tempDir(), 'v.db');
    const empty = openDatabase(file, { targetVersion: 0 });
    expect(schemaVersion(empty)).toBe(0);
    expect(tables(empty)).toEqual([]);
    empty.close();

    const db = openDatabase(file, { targetVersion: 1 });
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual([
      'blobs',
      'document_files',
      'document_history',
      'document_recipients',
      'documents',
      'file_revisions',
      'register_counters',
      'register_entries',
    ]);
    db.close();
  });

  it('enforces Appendix VI lengths and the allowed values in SQL as well', () => {
    const db = openDatabase(path.join(tempDir(), 'v.db'), { targetVersion: 1 });
    const insert = (subject: string, notation: string | null, priority: number) =>
      db
        .prepare("INSERT INTO documents (direction, state, subject, code_notation, priority, created_at, updated_at) VALUES ('outgoing', 'draft', ?, ?, ?, 0, 0)")
        .run(subject, notation, priority);
    expect(() => insert('Trích yếu', 'UBND-VP', 0)).not.toThrow();
    expect(() => insert('ă'.repeat(500), null, 0)).not.toThrow();
    expect(() => insert('ă'.repeat(501), null, 0)).toThrow(/CHECK constraint/);
    expect(() => insert('Trích yếu', 'X'.repeat(31), 0)).toThrow(/CHECK constraint/);
    expect(() => insert('Trích yếu', null, 5)).toThrow(/CHECK constraint/);
    expect(() => insert('', null, 0)).toThrow(/CHECK constraint/);
    expect(db.prepare<unknown[], number>('SELECT count(*) FROM documents').pluck().get()).toBe(2);
    db.close();
  });

  it('keeps a register number unique and a revision pointing at a stored blob', () => {
    const db = openDatabase(path.join(tempDir(), 'v.db'), { targetVersion: 1 });
    db.prepare("INSERT INTO documents (id, direction, state, subject, created_at, updated_at) VALUES (1, 'outgoing', 'draft', 'a', 0, 0), (2, 'outgoing', 'draft', 'b', 0, 0)").run();
    const entry = db.prepare("INSERT INTO register_entries (kind, organ_id, year, number, document_id, registered_at) VALUES ('outgoing', 'X', 2026, 1, ?, 0)");
    entry.run(1);
    expect(() => entry.run(2)).toThrow(/UNIQUE/);
    db.prepare("INSERT INTO document_files (id, document_id, role, name, position, created_at) VALUES (1, 1, 'main', 'a.pdf', 0, 0)").run();
    expect(() =>
      db
        .prepare("INSERT INTO file_revisions (file_id, revision, blob_sha256, signature_level, signature_kind, created_at) VALUES (1, 1, ?, 'none', 'none', 0)")
        .run('a'.repeat(64)),
    ).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO document_files (document_id, role, name, position, created_at) VALUES (1, 'main', 'b.pdf', 1, 0)").run()).toThrow(/UNIQUE/);
    db.close();
  });
});
