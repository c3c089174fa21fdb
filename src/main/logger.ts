// The error log the user can open: JSON lines in a rotating file (userData/logs), secrets redacted, crashes recorded.
import { appendFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE_MODE, tightenIfPresent } from '../core/fs/private-dir.js';

export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly dir: string;
  readonly file: string;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  dir: string;
  fileName?: string;
  /** A file is rotated before it would grow past this many bytes. */
  maxBytes?: number;
  /** Rotated files kept besides the current one (vanthu.1.log is the newest). */
  keep?: number;
  now?: () => Date;
}

export const REDACTED = '[redacted]';
/**
 * Field names whose values never reach the file, whatever their case or prefix (pin, userPin, soPin,
 * password, accessToken, Authorization, ...). PINs cross IPC, so a request object logged by mistake must
 * still not write one.
 */
const SECRET_FIELD = /(pin|password|passphrase|passwd|secret|token|authorization|cookie)$/i;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const MAX_DEPTH = 6;
const MAX_STRING = 8_000;

export const isSecretField = (name: string): boolean => SECRET_FIELD.test(name);

/** A copy safe to write: secret fields replaced, credentials in text masked, errors reduced to name/message/code/stack. */
export function redact(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') {
    const masked = value.replace(BEARER, (_match, scheme: string) => `${scheme} ${REDACTED}`);
    return masked.length > MAX_STRING ? `${masked.slice(0, MAX_STRING)}…` : masked;
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[deep]';
  seen.add(value);
  if (value instanceof Uint8Array) return `[${value.byteLength} bytes]`;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  if (value instanceof Error) {
    out.name = value.name;
    out.message = redact(value.message, depth + 1, seen);
    if (value.stack) out.stack = redact(value.stack, depth + 1, seen);
    if (value.cause !== undefined) out.cause = redact(value.cause, depth + 1, seen);
  }
  for (const [key, field] of Object.entries(value)) {
    if (key === 'stack' || key === 'message') continue;
    out[key] = isSecretField(key) ? REDACTED : redact(field, depth + 1, seen);
  }
  return out;
}

/** A JSON-lines file that rolls over to name.1.log, name.2.log, ... and drops the oldest. Writes are synchronous so a crash record is on disk before the process ends. */
export class RotatingFile {
  readonly file: string;
  private size: number;

  constructor(
    readonly dir: string,
    private readonly fileName: string,
    private readonly maxBytes: number,
    private readonly keep: number,
  ) {
    // The log names documents and agencies: only this user may read it.
    ensurePrivateDir(dir);
    this.file = path.join(dir, fileName);
    tightenIfPresent(this.file);
    this.size = existsSync(this.file) ? statSync(this.file).size : 0;
  }

  rotated(index: number): string {
    const { name, ext } = path.parse(this.fileName);
    return path.join(this.dir, `${name}.${index}${ext}`);
  }

  append(line: string): void {
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    appendFileSync(this.file, line, { mode: PRIVATE_FILE_MODE });
    this.size += bytes;
  }

  private rotate(): void {
    rmSync(this.rotated(this.keep), { force: true });
    for (let index = this.keep - 1; index >= 1; index--) {
      if (existsSync(this.rotated(index))) renameSync(this.rotated(index), this.rotated(index + 1));
    }
    if (this.keep > 0) renameSync(this.file, this.rotated(1));
    else rmSync(this.file, { force: true });
    this.size = 0;
  }
}

export function createLogger(options: LoggerOptions): Logger {
  const out = new RotatingFile(options.dir, options.fileName ?? 'vanthu.log', options.maxBytes ?? 1_000_000, options.keep ?? 4);
  const now = options.now ?? (() => new Date());
  const write = (level: LogLevel, event: string, fields?: LogFields): void => {
    // The record's own keys come last so a field cannot pass for another time, level or event.
    const record = { time: '', level, event, ...(fields ? (redact(fields) as LogFields) : {}) };
    Object.assign(record, { time: now().toISOString(), level, event });
    try {
      out.append(`${JSON.stringify(record)}\n`);
    } catch (error) {
      // A full disk or a locked file must not take the app down with it.
      console.error('vanthu: cannot write the log', error instanceof Error ? error.message : error);
    }
  };
  return {
    dir: out.dir,
    file: out.file,
    info: (event, fields) => write('info', event, fields),
    warn: (event, fields) => write('warn', event, fields),
    error: (event, fields) => write('error', event, fields),
  };
}

interface ProcessEvents {
  on(event: 'uncaughtExceptionMonitor', listener: (error: Error, origin: string) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

/**
 * Records crashes of the main process. The uncaught-exception *monitor* only observes, so Electron still
 * handles the exception as it would without us; an unhandled rejection is recorded and the app goes on.
 */
export function recordProcessFailures(logger: Logger, proc: ProcessEvents = process): void {
  proc.on('uncaughtExceptionMonitor', (error, origin) => logger.error('main.uncaught_exception', { origin, error }));
  proc.on('unhandledRejection', (reason) => logger.error('main.unhandled_rejection', { error: reason }));
}
