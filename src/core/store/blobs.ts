// Content-addressed file store: dataDir/blobs/ab/cdef… named by SHA-256, written temp -> fsync -> rename -> fsync dir.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { VanthuError } from '../../shared/errors.js';
import { ensurePrivateDir, mkdirPrivate, openPrivate } from '../fs/private-dir.js';
import { isDiskFullError } from './sqlite-errors.js';

export interface BlobRef {
  sha256: string;
  size: number;
}

const SHA256 = /^[0-9a-f]{64}$/;

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Directory fsync makes a rename durable; Windows cannot open directories, and its renames need no such step. */
function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export class BlobStore {
  readonly root: string;
  readonly tmpDir: string;
  readonly quarantineDir: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'blobs');
    // Temp files live under the same root so the final rename never crosses file systems.
    this.tmpDir = path.join(this.root, 'tmp');
    this.quarantineDir = path.join(dataDir, 'blobs-quarantine');
    ensurePrivateDir(this.root);
    mkdirPrivate(this.tmpDir);
  }

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new VanthuError('BAD_INPUT', { detail: `not a SHA-256 hex digest: ${sha256}` });
    return path.join(this.root, sha256.slice(0, 2), sha256.slice(2));
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  /**
   * Writes the bytes under their hash and returns the reference. The file is complete and durable when
   * this returns; the caller then records the row.
   */
  put(bytes: Uint8Array): BlobRef {
    const sha256 = sha256Hex(bytes);
    const target = this.pathOf(sha256);
    // Same content already stored: keep it, unless the file on disk was damaged, which this write repairs.
    if (existsSync(target) && statSync(target).size === bytes.length && sha256Hex(readFileSync(target)) === sha256) {
      return { sha256, size: bytes.length };
    }
    const tmp = path.join(this.tmpDir, `${sha256}.${process.pid}.${randomBytes(4).toString('hex')}`);
    try {
      const fd = openPrivate(tmp, 'wx');
      try {
        let offset = 0;
        while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      const dir = path.dirname(target);
      mkdirPrivate(dir);
      renameSync(tmp, target);
      fsyncDir(dir);
    } catch (error) {
      rmSync(tmp, { force: true });
      if (isDiskFullError(error)) throw new VanthuError('STORE_DISK_FULL', { what: `file ${sha256}` }, { cause: error });
      throw error;
    }
    return { sha256, size: bytes.length };
  }

  /** The bytes, checked against their hash: a changed file is an error, never returned as if valid. */
  read(sha256: string): Buffer {
    const file = this.pathOf(sha256);
    if (!existsSync(file)) throw new VanthuError('STORE_BLOB_MISSING', { sha256 });
    const bytes = readFileSync(file);
    if (sha256Hex(bytes) !== sha256) throw new VanthuError('STORE_BLOB_CORRUPT', { sha256 });
    return bytes;
  }

  /** Removes the file (after its row is gone); the directory fsync makes the removal durable. */
  remove(sha256: string): void {
    const file = this.pathOf(sha256);
    rmSync(file, { force: true });
    if (existsSync(path.dirname(file))) fsyncDir(path.dirname(file));
  }
}
