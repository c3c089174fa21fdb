// The exchange server in its own process for bench/server-submit.bench.ts and bench/exchange-send.bench.ts: reports its port, then its verification and request times and its CPU (worker threads included) on request.
import { trustStoreFrom } from '../../src/core/trust/index.js';
import { buildServer, ephemeralReceiptKey, openServerDatabase } from '../../src/server/index.js';

const url = process.env.BENCH_DB_URL!;
const database = await openServerDatabase(url);
const stats = { pdfChecks: 0, verifyMs: 0, submissions: 0, submitMs: 0 };
// BENCH_VERIFY_THREADS: 0 inline, N or auto; BENCH_VERIFY_CACHE: verdicts kept (0: none).
const threadsSetting = process.env.BENCH_VERIFY_THREADS ?? '0';
const app = await buildServer({
  database,
  trust: await trustStoreFrom({ pemOrDerFiles: [process.env.BENCH_ROOT_PEM!] }),
  origin: process.env.BENCH_ORIGIN!,
  receiptKey: ephemeralReceiptKey(),
  revocation: { online: true, requireKnown: true, timeoutMs: 5000 },
  limits: { requestsPerMinute: 10_000_000 },
  logger: false,
  verification: { threads: threadsSetting === 'auto' ? 'auto' : Number(threadsSetting), cacheEntries: Number(process.env.BENCH_VERIFY_CACHE ?? 0) },
  metrics: {
    pdfChecked: (ms) => {
      stats.pdfChecks += 1;
      stats.verifyMs += ms;
    },
  },
});
// Server-side time of each submission, from its first byte to its answer.
const startedAt = new WeakMap<object, number>();
app.addHook('onRequest', async (request) => {
  if (request.method === 'POST' && request.url === '/v1/messages') startedAt.set(request, performance.now());
});
app.addHook('onResponse', async (request) => {
  const started = startedAt.get(request);
  if (started === undefined) return;
  stats.submissions += 1;
  stats.submitMs += performance.now() - started;
});
const address = await app.listen({ port: 0, host: '127.0.0.1' });

process.on('message', (message: { type: string }) => {
  if (message.type === 'stats') process.send!({ type: 'stats', ...stats, cpu: process.cpuUsage() });
  if (message.type === 'reset') Object.assign(stats, { pdfChecks: 0, verifyMs: 0, submissions: 0, submitMs: 0 });
  if (message.type === 'stop') void app.close().then(() => database.close()).then(() => process.exit(0));
});
process.send!({ type: 'ready', address });
