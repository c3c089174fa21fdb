import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
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
