// Validation in worker threads: validatePdf off the calling thread (the app's main process keeps serving its windows while incoming files are checked), the caller's revocation cache served to the thread over a port.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { PdfValidationReport } from '../../shared/validation.js';
import { serveRevocationCache, type TrustStore } from '../trust/index.js';
import { validatePdf, type ValidationOptions } from './validate-pdf.js';

/** validatePdf's shape: what judging code calls, inline or through a thread. */
export type ValidatePdf = (bytes: Uint8Array, options: ValidationOptions) => Promise<PdfValidationReport>;

/** One validation as the thread receives it: plain data (the trust list clones; the cache is a port). */
export interface ValidateTask {
  bytes: Uint8Array;
  /** The whole list: rebuilt from its roots alone, a provisional root would be trusted fully and the bundled intermediates lost. */
  trust: TrustStore;
  /** Fingerprint of `trust`: the thread keeps using the copy it has while this stays the same (caches keyed by the list hold). */
  trustFingerprint: string;
  online: boolean;
  nowMs?: number;
  revocationTimeoutMs?: number;
  aiaCacheDir?: string;
  revocationCache?: MessagePort;
}

/** Fingerprint of a whole trust list: roots, which of them are provisional, and the offered intermediates. */
export function trustListFingerprint(trust: TrustStore): string {
  const hashes = (list: readonly Uint8Array[] = []): string => list.map((der) => createHash('sha256').update(der).digest('hex')).sort().join(',');
  return createHash('sha256')
    .update(`${hashes(trust.roots)}|${[...(trust.provisional ?? [])].sort().join(',')}|${hashes(trust.intermediates)}`)
    .digest('hex');
}

export interface ThreadedValidator {
  validate: ValidatePdf;
  readonly threads: number;
  /** True once a thread failed to start or died: validation went on inline, on the calling thread. */
  readonly inline: boolean;
  close(): Promise<void>;
}

/** A verification waits on OCSP/CRL answers too: several per thread overlap those waits. */
const TASKS_PER_THREAD = 4;

/**
 * `workerUrl`: the thread's entry: validate-worker.mjs beside this file when running from the sources
 * (a thread starts without the parent's TypeScript loader), the bundle's own validate-worker.js once built.
 * Threads start on the first file and leave after a minute idle. An `aiaCache` object cannot cross to a
 * thread (it is code); `aiaCacheDir` can.
 */
export function threadedValidator(workerUrl: string | URL, options: { threads?: number; onThreadFailure?: (error: unknown) => void } = {}): ThreadedValidator {
  const threads = Math.max(1, options.threads ?? 1);
  let pool: Piscina<ValidateTask, PdfValidationReport> | undefined;
  let inline = false;
  let fingerprint: { of: TrustStore; value: string } | undefined;
  const fingerprintOf = (trust: TrustStore): string => {
    if (fingerprint?.of !== trust) fingerprint = { of: trust, value: trustListFingerprint(trust) };
    return fingerprint.value;
  };
  const inThread = (bytes: Uint8Array, validation: ValidationOptions): Promise<PdfValidationReport> => {
    if (!pool) {
      // A missing entry would leave piscina respawning a thread that never starts, the task waiting forever.
      if (!existsSync(new URL(String(workerUrl)))) throw new Error(`validation thread entry not found: ${String(workerUrl)}`);
      const started = new Piscina<ValidateTask, PdfValidationReport>({ filename: String(workerUrl), minThreads: 0, maxThreads: threads, concurrentTasksPerWorker: TASKS_PER_THREAD, idleTimeout: 60_000 });
      // A thread that dies outside a task (its module failed to load): stop using threads; destroying the pool
      // rejects the tasks waiting in it, which then run inline.
      started.on('error', (error: unknown) => {
        if (pool !== started) return;
        pool = undefined;
        inline = true;
        options.onThreadFailure?.(error);
        void started.destroy();
      });
      pool = started;
    }
    const task: ValidateTask = {
      bytes,
      trust: validation.trust,
      trustFingerprint: fingerprintOf(validation.trust),
      online: validation.online ?? false,
      ...(validation.now ? { nowMs: validation.now.getTime() } : {}),
      ...(validation.revocationTimeoutMs !== undefined ? { revocationTimeoutMs: validation.revocationTimeoutMs } : {}),
      ...(validation.aiaCacheDir ? { aiaCacheDir: validation.aiaCacheDir } : {}),
    };
    if (!validation.revocationCache) return pool.run(task);
    const channel = new MessageChannel();
    serveRevocationCache(channel.port1, validation.revocationCache);
    return pool.run({ ...task, revocationCache: channel.port2 }, { transferList: [channel.port2] }).finally(() => channel.port1.close());
  };
  return {
    threads,
    get inline() {
      return inline;
    },
    // validatePdf reports and never throws: a rejection is the thread's own failure (its entry missing from a
    // build, the thread killed). The file is then validated here rather than left unjudged, and so is every later one.
    validate: async (bytes, validation) => {
      if (inline) return validatePdf(bytes, validation);
      try {
        return await inThread(bytes, validation);
      } catch (error) {
        if (!inline) {
          inline = true;
          options.onThreadFailure?.(error);
        }
        return validatePdf(bytes, validation);
      }
    },
    close: async () => {
      await pool?.destroy();
      pool = undefined;
    },
  };
}
