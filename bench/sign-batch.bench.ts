// Batch signing throughput: N one-page PDFs signed by vanthu's signPdf on SoftHSM (one login), against poppler's pdfsig signing the same files with the same token key through NSS.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import { signPdf } from '../src/core/signing/index.js';
import { finalizeAllModules } from '../src/core/token/index.js';
import { leaderRsaKey, loadLine, makeBenchPki, quantile, seconds } from './kit/bench-pki.js';

const COUNT = Number(process.env.BENCH_DOCUMENTS ?? 1000);
// The two signers take turns on blocks of this many files, so load from other work on the machine falls on both alike.
const BLOCK = Math.min(COUNT, 100);
const NICK = 'VANTHU LEADER:leader-rsa';
const work = path.resolve('.tmp/bench-sign-batch');
mkdirSync(work, { recursive: true });

console.log(`sign-batch: ${COUNT} one-page PDFs, RSA-2048 on SoftHSM, Node ${process.version}, ${loadLine()}`);
const pki = makeBenchPki(path.join(work, 'pki'));

// ---------------------------------------------------------------- inputs --
// Made once per count and reused: a one-page letter (classic xref, Helvetica), different on each page.
const inputDir = path.join(work, `input-${COUNT}`);
const names = Array.from({ length: COUNT }, (_, i) => `cong-van-${String(i + 1).padStart(5, '0')}.pdf`);
if (!existsSync(path.join(inputDir, '.complete'))) {
  rmSync(inputDir, { recursive: true, force: true });
  mkdirSync(inputDir, { recursive: true });
  for (const [i, name] of names.entries()) {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.setTitle(`Cong van so ${i + 1}/UBND-VP`);
    doc.setProducer('vanthu bench/sign-batch');
    const page = doc.addPage([595.28, 841.89]);
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const lines = [
      'UY BAN NHAN DAN TINH CAO BANG          CONG HOA XA HOI CHU NGHIA VIET NAM',
      `So: ${i + 1}/UBND-VP                              Doc lap - Tu do - Hanh phuc`,
      '',
      `V/v trien khai ke hoach chuyen doi so nam 2026 (van ban ${i + 1})`,
      '',
      ...Array.from({ length: 28 }, (_, line) => `${line + 1}. Noi dung dieu ${line + 1} cua van ban so ${i + 1}: cac co quan, don vi thuc hien nghiem tuc.`),
      '',
      'CHANH VAN PHONG',
      'Nguyen Thi Hong Nhung',
    ];
    lines.forEach((text, line) => page.drawText(text, { x: 56, y: 790 - line * 18, size: 10, font }));
    writeFileSync(path.join(inputDir, name), await doc.save({ useObjectStreams: false }));
  }
  writeFileSync(path.join(inputDir, '.complete'), `${COUNT}\n`);
}
const inputBytes = names.reduce((sum, name) => sum + statSync(path.join(inputDir, name)).size, 0);
console.log(`inputs: ${inputDir} (${(inputBytes / COUNT / 1024).toFixed(1)} KiB each on average)\n`);

// ------------------------------------------------------ pdfsig through NSS --
// An NSS db with the test root and sub-CA, and SoftHSM added as a PKCS#11 module.
const nssDir = path.join(work, 'nssdb');
rmSync(nssDir, { recursive: true, force: true });
mkdirSync(nssDir);
const nssDb = `sql:${nssDir}`;
execFileSync('certutil', ['-N', '-d', nssDb, '--empty-password']);
execFileSync('certutil', ['-A', '-d', nssDb, '-n', 'Test Vietnam National Root CA', '-t', 'CT,C,C', '-i', pki.rootPem]);
execFileSync('certutil', ['-A', '-d', nssDb, '-n', 'Test CA Chuyen dung Chinh phu', '-t', ',,', '-i', pki.subCaPem]);
execFileSync('modutil', ['-dbdir', nssDb, '-add', 'softhsm', '-libfile', pki.module, '-force'], { input: '\n', stdio: ['pipe', 'ignore', 'ignore'] });

// pdfsig 22.x answers only the first PIN prompt NSS makes (its password callback is one-shot), and NSS
// prompts once per token while listing certificates: with the PKI's four tokens it gives up. A user has
// one token plugged in; so pdfsig gets a SoftHSM tokendir holding only VANTHU LEADER, its files
// hard-linked (the very same key objects, not a copy or an export: the key is CKA_SENSITIVE).
const leaderOnly = path.join(work, 'softhsm-leader-only');
rmSync(leaderOnly, { recursive: true, force: true });
const tokenDirs = path.join(pki.outDir, 'tokens');
const leaderToken = readdirSync(tokenDirs).find((dir) => readFileSync(path.join(tokenDirs, dir, 'token.object')).includes('VANTHU LEADER'));
if (!leaderToken) throw new Error('no VANTHU LEADER token directory in the bench PKI');
mkdirSync(path.join(leaderOnly, 'tokens', leaderToken), { recursive: true });
for (const file of readdirSync(path.join(tokenDirs, leaderToken))) linkSync(path.join(tokenDirs, leaderToken, file), path.join(leaderOnly, 'tokens', leaderToken, file));
const leaderConf = path.join(leaderOnly, 'softhsm2.conf');
writeFileSync(leaderConf, `directories.tokendir = ${path.join(leaderOnly, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);

const pdfsigArgs = (input: string, output: string): string[] =>
  ['-nssdir', nssDb, '-add-signature', '-nick', NICK, '-nss-pwd', pki.userPin, '-kpw', pki.userPin, '-new-signature-field-name', 'Signature1', input, output];

/** pdfsig once, unbuffered (it loses buffered stdout when it crashes on exit), to show what it says. */
function pdfsigSays(softhsmConf: string, output: string): string {
  rmSync(output, { force: true });
  const run = spawnSync('stdbuf', ['-o0', '-e0', 'pdfsig', ...pdfsigArgs(path.join(inputDir, names[0]!), output)], {
    env: { ...process.env, SOFTHSM2_CONF: softhsmConf },
    encoding: 'utf8',
  });
  const said = `${run.stdout}${run.stderr}`.trim().replace(/\s+/g, ' ');
  return `${run.signal ? `killed by ${run.signal}` : `exit ${run.status}`}, ${existsSync(output) ? 'output written' : 'no output'}${said ? `: "${said}"` : ''}`;
}
console.log(`pdfsig ${execFileSync('pdfsig', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).split('\n')[0] ?? ''}`.trim());
console.log(`  with all 4 PKI tokens visible: ${pdfsigSays(pki.softhsmConf, path.join(work, 'probe-all-tokens.pdf'))}`);
console.log(`  with only VANTHU LEADER visible (used below): ${pdfsigSays(leaderConf, path.join(work, 'probe-leader-only.pdf'))}`);
console.log('  (pdfsig 22.12: adbe.pkcs7.detached only, "-etsi is not supported yet with -add-signature")\n');

const pdfsigEnv = { ...process.env, SOFTHSM2_CONF: leaderConf };
const pdfsigCrashedAtExit: string[] = [];
/**
 * One pdfsig process per file, as a user would run it. It signs, then segfaults inside SoftHSM's
 * C_CloseAllSessions during NSS_Shutdown: such runs are noted and their outputs checked after the timing.
 */
function runPdfsig(input: string, output: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('pdfsig', pdfsigArgs(input, output), { env: pdfsigEnv, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) return resolve();
      if (signal === 'SIGSEGV') {
        pdfsigCrashedAtExit.push(output);
        return resolve();
      }
      reject(new Error(`pdfsig on ${input}: ${signal ?? `exit ${code}`}`));
    });
  });
}
/** A complete signed file: the signature dictionary and the final %%EOF are there. */
function assertComplete(file: string): void {
  const written = existsSync(file) ? readFileSync(file) : undefined;
  if (!written || !written.subarray(-32).includes('%%EOF') || !written.includes('/ByteRange')) throw new Error(`pdfsig left no complete output in ${file}`);
}

// ------------------------------------------------------------------- run --
const { key, session } = await leaderRsaKey(pki);
const outVanthu = path.join(work, 'out-vanthu');
const outPdfsig = path.join(work, 'out-pdfsig');
for (const dir of [outVanthu, outPdfsig]) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
}

interface Tally {
  perDocumentMs: number[];
  totalSeconds: number;
  outputBytes: number;
}
const vanthu: Tally = { perDocumentMs: [], totalSeconds: 0, outputBytes: 0 };
const pdfsig: Tally = { perDocumentMs: [], totalSeconds: 0, outputBytes: 0 };

// Per document: read the file, sign it, write the signed file (what pdfsig does in its process too).
async function signWithVanthu(name: string): Promise<void> {
  const start = process.hrtime.bigint();
  const signed = await signPdf(readFileSync(path.join(inputDir, name)), key, { level: 'B-B' });
  writeFileSync(path.join(outVanthu, name), signed.bytes);
  vanthu.perDocumentMs.push(seconds(start) * 1000);
  vanthu.outputBytes += signed.bytes.length;
}
async function signWithPdfsig(name: string): Promise<void> {
  const start = process.hrtime.bigint();
  await runPdfsig(path.join(inputDir, name), path.join(outPdfsig, name));
  pdfsig.perDocumentMs.push(seconds(start) * 1000);
}

const loadBefore = loadLine();
for (let from = 0; from < COUNT; from += BLOCK) {
  const block = names.slice(from, from + BLOCK);
  let start = process.hrtime.bigint();
  for (const name of block) await signWithVanthu(name);
  vanthu.totalSeconds += seconds(start);
  start = process.hrtime.bigint();
  for (const name of block) await signWithPdfsig(name);
  pdfsig.totalSeconds += seconds(start);
}
const loadAfter = loadLine();
await session.logout();
await finalizeAllModules();

// ----------------------------------------------------------------- check --
for (const file of pdfsigCrashedAtExit) assertComplete(file);
pdfsig.outputBytes = names.reduce((sum, name) => sum + statSync(path.join(outPdfsig, name)).size, 0);
// First and last outputs of each signer, judged by pdfsig against the test PKI's NSS db (no network).
function verdict(file: string): string {
  const out = spawnSync('pdfsig', ['-nssdir', pki.nssDbSpec, '-no-ocsp', file], { encoding: 'utf8' }).stdout;
  const signature = /Signature Validation: (.*)/.exec(out)?.[1] ?? '?';
  const type = /Signature Type: (.*)/.exec(out)?.[1] ?? '?';
  return `${type}, ${signature}`;
}
for (const [label, dir] of [['vanthu', outVanthu], ['pdfsig', outPdfsig]] as const) {
  const checks = [names[0]!, names.at(-1)!].map((name) => verdict(path.join(dir, name)));
  console.log(`check ${label.padEnd(6)} first: ${checks[0]}; last: ${checks[1]}`);
}

// ---------------------------------------------------------------- report --
function line(label: string, tally: Tally): number {
  const perSecond = COUNT / tally.totalSeconds;
  const ms = tally.perDocumentMs;
  console.log(
    `${label.padEnd(58)} ${perSecond.toFixed(1).padStart(7)} documents/s  ` +
      `${((tally.totalSeconds / COUNT) * 1000).toFixed(2).padStart(7)} ms/document (p50 ${quantile(ms, 0.5).toFixed(2)}, p95 ${quantile(ms, 0.95).toFixed(2)}, max ${Math.max(...ms).toFixed(2)})  ` +
      `output ${(tally.outputBytes / COUNT / 1024).toFixed(1)} KiB/document, total ${tally.totalSeconds.toFixed(1)} s`,
  );
  return perSecond;
}
console.log(`\n${COUNT} documents each, in alternating blocks of ${BLOCK}; ${loadBefore} before, ${loadAfter} after`);
const ours = line('vanthu signPdf (one login, B-B invisible, ETSI.CAdES.detached)', vanthu);
const theirs = line('pdfsig -add-signature via NSS + SoftHSM (one process per file)', pdfsig);
if (pdfsigCrashedAtExit.length > 0) {
  console.log(`  pdfsig wrote complete files, then died of SIGSEGV on exit (SoftHSM's C_CloseAllSessions from NSS_Shutdown) in ${pdfsigCrashedAtExit.length} of ${COUNT} runs`);
}
const ratio = ours / theirs;
console.log(`throughput ratio vanthu / pdfsig: ${ratio.toFixed(1)}x (aim: >= 10x) ${ratio >= 10 ? 'MET' : 'NOT MET'}`);
