// Migration 7 (numbered by): added to a version-6 database with documents; existing rows stay "numbered by our register", the column's constraints checked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getDocument, openDatabase, schemaVersion } from '../../../../../src/core/store/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('migration 0007-numbered-by', () => {
  it('marks who numbered an outgoing document, only for issued outgoing documents, leaving existing ones as our own', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-numbered-by-'));
    dirs.push(dir);
    const file = path.join(dir, 'v.db');
    const v6 = openDatabase(file, { targetVersion: 6 });
    const insert = v6.prepare('INSERT INTO documents (id, direction, state, subject, code_number, issued_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0)');
    insert.run(1, 'outgoing', 'issued', 'Công văn đi của ta', '05', '2026-03-01');
    insert.run(2, 'incoming', 'registered', 'Công văn đến', '12', '2026-02-20');
    insert.run(3, 'outgoing', 'draft', 'Dự thảo', null, null);
    v6.close();

    const db = openDatabase(file, { targetVersion: 7 });
    expect(schemaVersion(db)).toBe(7);
    expect(db.prepare<unknown[], number>('SELECT count(*) FROM documents WHERE numbered_by IS NOT NULL').pluck().get()).toBe(0);
    expect(getDocument(db, 1)).not.toHaveProperty('numberedBy');
    const mark = db.prepare('UPDATE documents SET numbered_by = ? WHERE id = ?');
    expect(() => mark.run('https://qlvb.caobang.gov.vn', 1)).not.toThrow();
    expect(getDocument(db, 1)).toMatchObject({ numberedBy: 'https://qlvb.caobang.gov.vn', codeNumber: '05' });
    // Incoming documents are numbered by their sender, not marked; a number from elsewhere comes with its date.
    expect(() => mark.run('https://qlvb.caobang.gov.vn', 2)).toThrow(/CHECK constraint/);
    expect(() => mark.run('https://qlvb.caobang.gov.vn', 3)).toThrow(/CHECK constraint/);
    expect(() => mark.run('', 1)).toThrow(/CHECK constraint/);
    expect(() => mark.run('x'.repeat(513), 1)).toThrow(/CHECK constraint/);
    db.close();
  });
});
