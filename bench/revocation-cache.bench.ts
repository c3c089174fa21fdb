// Kept revocation data against asking the responder each time, in the same run: wall and CPU per online verification of a
// B-B PDF (OCSP needed) with no cache, the in-memory cache, the client's SQLite store and the server's database (SQLite),
// against the test PKI's `openssl ocsp` on loopback (a real government responder is seconds away, not milliseconds).
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { openDatabase, SqliteRevocationCache } from '../src/core/store/index.js';
import { finalizeAllModules } from '../src/core/token/index.js';
import { MemoryRevocationCache, trustStoreFrom, type RevocationCache } from '../src/core/trust/index.js';
import { validatePdf } from '../src/core/validation/index.js';
import { openServerDatabase } from '../src/server/index.js';
import { DatabaseRevocationCache } from '../src/server/messages/revocation-cache.js';
import { sealedPdf } from '../tests/integration/core/exchange/payloads.js';
import { startRevocationServices } from '../tests/kit/revocation-services.js';
import { leaderRsaKey, loadLine, makeBenchPki, quantile } from './kit/bench-pki.js';

const RUNS = Number(process.env.BENCH_REVOCATION_RUNS ?? 40);
const work = path.resolve(`.tmp/bench-revocation-${process.pid}`);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
console.log(`revocation cache: online validatePdf of a B-B file, Node ${process.version}`);
console.log(`before: ${loadLine()}\n`);

const pki = makeBenchPki(path.join(work, 'pki'));
const services = await startRevocationServices(pki);
const trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
const { key, session } = await leaderRsaKey(pki);
const file = await sealedPdf(key, 'B-B', 100 * 1024);
await session.logout().catch(() => undefined);
await finalizeAllModules();

const clientDb = openDatabase(path.join(work, 'client.db'));
const server = await openServerDatabase(`sqlite:${path.join(work, 'server', 'exchange.db')}`);
const caches: [string, RevocationCache | undefined][] = [
  ['no cache (the responder each time)', undefined],
  ['memory', new MemoryRevocationCache()],
  ['client store (SQLite)', new SqliteRevocationCache(clientDb)],
  ['server database (SQLite, Kysely)', new DatabaseRevocationCache(server.db)],
];

async function measure(cache: RevocationCache | undefined): Promise<{ wallMs: number; cpuMs: number; verdict: string }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  let verdict = '';
  for (let i = 0; i < RUNS + 3; i++) {
    const started = process.hrtime.bigint();
    const before = process.cpuUsage();
    const report = await validatePdf(file, { trust, online: true, ...(cache ? { revocationCache: cache } : {}) });
    const used = process.cpuUsage(before);
    if (i < 3) continue; // warm-up (the first fills the cache)
    wall.push(Number(process.hrtime.bigint() - started) / 1e6);
    cpu.push((used.user + used.system) / 1000);
    verdict = report.verdict;
  }
  return { wallMs: quantile(wall, 0.5), cpuMs: quantile(cpu, 0.5), verdict };
}

const results: { name: string; wallMs: number; cpuMs: number; verdict: string }[] = [];
for (const [name, cache] of caches) results.push({ name, ...(await measure(cache)) });
const peer = results[0]!;
console.log(`median of ${RUNS} verifications (after 3 warm-up)`);
console.log('how                                   wall ms   CPU ms   wall vs responder   verdict');
for (const r of results) {
  console.log(`${r.name.padEnd(38)}${r.wallMs.toFixed(1).padStart(7)}  ${r.cpuMs.toFixed(1).padStart(7)}   ${(peer.wallMs / r.wallMs).toFixed(2).padStart(8)}×          ${r.verdict}`);
}
clientDb.close();
await server.close();
await services.stop();
console.log(`\nafter: ${loadLine()}`);
rmSync(work, { recursive: true, force: true });
