// The exchange server in its own process for bench/server-submit.bench.ts and bench/exchange-send.bench.ts: reports its port, then its verification and request times and its CPU (worker threads included) on request.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { trustStoreFrom } from '../../src/core/trust/index.js';
import { buildServer, ephemeralReceiptKey, openServerDatabase, tuneHeapForServer } from '../../src/server/index.js';

const stats = { pdfChecks: 0, verifyMs: 0, submissions: 0, submitMs: 0, dbQueries: 0, poolWaitMs: 0, poolWaits: 0 };
// PostgreSQL only (bench instrumentation): each Client.query is one round trip; Pool.connect's wait is the time a
// request queued for one of the pool's connections.
const clientQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  stats.dbQueries += 1;
  return clientQuery.apply(this, args);
} as typeof pg.Client.prototype.query;
const poolConnect = pg.Pool.prototype.connect as (...args: unknown[]) => Promise<unknown>;
pg.Pool.prototype.connect = async function (this: pg.Pool, ...args: unknown[]) {
  const asked = performance.now();
  const client = await poolConnect.apply(this, args);
  stats.poolWaits += 1;
  stats.poolWaitMs += performance.now() - asked;
  return client;
} as typeof pg.Pool.prototype.connect;
// How late the event loop runs its callbacks: main-thread work queueing behind itself.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();

/** CPU ms of this process's main thread (Linux /proc, 10 ms ticks; undefined elsewhere): the rest of process.cpuUsage is the worker threads'. */
function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

// As `vanthu server` runs (heap-tuning.ts); BENCH_SERVER_HEAP=v8-default leaves V8's own setting, to compare.
if (process.env.BENCH_SERVER_HEAP !== 'v8-default') tuneHeapForServer();
const url = process.env.BENCH_DB_URL!;
const database = await openServerDatabase(url);
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
  if (message.type === 'stats') process.send!({ type: 'stats', ...stats, cpu: process.cpuUsage(), maxRssKb: process.resourceUsage().maxRSS, mainThreadCpuMs: mainThreadCpuMs(), loopDelayP99Ms: loopDelay.percentile(99) / 1e6, loopDelayMeanMs: loopDelay.mean / 1e6 });
  if (message.type === 'reset') {
    Object.assign(stats, { pdfChecks: 0, verifyMs: 0, submissions: 0, submitMs: 0, dbQueries: 0, poolWaitMs: 0, poolWaits: 0 });
    loopDelay.reset();
  }
  if (message.type === 'stop') void app.close().then(() => database.close()).then(() => process.exit(0));
});
process.send!({ type: 'ready', address });
