// Child process: issues outgoing numbers until killed, printing each number once its transaction has committed.
import { writeSync } from 'node:fs';
import { assignOutgoingNumber, createDocument, open, transition } from '../../../../../src/core/store/index.js';

const [dataDir, organId] = process.argv.slice(2);
const store = open(dataDir!, { integrity: 'skip' });
for (;;) {
  const { id } = createDocument(store.db, 'outgoing', { organId: organId!, subject: `Văn bản của tiến trình ${process.pid}` });
  transition(store.db, id, 'signed_by_leader');
  writeSync(1, `${assignOutgoingNumber(store.db, id).number}\n`);
}
