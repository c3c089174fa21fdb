// File reading and crash-safe writing for the CLI: temp file, fsync, rename.
import { open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { VanthuError } from '../shared/errors.js';

export async function readInput(file: string): Promise<Uint8Array> {
  try {
    // The Buffer itself (a Uint8Array): copying it would hold a 100 MB document twice.
    return await readFile(file);
  } catch (error) {
    throw new VanthuError('BAD_INPUT', { detail: `cannot read ${file} / không đọc được tệp` }, { cause: error });
  }
}

/** Writes `bytes` so that `file` is either the old content or the whole new one, never half. */
export async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  await rename(temp, file);
  const directory = await open(path.dirname(file), 'r');
  await directory.sync().finally(() => directory.close());
}
