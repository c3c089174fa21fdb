// The CLI as shipped: the Node check, --help everywhere, the bundle finding its resources, and exit 2 for bad input in every command.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../../src/cli/index.js';
import { COMMAND_USAGE } from '../../../src/cli/usage.js';

const SYSTEM_NODE = '/usr/bin/node';
const scratch = mkdtempSync(path.join(tmpdir(), 'vanthu-cli-'));

const run = (args: string[], node = process.execPath) => {
  const result = spawnSync(node, ['bin/vanthu.mjs', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
};

beforeAll(() => {
  // What `npm test` and `npm start` do first: the bundle bin/vanthu.mjs runs (a no-op when fresh).
  const build = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
  expect(existsSync('out/cli/vanthu.mjs')).toBe(true);
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the Node check', () => {
  const systemNodeMajor = existsSync(SYSTEM_NODE) ? Number(spawnSync(SYSTEM_NODE, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout) : 0;

  it.skipIf(systemNodeMajor === 0 || systemNodeMajor === 24)('under another Node, says in both languages which Node and how to run it, exit 2, before loading any native module', () => {
    // The form the README shows, which used to die with a segmentation fault in better-sqlite3.
    const result = run(['server', 'agency', 'list', '--db', `sqlite:${path.join(scratch, 'wrong-node', 'exchange.db')}`], SYSTEM_NODE);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cần Node 24');
    expect(result.stderr).toContain('needs Node 24');
    expect(result.stderr).toContain('npm run vanthu --');
    expect(result.stdout).toBe('');
    // Nothing ran: not even the database folder was made.
    expect(existsSync(path.join(scratch, 'wrong-node'))).toBe(false);
  });

  it('under Node 24 runs', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
    const result = run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('vanthu token list');
  });
});

describe('--help', () => {
  it.each(Object.keys(commands))('vanthu %s --help and -h print its usage and exit 0', (name) => {
    for (const flag of ['--help', '-h']) {
      const result = run([...name.split(' '), flag]);
      expect(result.code, `${name} ${flag}: ${result.stderr}`).toBe(0);
      expect(result.stdout.startsWith(`vanthu ${name}`)).toBe(true);
      expect(result.stdout).toBe(COMMAND_USAGE[name]);
    }
  });

  it('every command in the dispatcher has a usage, and every usage a command', () => {
    expect(Object.keys(COMMAND_USAGE).sort()).toEqual(Object.keys(commands).sort());
  });

  it('answers for a group and after positionals, and a group alone is bad usage with its commands listed', () => {
    const group = run(['server', 'agency', '--help']);
    expect(group.code).toBe(0);
    for (const sub of ['add', 'list', 'remove', 'bind']) expect(group.stdout).toContain(`vanthu server agency ${sub}`);
    expect(run(['token', '-h']).stdout).toBe(COMMAND_USAGE['token list']);
    expect(run(['verify', 'a.pdf', '--help']).stdout).toBe(COMMAND_USAGE.verify);
    const bare = run(['server', 'agency']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('vanthu server agency add');
    expect(run(['nonsense', '--help']).code).toBe(2);
    expect(run([]).code).toBe(2);
  });
});

describe('the bundle', () => {
  it('finds the fonts in resources/ (draft render)', () => {
    const out = path.join(scratch, 'cong-van.pdf');
    const result = run(['draft', 'render', 'tests/fixtures/drafting/cong-van.json', '-o', out, '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, pages: 1 });
  });
});

describe('exit 2 for bad input in every command', () => {
  const json = (stdout: string) => JSON.parse(stdout) as { error?: { code: string }; modules?: { error: { code: string } }[] };

  it('token list: an executable (/bin/ls) and a library without C_GetFunctionList are not PKCS#11 libraries', () => {
    for (const module of ['/bin/ls', '/usr/lib/x86_64-linux-gnu/libz.so.1']) {
      if (!existsSync(module)) continue;
      const result = run(['token', 'list', '--module', module, '--json']);
      expect(result.code, module).toBe(2);
      expect(json(result.stdout).modules?.[0]?.error.code).toBe('TOKEN_MODULE_NOT_LIBRARY');
    }
  });

  it('sign, send and inbox with such a module', () => {
    const pdf = 'tests/fixtures/pdf/classic-xref.pdf';
    const cases = [
      ['sign', pdf, '-o', path.join(scratch, 'o.pdf'), '--module', '/bin/ls', '--pin-stdin', '--json'],
      ['send', pdf, '--to', '000.00.00.H14', '--server', 'http://127.0.0.1:9', '--module', '/bin/ls', '--pin-stdin', '--json'],
      ['inbox', '--server', 'http://127.0.0.1:9', '--module', '/bin/ls', '--pin-stdin', '--data', path.join(scratch, 'inbox'), '--json'],
    ];
    for (const args of cases) {
      const result = run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(json(result.stdout).error?.code).toBe('TOKEN_MODULE_NOT_LIBRARY');
    }
  });

  it('verify with a --trust file that is missing or not a certificate', () => {
    for (const trust of [path.join(scratch, 'missing.pem'), 'package.json']) {
      const result = run(['verify', 'tests/fixtures/pdf/classic-xref.pdf', '--trust', trust, '--json']);
      expect(result.code, trust).toBe(2);
      expect(json(result.stdout).error?.code).toBe('TRUST_ROOT_FILE_INVALID');
    }
  });

  it('the server commands with a --db that is no database address', () => {
    const cases = [
      ['server', 'agency', 'list'],
      ['server', 'audit', 'verify'],
      ['edxml', 'export', '0190c4b2-0000-7000-8000-000000000000', '-o', path.join(scratch, 'x.edxml')],
    ];
    for (const args of cases) {
      const result = run([...args, '--db', 'mysql://nowhere/db', '--json']);
      expect(result.code, args.join(' ')).toBe(2);
      expect(json(result.stdout).error?.code).toBe('SERVER_DATABASE_URL_INVALID');
    }
  });

  // One process per command (18 now): seconds each on a busy machine.
  it('unknown options, for every command', { timeout: 120_000 }, () => {
    for (const name of Object.keys(commands)) {
      const result = run([...name.split(' '), '--no-such-option']);
      expect(result.code, `${name}: ${result.stderr}`).toBe(2);
    }
  });
});
