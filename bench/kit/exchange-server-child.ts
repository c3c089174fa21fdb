// The exchange server for bench/exchange-send.bench.ts in its own process, as `vanthu server` runs it (a pool of verifying threads): reports its address, then its CPU time on request.
import { trustStoreFrom } from '../../src/core/trust/index.js';
import { buildServer, ephemeralReceiptKey, openServerDatabase } from '../../src/server/index.js';

const database = await openServerDatabase(process.env.BENCH_DB_URL!);
const app = await buildServer({
  database,
  trust: await trustStoreFrom({ pemOrDerFiles: [process.env.BENCH_ROOT_PEM!] }),
  origin: process.env.BENCH_ORIGIN!,
  receiptKey: ephemeralReceiptKey(),
  revocation: { online: true, requireKnown: true, timeoutMs: 5000 },
  limits: { requestsPerMinute: 10_000_000 },
  logger: false,
  verification: { threads: 'auto' },
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });

process.on('message', (message: { type: string }) => {
  // process.cpuUsage counts the verifying threads too.
  if (message.type === 'cpu') process.send!({ type: 'cpu', cpu: process.cpuUsage() });
  if (message.type === 'stop') void app.close().then(() => database.close()).then(() => process.exit(0));
});
process.send!({ type: 'ready', address });
