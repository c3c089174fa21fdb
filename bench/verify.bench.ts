// Verification speed against poppler's pdfsig on the same files in the same run: CPU per one-signature 100 KB PDF (B-B and B-LTA,
// evidence in the file, offline, warm process), with the share spent reading the PDF, and a 25-signature file's wall time and peak RSS
// (a fresh process each). Aims (issue 12), printed met or not at the end: 25 signatures < 3 s and < 300 MB; one signature of 100 KB < 15 ms CPU warm.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PdfFile } from '../src/core/pdf/reader/index.js';
import { upgradeSignatures } from '../src/core/signing/index.js';
import { finalizeAllModules } from '../src/core/token/index.js';
import { trustStoreFrom } from '../src/core/trust/index.js';
import { validatePdf } from '../src/core/validation/index.js';
import { readDss } from '../src/core/validation/dss.js';
import { diffRevisions } from '../src/core/validation/revision-diff.js';
import { findSignatureFields } from '../src/core/validation/signature-fields.js';
import { sealedPdf } from '../tests/integration/core/exchange/payloads.js';
import { manySignatures } from '../tests/integration/core/validation/shape-kit.js';
import { startFakeTsa } from '../tests/kit/fake-tsa.js';
import { fixture } from '../tests/kit/pdf-tools.js';
import { startRevocationServices } from '../tests/kit/revocation-services.js';
import { leaderRsaKey, loadLine, makeBenchPki, quantile } from './kit/bench-pki.js';

const RUNS = Number(process.env.BENCH_VERIFY_RUNS ?? 50);
/** Issue 12's aims: CPU per one-signature 100 KB file in a warm process; a 25-signature file's whole fresh process, time and peak memory. */
const AIMS = { oneSignatureCpuMs: 15, manySeconds: 3, manyRssMb: 300 };
const aim = (met: boolean): string => (met ? 'aim met' : 'aim NOT met');
const SIGNATURES = Number(process.env.BENCH_VERIFY_SIGNATURES ?? 25);
const work = path.resolve(`.tmp/bench-verify-${process.pid}`);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
console.log(`verify: vanthu's validatePdf against pdfsig (poppler), Node ${process.version}`);
console.log(`before: ${loadLine()}\n`);

// ------------------------------------------------------------------ files --
const pki = makeBenchPki(path.join(work, 'pki'));
const revocation = await startRevocationServices(pki);
const trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
const tsa = await startFakeTsa(pki);
const { key, session } = await leaderRsaKey(pki);
const bb = await sealedPdf(key, 'B-B', 100 * 1024);
const lta = await upgradeSignatures(bb, 'B-LTA', { tsaUrl: tsa.url, trust });
const many = await manySignatures(fixture('classic-xref.pdf'), key, SIGNATURES);
await session.logout().catch(() => undefined);
await finalizeAllModules();
await tsa.close();
await revocation.stop();
const files = { 'B-B': bb, 'B-LTA': lta, [`${SIGNATURES} signatures`]: many };
const paths = Object.fromEntries(Object.keys(files).map((name) => [name, path.join(work, `${name.replace(/ /g, '-')}.pdf`)]));
for (const [name, bytes] of Object.entries(files)) writeFileSync(paths[name]!, bytes);

// ----------------------------------------------------------------- vanthu --
const median = (values: number[]): number => quantile(values, 0.5);
async function cpuPerCall(work: () => unknown, runs = RUNS): Promise<number> {
  for (let i = 0; i < 5; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const before = process.cpuUsage();
    await work();
    const used = process.cpuUsage(before);
    samples.push((used.user + used.system) / 1000);
  }
  return median(samples);
}
/** The reader's part of a verification: open, find the signatures, read the DSS, and diff every signed revision with the final one. */
function readOnly(bytes: Uint8Array): void {
  const pdf = new PdfFile(bytes);
  const final = pdf.revision();
  for (const field of findSignatureFields(final)) {
    const end = (field.byteRange[2] ?? 0) + (field.byteRange[3] ?? 0);
    if (end < bytes.length - 2) diffRevisions(pdf.revision(end), final);
  }
  readDss(final);
}

interface Line {
  name: string;
  size: number;
  vanthuCpu: number;
  readerCpu: number;
  verdicts: string;
}
const lines: Line[] = [];
for (const name of ['B-B', 'B-LTA']) {
  const bytes = files[name]!;
  const report = await validatePdf(bytes, { trust, online: false });
  lines.push({
    name,
    size: bytes.length,
    vanthuCpu: await cpuPerCall(() => validatePdf(bytes, { trust, online: false })),
    readerCpu: await cpuPerCall(() => readOnly(bytes)),
    verdicts: report.signatures.map((s) => `${s.kind === 'signature' ? s.level : 'timestamp'} ${s.verdict}`).join(', '),
  });
}

// ----------------------------------------------------------------- pdfsig --
interface Timed {
  wallMs: number;
  cpuMs: number;
  maxRssMb: number;
}
function pdfsig(file: string): Timed {
  const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', 'pdfsig', '-nssdir', pki.nssDbSpec, '-no-ocsp', file], { encoding: 'utf8' });
  const [wall, user, system, rss] = run.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number, number];
  return { wallMs: wall * 1000, cpuMs: (user + system) * 1000, maxRssMb: rss / 1024 };
}
const pdfsigRuns = (file: string, runs = 10): Timed => {
  const samples = Array.from({ length: runs }, () => pdfsig(file));
  return { wallMs: median(samples.map((s) => s.wallMs)), cpuMs: median(samples.map((s) => s.cpuMs)), maxRssMb: Math.max(...samples.map((s) => s.maxRssMb)) };
};

// ---------------------------------------------------------- 25 signatures --
const child = fileURLToPath(new URL('./kit/verify-child.ts', import.meta.url));
function freshProcess(file: string): Timed & { processMs: number; verdicts: string[] } {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [...process.execArgv, child, file, path.join(work, 'pki')], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const processMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`verify child failed: ${run.stderr}`);
  return { ...(JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Timed & { verdicts: string[] }), processMs };
}
const manyName = `${SIGNATURES} signatures`;
const fresh = [0, 1, 2].map(() => freshProcess(paths[manyName]!));
const manyWarm = await cpuPerCall(() => validatePdf(many, { trust, online: false }), 5);
const manyReader = await cpuPerCall(() => readOnly(many), 5);

// ----------------------------------------------------------------- report --
/** GNU time counts CPU in hundredths of a second. */
const cpuText = (ms: number): string => (ms < 10 ? '<10' : ms.toFixed(0));
console.log('one signature, warm process, offline (evidence in the file); CPU ms per verification, median');
console.log('file         size     vanthu   (reading the PDF)   pdfsig whole process (CPU / wall)   verdicts');
const aims: string[] = [];
for (const line of lines) {
  const peer = pdfsigRuns(paths[line.name]!);
  console.log(
    `${line.name.padEnd(12)} ${(line.size / 1024).toFixed(0).padStart(4)} KB  ${line.vanthuCpu.toFixed(1).padStart(6)} ms  (${line.readerCpu.toFixed(2).padStart(5)} ms)          ${cpuText(peer.cpuMs).padStart(4)} ms / ${peer.wallMs.toFixed(0).padStart(4)} ms              ${line.verdicts}`,
  );
  aims.push(`${line.name} one signature, warm: ${line.vanthuCpu.toFixed(1)} ms CPU, aim < ${AIMS.oneSignatureCpuMs} ms: ${aim(line.vanthuCpu < AIMS.oneSignatureCpuMs)}`);
}
const peerMany = pdfsigRuns(paths[manyName]!, 3);
console.log(`\n${manyName} (${(many.length / 1024).toFixed(0)} KB), a fresh process each, median of 3`);
console.log(`  vanthu validatePdf: ${median(fresh.map((f) => f.wallMs)).toFixed(0)} ms wall, ${median(fresh.map((f) => f.cpuMs)).toFixed(0)} ms CPU; whole process ${median(fresh.map((f) => f.processMs)).toFixed(0)} ms; peak RSS ${Math.max(...fresh.map((f) => f.maxRssMb)).toFixed(0)} MB`);
console.log(`  vanthu warm: ${manyWarm.toFixed(0)} ms CPU per verification, of which reading the PDF and diffing ${SIGNATURES} revisions ${manyReader.toFixed(1)} ms`);
console.log(`  pdfsig: ${peerMany.wallMs.toFixed(0)} ms wall, ${cpuText(peerMany.cpuMs)} ms CPU, peak RSS ${peerMany.maxRssMb.toFixed(0)} MB`);
console.log(`  verdicts: ${[...new Set(fresh[0]!.verdicts)].join(', ')} (offline: B-B signatures without revocation data are indeterminate)`);
// The whole fresh process (start, load, read, verify), not only validatePdf's share: what a user waits for.
const manySeconds = median(fresh.map((f) => f.processMs)) / 1000;
const manyRss = Math.max(...fresh.map((f) => f.maxRssMb));
aims.push(`${manyName}, fresh process: ${manySeconds.toFixed(2)} s, aim < ${AIMS.manySeconds} s: ${aim(manySeconds < AIMS.manySeconds)}; peak RSS ${manyRss.toFixed(0)} MB, aim < ${AIMS.manyRssMb} MB: ${aim(manyRss < AIMS.manyRssMb)}`);
console.log(`\naims (issue 12, item 5)\n${aims.map((line) => `  ${line}`).join('\n')}`);
console.log(`\nafter: ${loadLine()}`);
// BENCH_VERIFY_KEEP=1 keeps the files and the PKI for profiling (node --cpu-prof on bench/kit/verify-child.ts).
if (process.env.BENCH_VERIFY_KEEP) console.log(`files kept in ${work}`);
else rmSync(work, { recursive: true, force: true });
