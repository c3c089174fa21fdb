// Child process: stores documents with files of random size until killed, printing "committed <documentId> <sha256>" after each commit.
// With "crash-after-blob" it kills itself with SIGKILL right after the blob file is durable and before its row.
import { randomBytes } from 'node:crypto';
import { writeSync } from 'node:fs';
import { addFile, createDocument, open } from '../../../../../src/core/store/index.js';

const [dataDir, mode] = process.argv.slice(2);
const store = open(dataDir!, { integrity: 'skip' });
for (let i = 0; ; i++) {
  const { id } = createDocument(store.db, 'outgoing', { subject: `Tệp thử ${i}` });
  const bytes = randomBytes(64 * 1024 + Math.floor(Math.random() * 2 * 1024 * 1024));
  if (mode === 'crash-after-blob') {
    const { sha256 } = store.blobs.put(bytes);
    writeSync(1, `blob ${sha256}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
  const { revision } = addFile(store.db, store.blobs, id, { role: 'main', name: `van-ban-${i}.pdf`, bytes });
  // Synchronous, so every line printed is a commit that happened before the kill.
  writeSync(1, `committed ${id} ${revision.sha256}\n`);
}
