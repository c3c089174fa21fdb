// Child of the verify bench: validates one PDF once in a fresh process and prints its wall time, CPU time and peak RSS as JSON.
import { readFileSync } from 'node:fs';
import { trustStoreFrom } from '../../src/core/trust/index.js';
import { validatePdf } from '../../src/core/validation/index.js';
import { readBenchPki } from './bench-pki.js';

const [file, pkiDir] = process.argv.slice(2) as [string, string];
const pki = readBenchPki(pkiDir);
const trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
const bytes = new Uint8Array(readFileSync(file));
// BENCH_VERIFY_REPEAT>1 verifies again first (a warm process), for profiling with --cpu-prof.
for (let i = 1; i < Number(process.env.BENCH_VERIFY_REPEAT ?? 1); i++) await validatePdf(bytes, { trust, online: false });
const cpu = process.cpuUsage();
const start = process.hrtime.bigint();
const report = await validatePdf(bytes, { trust, online: false });
const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    verdicts: report.signatures.map((s) => s.verdict),
  }),
);
