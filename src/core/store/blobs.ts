// Content-addressed file store: dataDir/blobs/ab/cdef… named by SHA-256, written temp -> fsync -> rename -> fsync dir.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { open as openFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { VanthuError } from '../../shared/errors.js';
import { ensurePrivateDir, mkdirPrivate, mkdirPrivateAsync, openPrivate, PRIVATE_FILE_MODE } from '../fs/private-dir.js';
import { syncDirectory } from '../fs/sync-directory.js';
import { isDiskFullError } from './sqlite-errors.js';

/** A failure to write a file into the store: a full disk says so in words; anything else as it is. */
const storeFailure = (error: unknown, name: string): unknown => (isDiskFullError(error) ? new VanthuError('STORE_DISK_FULL', { what: `file ${name}` }, { cause: error }) : error);

export interface BlobRef {
  sha256: string;
  size: number;
}

const SHA256 = /^[0-9a-f]{64}$/;

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Chunk of the streamed hash: big enough to keep the disk busy, small beside any file worth streaming. */
const CHUNK = 1 << 20;

/**
 * SHA-256 and size of a file read chunk by chunk (never whole). With `adopting`, the file is also
 * made private (0600, as every blob) and fsynced through the same handle.
 */
async function hashFile(file: string, adopting: boolean): Promise<BlobRef> {
  const handle = await openFile(file, adopting ? 'r+' : 'r');
  try {
    if (adopting && process.platform !== 'win32') await handle.chmod(PRIVATE_FILE_MODE);
    const hash = createHash('sha256');
    const chunk = Buffer.allocUnsafe(CHUNK);
    let size = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, CHUNK, size);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(0, bytesRead));
      size += bytesRead;
    }
    if (adopting) await handle.sync();
    return { sha256: hash.digest('hex'), size };
  } finally {
    await handle.close();
  }
}

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

  /** A fresh temp path for the bytes of `sha256` while put or putAsync writes them. */
  private writingPath(sha256: string): string {
    return path.join(this.tmpDir, `${sha256}.${process.pid}.${randomBytes(4).toString('hex')}`);
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
    const tmp = this.writingPath(sha256);
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
      throw storeFailure(error, sha256);
    }
    return { sha256, size: bytes.length };
  }

  /**
   * As `put`, with the writing, fsyncs and rename on libuv's thread pool instead of the event loop (a received
   * file: the app's screen and the other downloads go on meanwhile). Durable when the promise resolves.
   */
  async putAsync(bytes: Uint8Array): Promise<BlobRef> {
    const sha256 = sha256Hex(bytes);
    const target = this.pathOf(sha256);
    const present = await stat(target).catch(() => undefined);
    if (present?.size === bytes.length && (await hashFile(target, false)).sha256 === sha256) return { sha256, size: bytes.length };
    const tmp = this.writingPath(sha256);
    try {
      const handle = await openFile(tmp, 'wx', PRIVATE_FILE_MODE);
      try {
        if (process.platform !== 'win32') await handle.chmod(PRIVATE_FILE_MODE);
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      const dir = path.dirname(target);
      await mkdirPrivateAsync(dir);
      await rename(tmp, target);
      await syncDirectory(dir);
    } catch (error) {
      await rm(tmp, { force: true });
      throw storeFailure(error, sha256);
    }
    return { sha256, size: bytes.length };
  }

  /**
   * A fresh path in the store's temp folder for a file to be written there and then adopted (same
   * file system, so adopting is a rename). Not created here; a crash leaves it to the next open's
   * integrity check, which removes old temp files.
   */
  tempPath(label: string): string {
    if (!/^[a-z0-9-]{1,32}$/.test(label)) throw new VanthuError('BAD_INPUT', { detail: `temp file label: ${label}` });
    return path.join(this.tmpDir, `${label}.${process.pid}.${randomBytes(6).toString('hex')}`);
  }

  /**
   * Takes a finished file from the store's temp folder as a blob: hashed as it is streamed (never
   * read whole), fsynced, renamed under its hash. When that content is stored already (and intact)
   * the temp file is removed instead. Durable when this returns; the caller then records the row.
   * On failure the temp file is removed too: the caller's input is spent either way.
   */
  async adopt(file: string): Promise<BlobRef> {
    const source = path.resolve(file);
    // Only from our own temp folder: the rename must stay on this file system, and a blob is never a file the user still owns.
    if (path.dirname(source) !== path.resolve(this.tmpDir)) throw new VanthuError('BAD_INPUT', { detail: `not in the store's temp folder: ${file}` });
    try {
      const blob = await hashFile(source, true);
      const target = this.pathOf(blob.sha256);
      // Same content already stored: keep it, unless the file on disk was damaged, which this one replaces.
      if (existsSync(target) && statSync(target).size === blob.size && (await hashFile(target, false)).sha256 === blob.sha256) {
        rmSync(source, { force: true });
        return blob;
      }
      const dir = path.dirname(target);
      mkdirPrivate(dir);
      renameSync(source, target);
      fsyncDir(dir);
      return blob;
    } catch (error) {
      rmSync(source, { force: true });
      throw storeFailure(error, path.basename(source));
    }
  }

  /** The bytes, checked against their hash: a changed file is an error, never returned as if valid. */
  read(sha256: string): Buffer {
    const file = this.pathOf(sha256);
    if (!existsSync(file)) throw new VanthuError('STORE_BLOB_MISSING', { sha256 });
    const bytes = readFileSync(file);
    if (sha256Hex(bytes) !== sha256) throw new VanthuError('STORE_BLOB_CORRUPT', { sha256 });
    return bytes;
  }

  /**
   * The bytes, hash-checked, at the start of a buffer `room` bytes longer, the rest left for the
   * caller to append to (a PDF's incremental updates) without copying the file. The room is
   * allocated but not touched, so it costs no memory until written.
   */
  readWithRoom(sha256: string, room: number): { storage: Buffer; size: number } {
    const file = this.pathOf(sha256);
    if (!existsSync(file)) throw new VanthuError('STORE_BLOB_MISSING', { sha256 });
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      const storage = Buffer.allocUnsafeSlow(size + room);
      for (let at = 0; at < size; ) {
        const read = readSync(fd, storage, at, size - at, at);
        if (read === 0) throw new VanthuError('STORE_BLOB_CORRUPT', { sha256 });
        at += read;
      }
      if (sha256Hex(storage.subarray(0, size)) !== sha256) throw new VanthuError('STORE_BLOB_CORRUPT', { sha256 });
      return { storage, size };
    } finally {
      closeSync(fd);
    }
  }

  /** Removes the file (after its row is gone); the directory fsync makes the removal durable. */
  remove(sha256: string): void {
    const file = this.pathOf(sha256);
    rmSync(file, { force: true });
    if (existsSync(path.dirname(file))) fsyncDir(path.dirname(file));
  }
}
