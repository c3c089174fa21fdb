// Migration 3 (outbox): built at version 2 with documents in it, migrated, then its constraints and cascades checked.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../../../src/core/store/index.js';
import { tempDir } from '../kit.js';

describe('migration 0003-outbox', () => {
  it('adds the job, history and batch tables to a version-2 database and keeps its documents', () => {
    const file = path.join(tempDir(), 'v.db');
    const v2 = openDatabase(file, { targetVersion: 2 });
    v2.prepare("INSERT INTO documents (id, direction, state, subject, created_at, updated_at) VALUES (1, 'outgoing', 'issued', 'Công văn đã ban hành', 0, 0)").run();
    expect(v2.prepare<unknown[], number>("SELECT count(*) FROM sqlite_schema WHERE name LIKE 'outbox_%' AND type = 'table'").pluck().get()).toBe(0);
    v2.close();

    const db = openDatabase(file, { targetVersion: 3 });
    expect(schemaVersion(db)).toBe(3);
    expect(db.prepare<unknown[], string>("SELECT name FROM sqlite_schema WHERE name LIKE 'outbox_%' AND type = 'table' ORDER BY name").pluck().all()).toEqual([
      'outbox_batches',
      'outbox_job_history',
      'outbox_jobs',
    ]);
    expect(db.prepare<unknown[], string>('SELECT subject FROM documents WHERE id = 1').pluck().get()).toBe('Công văn đã ban hành');

    const insert = db.prepare(
      `INSERT INTO outbox_jobs (kind, lane, document_id, payload, state, waiting_for, max_attempts, run_after, lease_owner, lease_expires_at, created_at, updated_at)
       VALUES (?, 'document:1', 1, ?, ?, ?, 3, 0, ?, ?, 0, 0)`,
    );
    expect(() => insert.run('submit', '{}', 'pending', null, null, null)).not.toThrow();
    // Payloads are JSON; states, waiting reasons and leases must agree with each other.
    expect(() => insert.run('submit', 'not json', 'pending', null, null, null)).toThrow(/CHECK constraint/);
    expect(() => insert.run('submit', '{}', 'lost', null, null, null)).toThrow(/CHECK constraint/);
    expect(() => insert.run('submit', '{}', 'waiting', null, null, null)).toThrow(/CHECK constraint/);
    expect(() => insert.run('submit', '{}', 'pending', 'login', null, null)).toThrow(/CHECK constraint/);
    expect(() => insert.run('submit', '{}', 'running', null, null, null)).toThrow(/CHECK constraint/);
    expect(() => insert.run('submit', '{}', 'running', null, 'w', 10)).not.toThrow();
    expect(() => insert.run('sign', '{}', 'waiting', 'token', null, null)).not.toThrow();
    expect(() => insert.run('', '{}', 'pending', null, null, null)).toThrow(/CHECK constraint/);
    db.prepare("INSERT INTO outbox_job_history (job_id, at, event) VALUES (1, 0, 'enqueued')").run();
    expect(() => db.prepare("INSERT INTO outbox_job_history (job_id, at, event) VALUES (1, 0, 'vanished')").run()).toThrow(/CHECK constraint/);

    // One open batch per request key; a finished one may be followed by another.
    const batch = db.prepare("INSERT INTO outbox_batches (batch_key, kind, options, state, total, created_at, updated_at) VALUES ('k', 'sign', '{}', ?, 1, 0, 0)");
    batch.run('open');
    expect(() => batch.run('open')).toThrow(/UNIQUE/);
    db.prepare("UPDATE outbox_batches SET state = 'finished'").run();
    expect(() => batch.run('open')).not.toThrow();

    // Deleting a document takes its jobs and their history with it.
    db.prepare('DELETE FROM documents WHERE id = 1').run();
    expect(db.prepare<unknown[], number>('SELECT count(*) FROM outbox_jobs').pluck().get()).toBe(0);
    expect(db.prepare<unknown[], number>('SELECT count(*) FROM outbox_job_history').pluck().get()).toBe(0);
    db.close();
  });
});
