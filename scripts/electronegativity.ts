// Electronegativity over the Electron shell, offline and against the installed Electron; exits 1 on any HIGH or MEDIUM finding.
//
//   tsx scripts/electronegativity.ts [--json] [PATH ...]
//
// Without paths it audits what decides the shell's security: src/main, src/preload, the renderer page
// (its CSP meta tag) and package.json. Exit codes: 0 clean, 1 a HIGH/MEDIUM finding or a file it could
// not parse (an unparsed file is an unchecked file), Node integration anywhere, a weak shell CSP; 2 bad usage.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../src/main/security.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_TARGETS = ['src/main', 'src/preload', 'src/renderer/index.html', 'package.json'];

/**
 * Checks switched off, each because it cannot apply here (never to hide a finding):
 * - AvailableSecurityFixesGlobalCheck downloads Electron's release notes from GitHub on every run; CI and
 *   this machine have no network, so it can only fail to fetch. The Electron pin is reviewed when bumped.
 */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

const FAILING = new Set(['HIGH', 'MEDIUM']);
/**
 * Checks that fail the audit at any severity. Electronegativity 1.10.3 rates an explicit
 * `nodeIntegration: true` only INFORMATIONAL (and its HTTP-resources-with-Node global check never fires,
 * it depends on a misspelt check name), yet Node in the renderer is exactly what DESIGN.md forbids.
 */
const FAILING_AT_ANY_SEVERITY = new Set(['NODE_INTEGRATION_JS_CHECK', 'NODE_INTEGRATION_HTML_CHECK']);
const fails = (finding: Finding): boolean => FAILING.has(finding.severity) || FAILING_AT_ANY_SEVERITY.has(finding.id);
const SEVERITIES = ['HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;
type Severity = (typeof SEVERITIES)[number];

interface Level {
  name: string;
  value: number;
}
interface RawIssue {
  id: string;
  file: string;
  location: { line: number; column: number };
  description: string;
  sample?: string;
  severity: Level;
  confidence: Level;
  manualReview: boolean;
}
interface RunResult {
  globalChecks: number;
  atomicChecks: number;
  errors: { file: string; message: string; tolerable: boolean }[];
  issues: RawIssue[];
}
type Run = (options: Record<string, unknown>, forCli: boolean) => Promise<RunResult>;

export interface Finding {
  id: string;
  severity: Severity;
  confidence: string;
  file: string;
  line: number;
  column: number;
  description: string;
  sample: string;
  manualReview: boolean;
}

/** A line carrying `eng-disable`: a finding a person reviewed and accepted, listed so it stays visible. */
export interface ReviewedException {
  file: string;
  line: number;
  checks: string[];
}

/** What Google's CSP Evaluator (Electronegativity's copy) says of the policy the shell sends with every response. */
export interface CspFinding {
  directive: string;
  severity: string;
  value: string;
  description: string;
}

export interface AuditReport {
  tool: string;
  electronVersion: string;
  checks: number;
  excludedChecks: string[];
  files: number;
  counts: Record<Severity, number>;
  findings: Finding[];
  reviewed: ReviewedException[];
  parseErrors: { file: string; message: string }[];
  /** Electronegativity reads a CSP only from a string literal at the header call, so the shell's policy is evaluated here directly. */
  shellCsp: { policy: string; findings: CspFinding[] };
  failed: boolean;
}

const toolRequire = createRequire(path.join(root, 'node_modules/@doyensec/electronegativity/package.json'));

/**
 * Electronegativity fetches translations with `got` at start and its retry timer then throws outside any
 * promise (p-cancelable: "onCancel handler was attached after the promise settled"), killing the run when
 * offline. A `got` that answers "not available" at once keeps it offline and on its bundled English texts.
 */
function stubNetwork(): void {
  const gotPath = toolRequire.resolve('got');
  const unavailable = () => Promise.resolve({ statusCode: 503, body: '', headers: {} });
  const stub = new Module(gotPath);
  stub.filename = gotPath;
  stub.loaded = true;
  stub.exports = Object.assign(unavailable, { head: unavailable, get: unavailable, default: unavailable });
  (toolRequire.cache as Record<string, Module>)[gotPath] = stub;
}

function installedElectronVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Copies the targets into one folder so a single scan sees the window, the session and the page together (the CSP and navigation checks are global). */
function stage(targets: readonly string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-electronegativity-'));
  for (const target of targets) {
    const absolute = path.resolve(target);
    const relative = path.relative(process.cwd(), absolute);
    const inside = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : path.basename(absolute);
    cpSync(absolute, path.join(dir, inside), { recursive: true });
  }
  return dir;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((entry) => path.join(dir, entry))
    .filter((file) => statSync(file).isFile());
}

function reviewedExceptions(staged: string): ReviewedException[] {
  const found: ReviewedException[] = [];
  for (const file of listFiles(staged)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, index) => {
        // The same pattern Electronegativity honours (src/util/exceptions.js).
        const match = /(?:\/\*|\/\/|<!--)[ \t]*eng-disable[ \t]+([\w \t,]+)/.exec(text);
        if (match) found.push({ file: path.relative(staged, file), line: index + 1, checks: match[1]!.trim().split(/[\s,]+/) });
      });
  }
  return found;
}

interface CspEvaluatorModule {
  CspParser: new (policy: string) => { csp: unknown };
  CspEvaluator: new (csp: unknown, version: unknown) => { evaluate(): { directive: string; severity: number; value?: string; description: string }[] };
  Version: { CSP3: unknown };
  severities: Record<string, number>;
}

/** A policy that fails on definite weaknesses (HIGH, MEDIUM) and syntax errors; "maybe" findings are listed, not failed. */
const CSP_FAILING = new Set(['HIGH', 'SYNTAX', 'MEDIUM']);

export function evaluateCsp(policy: string): CspFinding[] {
  const csp = toolRequire('@doyensec/csp-evaluator') as CspEvaluatorModule;
  const names = new Map(Object.entries(csp.severities).map(([name, value]) => [value, name]));
  return new csp.CspEvaluator(new csp.CspParser(policy).csp, csp.Version.CSP3)
    .evaluate()
    .map((f) => ({ directive: f.directive, severity: names.get(f.severity) ?? String(f.severity), value: f.value ?? '', description: f.description }));
}

export async function audit(targets: readonly string[]): Promise<AuditReport> {
  stubNetwork();
  const pkg = toolRequire('./package.json') as { name: string; version: string };
  const run = toolRequire('./dist/runner.js') as Run;
  const electronVersion = installedElectronVersion();
  const staged = stage(targets);
  try {
    const result = await run(
      {
        input: staged,
        customScan: [],
        excludeFromScan: EXCLUDED_CHECKS.map((check) => check.toLowerCase()),
        isRelative: true,
        electronVersionOverride: electronVersion,
        parserPlugins: [],
      },
      false,
    );
    const findings: Finding[] = result.issues.map((issue) => ({
      id: issue.id,
      severity: issue.severity.name as Severity,
      confidence: issue.confidence.name,
      file: issue.file,
      line: issue.location.line,
      column: issue.location.column,
      description: issue.description,
      sample: typeof issue.sample === 'string' ? issue.sample : '',
      manualReview: issue.manualReview,
    }));
    findings.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.file.localeCompare(b.file) || a.line - b.line);
    const counts = Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length])) as Record<Severity, number>;
    const cspFindings = evaluateCsp(CONTENT_SECURITY_POLICY);
    const parseErrors = result.errors.filter((e) => !e.tolerable).map((e) => ({ file: path.relative(staged, e.file), message: e.message }));
    return {
      tool: `${pkg.name} ${pkg.version}`,
      electronVersion,
      checks: result.globalChecks + result.atomicChecks,
      excludedChecks: EXCLUDED_CHECKS,
      files: listFiles(staged).length,
      counts,
      findings,
      reviewed: reviewedExceptions(staged),
      parseErrors,
      shellCsp: { policy: CONTENT_SECURITY_POLICY, findings: cspFindings },
      failed: findings.some(fails) || parseErrors.length > 0 || cspFindings.some((f) => CSP_FAILING.has(f.severity)),
    };
  } finally {
    rmSync(staged, { recursive: true, force: true });
  }
}

function print(report: AuditReport): void {
  console.log(`${report.tool}: Electron ${report.electronVersion}, ${report.checks} checks (excluded: ${report.excludedChecks.join(', ') || 'none'}), ${report.files} files`);
  for (const f of report.findings) {
    console.log(`${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.id}  ${f.file}:${f.line}:${f.column}${f.manualReview ? '  (review)' : ''}`);
    console.log(`    ${f.description}${f.sample ? `\n    > ${f.sample}` : ''}`);
  }
  for (const r of report.reviewed) console.log(`reviewed (eng-disable) ${r.checks.join(', ')}  ${r.file}:${r.line}`);
  for (const f of report.shellCsp.findings) console.log(`shell CSP ${f.severity} ${f.directive} ${f.value}: ${f.description}`);
  for (const e of report.parseErrors) console.log(`NOT CHECKED (parse error) ${e.file}: ${e.message}`);
  console.log(SEVERITIES.map((s) => `${report.counts[s]} ${s}`).join(', '));
  console.log(report.failed ? 'electronegativity: FAILED (HIGH/MEDIUM findings, Node integration, a weak shell CSP or unparsed files)' : 'electronegativity: ok, no HIGH or MEDIUM findings');
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const paths = argv.filter((a) => a !== '--json');
  const unknown = paths.find((p) => p.startsWith('-'));
  if (unknown) {
    console.error(`usage: electronegativity.ts [--json] [PATH ...] (unknown option ${unknown})`);
    return 2;
  }
  const targets = paths.length > 0 ? paths : DEFAULT_TARGETS.map((t) => path.join(root, t));
  const missing = targets.find((t) => !statSync(t, { throwIfNoEntry: false }));
  if (missing) {
    console.error(`electronegativity: no such path ${missing}`);
    return 2;
  }
  // Staged paths are relative to where we run; the defaults are relative to the repository.
  if (paths.length === 0) process.chdir(root);
  const report = await audit(targets);
  if (json) console.log(JSON.stringify(report, null, 2));
  else print(report);
  return report.failed ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error('electronegativity: crashed', error instanceof Error ? error.stack : error);
      process.exitCode = 2;
    },
  );
}
