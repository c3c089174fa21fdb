// Child process: issues COUNT outgoing numbers for fresh documents against one shared data folder, printing each number.
import { assignOutgoingNumber, createDocument, open, transition } from '../../../../../src/core/store/index.js';

const [dataDir, countText, organId] = process.argv.slice(2);
const store = open(dataDir!, { integrity: 'skip' });
for (let i = 0; i < Number(countText); i++) {
  const { id } = createDocument(store.db, 'outgoing', { organId: organId!, subject: `Văn bản của tiến trình ${process.pid} số ${i}` });
  transition(store.db, id, 'signed_by_leader');
  const { number } = assignOutgoingNumber(store.db, id);
  process.stdout.write(`${number}\n`);
}
store.close();
