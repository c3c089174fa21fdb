import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, recordProcessFailures, redact, REDACTED } from '../../../src/main/logger.js';

// The error log: JSON lines, rotated by size keeping a fixed number of files, and nothing secret written.
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-log-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const lines = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('error log', () => {
  it('writes one JSON object a line with time, level and event, in userData/logs style folders it creates', () => {
    const dir = path.join(tempDir(), 'logs');
    const log = createLogger({ dir, now: () => new Date('2026-01-02T03:04:05.000Z') });
    log.info('app.start', { version: '1.0.0' });
    log.error('ipc.handler_failed', { channel: 'documents.list', error: new TypeError('boom') });
    const records = lines(log.file);
    expect(records[0]).toEqual({ time: '2026-01-02T03:04:05.000Z', level: 'info', event: 'app.start', version: '1.0.0' });
    expect(records[1]).toMatchObject({ level: 'error', event: 'ipc.handler_failed', channel: 'documents.list', error: { name: 'TypeError', message: 'boom' } });
    expect((records[1]!.error as { stack: string }).stack).toContain('TypeError: boom');
  });

  it('rotates by size: never a file over the limit, the newest lines in vanthu.log, the oldest dropped beyond `keep`', () => {
    const dir = tempDir();
    const log = createLogger({ dir, maxBytes: 2_000, keep: 3 });
    for (let i = 0; i < 200; i++) log.info('tick', { i, padding: 'x'.repeat(40) });
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['vanthu.1.log', 'vanthu.2.log', 'vanthu.3.log', 'vanthu.log']);
    for (const file of files) expect(statSync(path.join(dir, file)).size).toBeLessThanOrEqual(2_000);
    const numbers = (file: string): number[] => lines(path.join(dir, file)).map((r) => r.i as number);
    const current = numbers('vanthu.log');
    expect(current.at(-1)).toBe(199);
    // Each older file ends right where the next newer one begins: nothing lost in between, oldest dropped.
    expect(numbers('vanthu.1.log').at(-1)).toBe(current[0]! - 1);
    expect(numbers('vanthu.2.log').at(-1)).toBe(numbers('vanthu.1.log')[0]! - 1);
    expect(numbers('vanthu.3.log')[0]).toBeGreaterThan(0);
  });

  it('continues the existing file after a restart and counts its size', () => {
    const dir = tempDir();
    createLogger({ dir, maxBytes: 300, keep: 1 }).info('first', { padding: 'y'.repeat(200) });
    const again = createLogger({ dir, maxBytes: 300, keep: 1 });
    again.info('second', { padding: 'z'.repeat(200) });
    expect(lines(path.join(dir, 'vanthu.1.log')).map((r) => r.event)).toEqual(['first']);
    expect(lines(again.file).map((r) => r.event)).toEqual(['second']);
  });

  it('never writes a PIN, password, token or authorization, at any depth or case', () => {
    const dir = tempDir();
    const log = createLogger({ dir });
    const request = {
      modulePath: '/usr/lib/softhsm/libsofthsm2.so',
      pin: '123456',
      nested: { userPin: '654321', SO_PIN: '111111', list: [{ Password: 'hunter2' }], accessToken: 'tok-abc' },
      headers: { Authorization: 'Bearer eyJabc.def.ghi', cookie: 'sid=1' },
      token: { label: 'LEADER', secret: 's3' },
      note: 'sent with Bearer eyJhbGciOi.payload.sig to the server',
    };
    const error = Object.assign(new Error('login failed for Bearer abc.def'), { code: 'TOKEN_PIN_INCORRECT', pin: '123456' });
    log.warn('something', { request, error });
    const text = readFileSync(log.file, 'utf8');
    for (const secret of ['123456', '654321', '111111', 'hunter2', 'tok-abc', 'eyJabc', 'sid=1', 's3"', 'eyJhbGciOi', 'abc.def']) expect(text).not.toContain(secret);
    const [record] = lines(log.file);
    expect(record).toMatchObject({
      request: { modulePath: '/usr/lib/softhsm/libsofthsm2.so', pin: REDACTED, nested: { userPin: REDACTED, SO_PIN: REDACTED, list: [{ Password: REDACTED }], accessToken: REDACTED }, headers: { Authorization: REDACTED, cookie: REDACTED }, token: REDACTED, note: `sent with Bearer ${REDACTED} to the server` },
      error: { code: 'TOKEN_PIN_INCORRECT', pin: REDACTED, message: `login failed for Bearer ${REDACTED}` },
    });
  });

  it('keeps fields that merely contain a secret word elsewhere, and survives cycles, bytes and bigints', () => {
    const cyclic: Record<string, unknown> = { tokenModules: ['/a.so'], pinned: true, spinner: 1 };
    cyclic.self = cyclic;
    expect(redact({ cyclic, bytes: new Uint8Array(5), big: 10n, fn: () => 1 })).toEqual({
      cyclic: { tokenModules: ['/a.so'], pinned: true, spinner: 1, self: '[circular]' },
      bytes: '[5 bytes]',
      big: '10',
      fn: undefined,
    });
  });

  it('a record field cannot impersonate the time, level or event', () => {
    const dir = tempDir();
    const log = createLogger({ dir, now: () => new Date(0) });
    log.error('real', { event: 'fake', level: 'info', time: 'never' });
    expect(lines(log.file)[0]).toMatchObject({ time: '1970-01-01T00:00:00.000Z', level: 'error', event: 'real' });
  });

  it('records uncaught exceptions and unhandled rejections of the process', () => {
    const dir = tempDir();
    const log = createLogger({ dir });
    const proc = new EventEmitter();
    recordProcessFailures(log, proc as unknown as Parameters<typeof recordProcessFailures>[1]);
    proc.emit('uncaughtExceptionMonitor', new Error('crash'), 'uncaughtException');
    proc.emit('unhandledRejection', Object.assign(new Error('lost'), { password: 'pw' }));
    const records = lines(log.file);
    expect(records).toMatchObject([
      { level: 'error', event: 'main.uncaught_exception', origin: 'uncaughtException', error: { message: 'crash' } },
      { level: 'error', event: 'main.unhandled_rejection', error: { message: 'lost', password: REDACTED } },
    ]);
    expect(existsSync(log.file)).toBe(true);
  });
});
