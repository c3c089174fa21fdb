// Migration 6 (incoming checks): added to a version-5 database with an incoming document; its constraints and the document link checked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../../../src/core/store/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('migration 0006-incoming-checks', () => {
  it('adds the held-document flags to a version-5 database', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-checks-'));
    dirs.push(dir);
    const file = path.join(dir, 'v.db');
    const v5 = openDatabase(file, { targetVersion: 5 });
    v5.prepare("INSERT INTO documents (id, direction, state, subject, created_at, updated_at) VALUES (1, 'incoming', 'registered', 'Công văn đến', 0, 0)").run();
    v5.prepare("INSERT INTO documents (id, direction, state, subject, created_at, updated_at) VALUES (2, 'incoming', 'registered', 'Công văn khác', 0, 0)").run();
    v5.close();

    const db = openDatabase(file, { targetVersion: 6 });
    expect(schemaVersion(db)).toBe(6);
    const flag = db.prepare('INSERT INTO incoming_checks (document_id, message_id, outcome, reason, attempts, next_check_at, flagged_at) VALUES (?, ?, ?, ?, ?, ?, 0)');
    expect(() => flag.run(1, 'm1', 'indeterminate', 'CHAIN_UNTRUSTED', 0, 1000)).not.toThrow();
    expect(() => flag.run(1, 'm1', 'indeterminate', 'again', 0, 1000)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => flag.run(2, 'm2', 'valid', 'x', 0, 1000)).toThrow(/CHECK constraint/);
    expect(() => flag.run(2, 'm2', 'indeterminate', 'x', -1, 1000)).toThrow(/CHECK constraint/);
    // Still indeterminate means a next check; invalid means the clerk decides, no next check.
    expect(() => flag.run(2, 'm2', 'indeterminate', 'x', 0, null)).toThrow(/CHECK constraint/);
    expect(() => flag.run(2, 'm2', 'invalid', 'x', 0, 5)).toThrow(/CHECK constraint/);
    expect(() => flag.run(99, 'm9', 'indeterminate', 'x', 0, 5)).toThrow(/FOREIGN KEY/);
    // The flag goes with its document.
    db.prepare('DELETE FROM documents WHERE id = 1').run();
    expect(db.prepare<unknown[], number>('SELECT count(*) FROM incoming_checks').pluck().get()).toBe(0);
    db.close();
  });
});
