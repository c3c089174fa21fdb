// Migration 5 (exchange): added to a version-4 database with a document; its constraints and the document link checked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../../../src/core/store/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('migration 0005-exchange', () => {
  it('adds message links, cursors and the directory cache to a version-4 database', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-exchange-'));
    dirs.push(dir);
    const file = path.join(dir, 'v.db');
    const v4 = openDatabase(file, { targetVersion: 4 });
    v4.prepare("INSERT INTO documents (id, direction, state, subject, created_at, updated_at) VALUES (1, 'incoming', 'received', 'Công văn đến', 0, 0)").run();
    v4.close();

    const db = openDatabase(file, { targetVersion: 5 });
    expect(schemaVersion(db)).toBe(5);
    const link = db.prepare('INSERT INTO exchange_messages (message_id, direction, document_id, receipt, created_at) VALUES (?, ?, ?, NULL, 0)');
    expect(() => link.run('m1', 'incoming', 1)).not.toThrow();
    expect(() => link.run('m1', 'incoming', 1)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => link.run('m2', 'sideways', 1)).toThrow(/CHECK constraint/);
    expect(() => link.run('m3', 'incoming', 99)).toThrow(/FOREIGN KEY/);
    const cursor = db.prepare('INSERT INTO exchange_cursors (name, value) VALUES (?, ?)');
    expect(() => cursor.run('inbox', -1)).toThrow(/CHECK constraint/);
    expect(() => cursor.run('elsewhere', 1)).toThrow(/CHECK constraint/);
    const upload = db.prepare('INSERT INTO exchange_uploads (sha256, location, created_at) VALUES (?, ?, 0)');
    expect(() => upload.run('a'.repeat(64), '/v1/uploads/x')).not.toThrow();
    expect(() => upload.run('short', '/v1/uploads/y')).toThrow(/CHECK constraint/);
    // Deleting the document keeps the link (so a redelivery is still only acked).
    db.prepare('DELETE FROM documents WHERE id = 1').run();
    expect(db.prepare<unknown[], number | null>("SELECT document_id FROM exchange_messages WHERE message_id = 'm1'").pluck().get()).toBeNull();
    db.close();
  });
});
