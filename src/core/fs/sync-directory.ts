// Making a rename (or a removal) in a folder durable: fsync of the folder itself, off the event loop.
import { open } from 'node:fs/promises';

/** Directory fsync makes the rename durable; Windows cannot open directories, and its renames need no such step. */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
