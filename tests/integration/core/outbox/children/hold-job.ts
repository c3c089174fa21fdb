// Child process: a worker whose 'upload' handler takes the job and never finishes, printing "running <jobId> <attempt>", until killed.
import { writeSync } from 'node:fs';
import { OutboxWorker } from '../../../../../src/core/outbox/index.js';
import { open } from '../../../../../src/core/store/index.js';

const [dataDir, leaseMs] = process.argv.slice(2);
const store = open(dataDir!, { integrity: 'skip' });
const worker = new OutboxWorker(store, { leaseMs: Number(leaseMs), pollMs: 20 }).register('upload', async ({ job }) => {
  writeSync(1, `running ${job.id} ${job.attempts}\n`);
  return new Promise<undefined>(() => undefined);
});
worker.start();
