import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceAnswer } from '../../../src/core/local-service/index.js';
import { trustStoreFrom } from '../../../src/core/trust/index.js';
import { validatePdf } from '../../../src/core/validation/index.js';
import { SESSION_ID, startEOfficeSite, type EOfficeSite } from '../../kit/e-office-site.js';
import { runVanthu } from '../../kit/cli.js';
import { discPng, writeTemp } from '../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../kit/pki.js';

// `vanthu serve-local` as a script runs it: PIN once on stdin, only the listed origins, one JSON log line per request.
const pki = usePrivateTokens();
const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-serve-local-'));
const env = { ...process.env, SOFTHSM2_CONF: pki.softhsmConf };
let site: EOfficeSite;
let child: ChildProcessWithoutNullStreams;
let port = 0;
let stdout = '';
let stderr = '';

const ask = (operation: string, origin: string, body: unknown): Promise<ServiceAnswer> =>
  new Promise((resolve, reject) => {
    // The client checks the served certificate against the CA the service made: valid for 127.0.0.1.
    const socket = new WebSocket(`wss://127.0.0.1:${port}/${operation}`, { origin, ca: readFileSync(path.join(dir, 'tls', 'local-ca.pem')) });
    socket.on('open', () => socket.send(JSON.stringify(body)));
    socket.on('message', (data) => {
      resolve(JSON.parse(String(data)) as ServiceAnswer);
      socket.close();
    });
    socket.on('error', reject);
  });

beforeAll(async () => {
  site = await startEOfficeSite();
  site.files.set('to-trinh.pdf', readFileSync(path.resolve('tests/fixtures/pdf/classic-xref.pdf')));
  const image = writeTemp('serve-local-chu-ky.png', discPng(100, [20, 40, 200]));
  child = spawn(process.execPath, ['bin/vanthu.mjs', 'serve-local', '--allow-origin', site.origin, '--module', pki.module, '--token', 'VANTHU LEADER', '--cert', 'leader-rsa', '--chain', pki.subCaPem, '--pin-stdin', '--image', image, '--port', '0', '--tls-dir', path.join(dir, 'tls'), '--keep-dir', path.join(dir, 'kept')], { env });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // The PIN goes in once; stdin stays open, as a terminal would.
  child.stdin.write(`${pki.userPin}\n`);
  const started = Date.now();
  while (!stdout.includes('"listening"')) {
    if (child.exitCode !== null || Date.now() - started > 20_000) throw new Error(`serve-local did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  port = (JSON.parse(stdout.split('\n').find((line) => line.includes('"listening"'))!) as { port: number }).port;
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGTERM');
  await site?.close();
});

describe('vanthu serve-local', () => {
  it('signs for a listed site: downloads with the session, uploads a valid PDF, keeps a copy', async () => {
    const answer = await ask('SignFile', site.origin, { FileName: `${site.origin}/files/to-trinh.pdf`, FileUploadHandler: `${site.origin}/upload`, SessionId: SESSION_ID });
    expect(answer, answer.Message).toMatchObject({ Status: 0, FileName: 'da-ky-1-to-trinh.pdf' });
    const uploaded = site.uploads[0]!.bytes;
    const report = await validatePdf(uploaded, { trust: await trustStoreFrom({ pemOrDerFiles: [pki.rootPem], includeBundled: false }), online: true });
    expect(report.verdict, report.summaryEn).toBe('valid');
    expect(report.signatures[0]?.signer?.subject.commonName).toBe('Nguyễn Thị Hồng Nhung');
    const keptDay = readdirSync(path.join(dir, 'kept'));
    const kept = readdirSync(path.join(dir, 'kept', keptDay[0]!));
    expect(kept).toHaveLength(1);
    expect(statSync(path.join(dir, 'kept', keptDay[0]!, kept[0]!)).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'tls', 'localhost.key')).mode & 0o777).toBe(0o600);
  });

  it('refuses a site not listed, with no dialog', async () => {
    expect(await ask('GetVersion', 'https://qlvb.khac.gov.vn', {})).toMatchObject({ Status: 2, ErrorCode: 'ORIGIN_REFUSED' });
  });

  it('logs one JSON line per request without the PIN or the session, and stops cleanly on SIGTERM', async () => {
    // The log line is written before the answer, but reaches this process through a pipe.
    for (let waited = 0; !stdout.includes('"GetVersion"') && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((l) => l.operation).map((l) => [l.origin, l.operation, l.outcome])).toEqual([
      [site.origin, 'SignFile', 'ok'],
      ['https://qlvb.khac.gov.vn', 'GetVersion', 'refused'],
    ]);
    expect(stdout + stderr).not.toContain(pki.userPin);
    expect(stdout + stderr).not.toContain(SESSION_ID);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  const readOr = (file: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  };

  /** Starts serve-local as `sh -c` does a job ending in `&` (no job control, SIGINT ignored for the job); `wait` reports its exit code. */
  function inBackground(stdinFrom: string, log: string) {
    const script = `"$NODE" bin/vanthu.mjs serve-local --allow-origin "$ORIGIN" --module "$MODULE" --token 'VANTHU LEADER' --cert leader-rsa --pin-stdin --port 0 --tls-dir "$TLS" --keep-dir "$KEEP" < "$IN" > "$LOG" 2>&1 &
pid=$!
echo "pid $pid"
wait $pid
echo "exit $?"`;
    const shell = spawn('sh', ['-c', script], { env: { ...env, NODE: process.execPath, ORIGIN: site.origin, MODULE: pki.module, TLS: path.join(dir, 'tls'), KEEP: path.join(dir, 'kept-background'), IN: stdinFrom, LOG: log } });
    let said = '';
    shell.stdout.setEncoding('utf8').on('data', (chunk: string) => (said += chunk));
    const ended = new Promise<void>((resolve) => shell.once('exit', () => resolve()));
    const pid = async (): Promise<number> => {
      for (const started = Date.now(); !/pid \d+/.test(said); ) {
        if (Date.now() - started > 10_000) throw new Error('the shell did not start the job');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return Number(/pid (\d+)/.exec(said)![1]);
    };
    /** Sends the signal and says whether the job ended within 10 s, with the exit code `wait` saw. */
    const signal = async (name: NodeJS.Signals): Promise<string> => {
      const job = await pid();
      process.kill(job, name);
      const timeout = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 10_000).unref());
      if ((await Promise.race([ended.then(() => 'ended' as const), timeout])) !== 'ended') {
        process.kill(job, 'SIGKILL');
        return 'still running';
      }
      return /exit (\d+)/.exec(said)?.[1] ?? 'no exit code';
    };
    return { signal, running: () => shell.exitCode === null };
  }

  it('stops cleanly on SIGINT even as a background job of a non-interactive shell', async () => {
    const pinFile = path.join(dir, 'pin.txt');
    writeFileSync(pinFile, `${pki.userPin}\n`, { mode: 0o600 });
    const log = path.join(dir, 'background.log');
    const job = inBackground(pinFile, log);
    for (const started = Date.now(); !readOr(log).includes('"listening"'); ) {
      if (!job.running() || Date.now() - started > 20_000) throw new Error(`serve-local did not start in the background: ${readOr(log)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await job.signal('SIGINT')).toBe('0');
    expect(readOr(log)).toContain('{"event":"stopped","signal":"SIGINT"}');
  });

  it('stops on SIGINT while still waiting for the PIN, without serving', async () => {
    const fifo = path.join(dir, 'pin.fifo');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    // Held open for writing and never written: the command waits for the PIN line.
    const writer = openSync(fifo, 'r+');
    try {
      const log = path.join(dir, 'waiting.log');
      const job = inBackground(fifo, log);
      for (const started = Date.now(); !readOr(log).includes('waiting for the PIN'); ) {
        if (!job.running() || Date.now() - started > 20_000) throw new Error(`serve-local did not get to the PIN: ${readOr(log)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await job.signal('SIGINT')).toBe('1');
      expect(readOr(log)).toContain('stopped before the PIN was read');
      expect(readOr(log)).not.toContain('listening');
    } finally {
      closeSync(writer);
    }
  });

  it('needs at least one --allow-origin, real origins, and the PIN on stdin', async () => {
    const base = ['serve-local', '--module', pki.module, '--pin-stdin', '--tls-dir', path.join(dir, 'tls')];
    const none = await runVanthu(base, { env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--allow-origin');
    const bad = await runVanthu([...base, '--allow-origin', 'qlvb.gov.vn'], { env });
    expect(bad.code).toBe(2);
    const noPin = await runVanthu(['serve-local', '--allow-origin', site.origin, '--module', pki.module], { env });
    expect(noPin.code).toBe(2);
    expect(noPin.stderr).toContain('--pin-stdin');
  });

  it('stops with the token error on a wrong PIN, before listening', async () => {
    const wrong = await runVanthu(['serve-local', '--allow-origin', site.origin, '--module', pki.module, '--token', 'VANTHU SPARE', '--pin-stdin', '--port', '0', '--tls-dir', path.join(dir, 'tls')], { env, stdin: '000000\n' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('Mã PIN không đúng');
    expect(wrong.stdout).not.toContain('listening');
  });
});
