// Writes a PDF being signed straight to disk, part by part: a temp file next to the output, /Contents patched by a positioned write, then fsync and rename.
import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { VanthuError, isVanthuError } from '../../shared/errors.js';
import type { ContentsPatch } from './placeholder.js';
import { syncDirectory } from '../fs/sync-directory.js';

export interface PreparedFile {
  /** The temp file, renamed to the output by commit(). */
  readonly tempPath: string;
  /** Replaces the temp file's content with the parts, one after the other (the original, then the update): no part is copied. */
  write(parts: readonly Uint8Array[]): Promise<void>;
  /** Writes the parts after what the file holds (the updates of B-LT and B-LTA): the bytes before are not written again. */
  append(parts: readonly Uint8Array[]): Promise<void>;
  /** Writes the signature into /Contents where the file already holds its zeros. */
  patch(patch: ContentsPatch): Promise<void>;
  /** fsync, rename over the output, fsync the directory: the output is either the old file or the whole new one. */
  commit(): Promise<void>;
  /** Closes and removes the temp file (after a failure); the output is left as it was. */
  discard(): Promise<void>;
}

async function writeFully(handle: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/** A full disk says so (nothing already saved is lost); any other failure to write names the file. */
function writeFailure(error: unknown, target: string): Error {
  if (isVanthuError(error) || error instanceof RangeError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new VanthuError('STORE_DISK_FULL', { what: target }, { cause: error });
  return new VanthuError('PDF_OUTPUT_NOT_WRITABLE', { file: target, reason: code ?? (error instanceof Error ? error.message : String(error)) }, { cause: error });
}

/** Runs a file operation, turning its failure into a VanthuError that names the output. */
async function writing<T>(target: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw writeFailure(error, target);
  }
}

export async function openPreparedFile(output: string): Promise<PreparedFile> {
  const target = path.resolve(output);
  const tempPath = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await writing(target, () => open(tempPath, 'wx+'));
  let length = 0;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    tempPath,
    async write(parts) {
      await writing(target, async () => {
        await handle.truncate(0);
        length = 0;
        for (const part of parts) {
          await writeFully(handle, part, length);
          length += part.length;
        }
      });
    },
    async append(parts) {
      await writing(target, async () => {
        for (const part of parts) {
          await writeFully(handle, part, length);
          length += part.length;
        }
      });
    },
    async patch({ offset, bytes }) {
      if (offset < 0 || offset + bytes.length > length) throw new RangeError(`patch at ${offset}+${bytes.length} is outside the ${length} bytes written`);
      await writing(target, () => writeFully(handle, bytes, offset));
    },
    async commit() {
      await writing(target, async () => {
        await handle.sync();
        await close();
        await rename(tempPath, target);
        await syncDirectory(path.dirname(target));
      });
    },
    async discard() {
      await close().catch(() => undefined);
      await rm(tempPath, { force: true });
    },
  };
}
