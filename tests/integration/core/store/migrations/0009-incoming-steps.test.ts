// Migration 9 (incoming steps): added to a version-8 database; known steps only, an assignment needs its handler and a yyyy-MM-dd deadline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../../../src/core/store/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('migration 0009-incoming-steps', () => {
  it('adds the processing steps to a version-8 database and refuses rows that say nothing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-steps-'));
    dirs.push(dir);
    const file = path.join(dir, 'v.db');
    const v8 = openDatabase(file, { targetVersion: 8 });
    v8.prepare("INSERT INTO documents (id, direction, state, subject, created_at, updated_at) VALUES (1, 'incoming', 'accepted', 'Công văn đến', 0, 0)").run();
    v8.close();

    const db = openDatabase(file, { targetVersion: 9 });
    expect(schemaVersion(db)).toBe(9);
    expect(db.prepare<[], string>('SELECT subject FROM documents WHERE id = 1').pluck().get()).toBe('Công văn đến');
    const put = db.prepare('INSERT INTO incoming_steps (document_id, step, at, actor, handler, deadline, note) VALUES (?, ?, 0, ?, ?, ?, ?)');
    expect(() => put.run(1, 'submitted', 'Giám đốc Trần Văn B', null, null, null)).not.toThrow();
    expect(() => put.run(1, 'assigned', 'Giám đốc', 'Phòng Tổ chức', '2026-12-20', 'Chủ trì tham mưu')).not.toThrow();
    // An assignment without a deadline (or with one not a day), an unknown step, a missing document: refused.
    expect(() => put.run(1, 'assigned', null, 'Phòng Tổ chức', null, null)).toThrow(/CHECK constraint/);
    expect(() => put.run(1, 'assigned', null, 'Phòng Tổ chức', '20/12/2026', null)).toThrow(/CHECK constraint/);
    expect(() => put.run(1, 'archived', null, null, null, null)).toThrow(/CHECK constraint/);
    expect(() => put.run(99, 'done', null, null, null, null)).toThrow(/FOREIGN KEY/);
    db.close();
  });
});
