// Writes a PDF being signed straight to disk, part by part: a temp file next to the output, /Contents patched by a positioned write, then fsync and rename.
import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { ContentsPatch } from './placeholder.js';

export interface PreparedFile {
  /** The temp file, renamed to the output by commit(). */
  readonly tempPath: string;
  /** Replaces the temp file's content with the parts, one after the other (the original, then the update): no part is copied. */
  write(parts: readonly Uint8Array[]): Promise<void>;
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

/** Directory fsync makes the rename durable; Windows cannot open directories, and its renames need no such step. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function openPreparedFile(output: string): Promise<PreparedFile> {
  const target = path.resolve(output);
  const tempPath = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(tempPath, 'wx+');
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
      await handle.truncate(0);
      length = 0;
      for (const part of parts) {
        await writeFully(handle, part, length);
        length += part.length;
      }
    },
    async patch({ offset, bytes }) {
      if (offset < 0 || offset + bytes.length > length) throw new RangeError(`patch at ${offset}+${bytes.length} is outside the ${length} bytes written`);
      await writeFully(handle, bytes, offset);
    },
    async commit() {
      await handle.sync();
      await close();
      await rename(tempPath, target);
      await syncDirectory(path.dirname(target));
    },
    async discard() {
      await close().catch(() => undefined);
      await rm(tempPath, { force: true });
    },
  };
}
