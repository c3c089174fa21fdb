// Startup check of blob files against blob rows: quarantines orphan files, reports missing or changed files, never drops a row.
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { mkdirPrivate } from '../fs/private-dir.js';
import { sha256Hex, type BlobStore } from './blobs.js';
import type { Db } from './db-types.js';
import { prepared } from './statements.js';

export interface BlobProblem {
  sha256: string;
  problem: 'missing' | 'hash_mismatch';
  /** Documents with a revision stored in this blob: they need attention. */
  documentIds: number[];
}

export interface IntegrityReport {
  /** Interrupted writes removed from blobs/tmp. */
  tempFilesRemoved: number;
  /** Files with no row (a crash between file and row), moved to blobs-quarantine/. */
  orphansQuarantined: string[];
  /** Rows whose file is gone or changed: kept, marked in blobs.problem, and listed here. */
  needsAttention: BlobProblem[];
  /** Rows marked before whose file is fine again (restored by the user, or written again). */
  recovered: string[];
  checkedBlobs: number;
}

export interface IntegrityOptions {
  /** Hash every file (reads everything); otherwise existence and size only. */
  verifyHashes?: boolean;
  /**
   * Files younger than this are left alone: another process (the CLI beside the app) may have
   * written the file and be about to commit its row.
   */
  minOrphanAgeMs?: number;
  now?: number;
}

const HEX2 = /^[0-9a-f]{2}$/;
const HEX62 = /^[0-9a-f]{62}$/;

export function checkIntegrity(db: Db, blobs: BlobStore, options: IntegrityOptions = {}): IntegrityReport {
  const now = options.now ?? Date.now();
  const minAge = options.minOrphanAgeMs ?? 5 * 60_000;
  const oldEnough = (file: string): boolean => now - statSync(file).mtimeMs >= minAge;
  const report: IntegrityReport = { tempFilesRemoved: 0, orphansQuarantined: [], needsAttention: [], recovered: [], checkedBlobs: 0 };

  for (const name of existsSync(blobs.tmpDir) ? readdirSync(blobs.tmpDir) : []) {
    const file = path.join(blobs.tmpDir, name);
    if (!oldEnough(file)) continue;
    rmSync(file, { force: true });
    report.tempFilesRemoved++;
  }

  const hasRow = prepared<number>(db, 'SELECT 1 FROM blobs WHERE sha256 = ?').pluck();
  for (const dir of readdirSync(blobs.root)) {
    if (!HEX2.test(dir)) continue;
    for (const rest of readdirSync(path.join(blobs.root, dir))) {
      const file = path.join(blobs.root, dir, rest);
      const sha256 = dir + rest;
      if (HEX62.test(rest) && hasRow.get(sha256) !== undefined) continue;
      if (!oldEnough(file)) continue;
      quarantine(blobs, file, sha256);
      report.orphansQuarantined.push(sha256);
    }
  }

  const rows = prepared<{ sha256: string; size: number; problem: BlobProblem['problem'] | null }>(db, 'SELECT sha256, size, problem FROM blobs').all();
  const documentsOf = prepared<number>(db,
      `SELECT DISTINCT f.document_id FROM file_revisions r JOIN document_files f ON f.id = r.file_id WHERE r.blob_sha256 = ? ORDER BY f.document_id`,
    )
    .pluck();
  const mark = prepared(db, 'UPDATE blobs SET problem = ?, checked_at = ? WHERE sha256 = ?');
  for (const row of rows) {
    report.checkedBlobs++;
    const problem = inspect(blobs, row.sha256, row.size, options.verifyHashes ?? false);
    if (problem !== null) {
      mark.run(problem, now, row.sha256);
      report.needsAttention.push({ sha256: row.sha256, problem, documentIds: documentsOf.all(row.sha256) });
    } else if (row.problem !== null) {
      mark.run(null, now, row.sha256);
      report.recovered.push(row.sha256);
    }
  }
  return report;
}

function inspect(blobs: BlobStore, sha256: string, size: number, verifyHash: boolean): BlobProblem['problem'] | null {
  const file = blobs.pathOf(sha256);
  if (!existsSync(file)) return 'missing';
  if (statSync(file).size !== size) return 'hash_mismatch';
  if (verifyHash && sha256Hex(readFileSync(file)) !== sha256) return 'hash_mismatch';
  return null;
}

/** Kept rather than deleted: an orphan may be the only copy of a signed file from a crashed run. */
function quarantine(blobs: BlobStore, file: string, name: string): void {
  mkdirPrivate(blobs.quarantineDir);
  renameSync(file, path.join(blobs.quarantineDir, `${name}.${Date.now()}`));
}
