// How fast the `vanthu` command starts and verifies, against `node -e 0` and poppler's pdfsig on the same files (aims of issue 13).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { signPdf } from '../src/core/signing/index.js';
import { finalizeAllModules } from '../src/core/token/index.js';
import { leaderRsaKey, loadLine, makeBenchPki } from './kit/bench-pki.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const FILES = Number(process.env.BENCH_FILES ?? 100);
const AIMS = { helpSeconds: 0.15, verifyOneSeconds: 0.4, verifyManyVsPdfsig: 3 };
const work = path.resolve('.tmp/bench-cli-start');
mkdirSync(work, { recursive: true });
const node = process.execPath;

console.log(`cli-start: median of ${RUNS} runs, ${FILES} files for the batch, Node ${process.version}, ${loadLine()}`);
// The bundle the command runs from (built only when a source changed), as `npm start` and `npm test` do.
spawnSync(node, ['scripts/build-cli.mjs'], { stdio: 'inherit' });

// ------------------------------------------------------------- inputs --
const pki = makeBenchPki(path.join(work, 'pki'));
const { key, session } = await leaderRsaKey(pki);
const files = Array.from({ length: FILES }, (_, i) => path.join(work, `cong-van-${String(i + 1).padStart(3, '0')}.pdf`));
for (const [i, file] of files.entries()) {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([595.28, 841.89]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  page.drawText(`So: ${i + 1}/UBND-VP  V/v trien khai ke hoach chuyen doi so nam 2026`, { x: 56, y: 790, size: 11, font });
  writeFileSync(file, (await signPdf(await doc.save({ useObjectStreams: false }), key, { level: 'B-B' })).bytes);
}
await session.logout();
await finalizeAllModules();
const trust = ['--trust', pki.rootPem];
/** Exit of an intact, trusted signature whose revocation was not checked (offline): indeterminate. */
const VERIFY_EXIT = 1;

// -------------------------------------------------------------- timing --
/** GNU time reports the child's CPU seconds: on a loaded machine wall time is mostly waiting for a core, CPU time is the work. */
const GNU_TIME = '/usr/bin/time';
const withCpu = existsSync(GNU_TIME);
interface Sample {
  wall: number;
  cpu: number;
}
/** One run of `command`; throws unless it exits with `expectCode`. */
function timed(command: string, args: string[], expectCode = 0): Sample {
  const [file, argv] = withCpu ? [GNU_TIME, ['-f', '@cpu %U %S', command, ...args]] : [command, args];
  const start = process.hrtime.bigint();
  const run = spawnSync(file, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== expectCode) throw new Error(`${command} ${args.join(' ')}: exit ${run.status ?? run.signal}\n${run.stdout}${run.stderr}`);
  const [, user, system] = /@cpu ([\d.]+) ([\d.]+)\s*$/.exec(run.stderr) ?? [];
  return { wall, cpu: user === undefined ? Number.NaN : Number(user) + Number(system) };
}
const median = (samples: number[]): number => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
/** The two commands take turns, so load from other work on the machine falls on both alike; medians of wall and CPU time. */
function pair(a: () => Sample, b: () => Sample): [Sample, Sample] {
  const as: Sample[] = [];
  const bs: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    as.push(a());
    bs.push(b());
  }
  const med = (samples: Sample[]): Sample => ({ wall: median(samples.map((x) => x.wall)), cpu: median(samples.map((x) => x.cpu)) });
  return [med(as), med(bs)];
}
const ms = (s: number): string => `${(s * 1000).toFixed(0)} ms`;
const aim = (met: boolean): string => (met ? 'aim met' : 'aim NOT met');

const vanthu = (args: string[], code = 0): Sample => timed(node, ['bin/vanthu.mjs', ...args], code);
const pdfsig = (file: string): Sample => timed('pdfsig', ['-nssdir', pki.nssDbSpec, '-no-ocsp', file]);

// Both must find the first file intact and trusted, or the timing compares unlike work (read from the JSON report: its shape is fixed).
const said = spawnSync(node, ['bin/vanthu.mjs', 'verify', files[0]!, ...trust, '--json'], { encoding: 'utf8' });
const poppler = spawnSync('pdfsig', ['-nssdir', pki.nssDbSpec, '-no-ocsp', files[0]!], { encoding: 'utf8' }).stdout;
let first: { verdict: string; signatures: { integrity: { digestMatches: boolean; signatureValid: boolean }; chain: { trusted: boolean } }[] } | undefined;
try {
  first = JSON.parse(said.stdout) as typeof first;
} catch {
  first = undefined;
}
const signature = first?.signatures[0];
console.log(`\nvanthu verify says: ${first?.verdict ?? '?'} (exit ${said.status}; intact ${signature?.integrity.digestMatches && signature.integrity.signatureValid}, chain trusted ${signature?.chain.trusted})`);
console.log(`pdfsig says: ${/Signature Validation: (.*)/.exec(poppler)?.[1] ?? '?'}; ${/Certificate Validation: (.*)/.exec(poppler)?.[1] ?? '?'}`);
// Offline, like pdfsig -no-ocsp: integrity and chain checked, revocation not, so vanthu's verdict is
// "indeterminate" (exit 1) where pdfsig prints "valid": the same work, each tool's own wording.
if (said.status !== VERIFY_EXIT || !signature?.integrity.digestMatches || !signature.integrity.signatureValid || !signature.chain.trusted) {
  throw new Error(`vanthu verify does not find the bench file intact and trusted:\n${said.stdout}${said.stderr}`);
}

const cpu = (sample: Sample): string => (Number.isNaN(sample.cpu) ? '' : ` (CPU ${ms(sample.cpu)})`);
const [help, bare] = pair(() => vanthu(['--help']), () => timed(node, ['-e', '0']));
console.log(`\nvanthu --help          ${ms(help.wall)}${cpu(help)}   node -e 0 ${ms(bare.wall)}${cpu(bare)}   (${(help.wall / bare.wall).toFixed(1)}x)   aim < ${ms(AIMS.helpSeconds)}: ${aim(help.wall < AIMS.helpSeconds)}`);

const [one, onePdfsig] = pair(() => vanthu(['verify', files[0]!, ...trust], VERIFY_EXIT), () => pdfsig(files[0]!));
console.log(`vanthu verify 1 file   ${ms(one.wall)}${cpu(one)}   pdfsig ${ms(onePdfsig.wall)}${cpu(onePdfsig)}   (${(one.wall / onePdfsig.wall).toFixed(1)}x)   aim < ${ms(AIMS.verifyOneSeconds)}: ${aim(one.wall < AIMS.verifyOneSeconds)}`);

// ------------------------------------------------- many files, one call --
const summary: string[] = [
  `vanthu --help ${ms(help.wall)}, aim < ${ms(AIMS.helpSeconds)}: ${aim(help.wall < AIMS.helpSeconds)}`,
  `vanthu verify 1 file ${ms(one.wall)}, aim < ${ms(AIMS.verifyOneSeconds)}: ${aim(one.wall < AIMS.verifyOneSeconds)}`,
];
let pdfsigTotal: Sample = { wall: 0, cpu: 0 };
for (const file of files) {
  const run = pdfsig(file);
  pdfsigTotal = { wall: pdfsigTotal.wall + run.wall, cpu: pdfsigTotal.cpu + run.cpu };
}
// One call verifies every file and ends with the summary line (exit 1: offline, each is indeterminate).
const manyRuns = Array.from({ length: Math.max(1, Math.floor(RUNS / 3)) }, () => vanthu(['verify', ...files, ...trust], VERIFY_EXIT));
const many: Sample = { wall: median(manyRuns.map((r) => r.wall)), cpu: median(manyRuns.map((r) => r.cpu)) };
const ratio = many.wall / pdfsigTotal.wall;
console.log(
  `vanthu verify ${FILES} files in one call ${many.wall.toFixed(2)} s${cpu({ wall: 0, cpu: many.cpu })}   pdfsig ${pdfsigTotal.wall.toFixed(2)} s${cpu({ wall: 0, cpu: pdfsigTotal.cpu })} over the ${FILES} files, one process each   (${ratio.toFixed(2)}x)   aim < ${AIMS.verifyManyVsPdfsig}x: ${aim(ratio < AIMS.verifyManyVsPdfsig)}`,
);
summary.push(`vanthu verify ${FILES} files in one call ${many.wall.toFixed(2)} s = ${ratio.toFixed(2)}x pdfsig's total ${pdfsigTotal.wall.toFixed(2)} s, aim < ${AIMS.verifyManyVsPdfsig}x: ${aim(ratio < AIMS.verifyManyVsPdfsig)}`);
console.log(`\naims (issue 13, item 1)\n${summary.map((line) => `  ${line}`).join('\n')}`);
// A source saved while this ran makes bin/vanthu.mjs fall back to tsx: such figures measure the wrong thing.
const rebuilt = spawnSync(node, ['scripts/build-cli.mjs'], { encoding: 'utf8' }).stdout.includes('built');
console.log(`\n${loadLine()}; ${rebuilt ? 'WARNING: a source changed during the run, so later runs went through tsx: run again' : 'the bundle (out/cli) stayed fresh throughout'}`);
