// Child of private-data.test.ts: opens every kind of data folder vanthu writes (run under the umask the parent chose) and reports the modes on disk.
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { open, sha256Hex } from '../../../../src/core/store/index.js';
import { openServerDatabase } from '../../../../src/server/index.js';
import { RotatingFile } from '../../../../src/main/logger.js';

const [root] = process.argv.slice(2);
if (!root) throw new Error('usage: private-data-child ROOT');

/** Every path under `root` with its kind and permission bits ("dir 700", "file 600"), read while the databases are open (-wal and -shm exist only then). */
function modes(): Record<string, string> {
  const describe = (full: string): string => {
    const info = lstatSync(full);
    return `${info.isDirectory() ? 'dir' : 'file'} ${(info.mode & 0o777).toString(8)}`;
  };
  const out: Record<string, string> = { '.': describe(root!) };
  for (const entry of readdirSync(root!, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(root!, full)] = describe(full);
  }
  return out;
}

// The app's (and the CLI's --data) store twice, as two starts would: the notice must come once.
for (let start = 0; start < 2; start++) {
  const store = open(path.join(root, 'data'), { integrity: 'quick' });
  const sent = store.blobs.put(new TextEncoder().encode(`công văn ${start}`));
  if (start === 0) {
    // A received file, written off the event loop (putAsync), into a blob folder of its own.
    let received = 0;
    const shard = (sha256: string): string => path.dirname(store.blobs.pathOf(sha256));
    while (shard(sha256Hex(new TextEncoder().encode(`văn bản đến ${received}`))) === shard(sent.sha256)) received += 1;
    await store.blobs.putAsync(new TextEncoder().encode(`văn bản đến ${received}`));
    const server = await openServerDatabase(`sqlite:${path.join(root, 'srv', 'vanthu-server', 'exchange.db')}`);
    new RotatingFile(path.join(root, 'data', 'logs'), 'vanthu.log', 1024, 2).append('{"event":"start"}\n');
    process.stdout.write(`${JSON.stringify(modes())}\n`);
    await server.close();
  }
  store.close();
}
