// How the server verifies a submitted PDF: inline or in a pool of worker threads sized to the machine, sharing one revocation cache and one cache of AIA-fetched CA certificates, behind a verdict cache keyed by file and trust list that lasts as long as the revocation data it used.
import { availableParallelism } from 'node:os';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { serveRevocationCache, type CaIssuerCache, type RevocationCache, type TrustStore } from '../../core/trust/index.js';
import { trustListFingerprint, validatePdf } from '../../core/validation/index.js';
import type { PdfValidationReport } from '../../shared/validation.js';
import { serveCaIssuerCache } from './ca-certificate-cache-port.js';
import { watchedRevocationCache } from './revocation-cache.js';
import type { VerifyTask, VerifyWorkerData } from './verify-worker.js';

export interface VerifyRequest {
  bytes: Uint8Array;
  sha256: string;
  online: boolean;
  now: Date;
  revocationTimeoutMs?: number;
  /** Told the nextUpdate of every OCSP answer or CRL the verification took from or gave to the revocation cache. */
  onNextUpdate?: (nextUpdate: Date) => void;
}

export interface PdfVerifier {
  verify(request: VerifyRequest): Promise<PdfValidationReport>;
  /** Worker threads verifying (0: inline, on the event loop). */
  readonly threads: number;
  close(): Promise<void>;
}

export interface VerificationSettings {
  /** Worker threads: 'auto' (the machine's cores less one for the event loop, at least 1), or 0 to verify inline (tests, tiny deployments). */
  threads?: number | 'auto';
  /** Verdicts kept in memory (0: no cache). */
  cacheEntries?: number;
}

/** Fingerprint of a trust list (roots in any order, which are provisional, the offered intermediates): a verdict is kept under it. */
export const trustFingerprint = (trust: TrustStore): string => trustListFingerprint(trust);

/** The cache a verification uses: watched when the verdict cache wants to know how long its answers hold. */
function cacheFor(request: VerifyRequest, cache: RevocationCache | undefined): RevocationCache | undefined {
  return cache && request.onNextUpdate ? watchedRevocationCache(cache, request.onNextUpdate) : cache;
}

/** On the event loop: fine for tests and a handful of submissions a minute. */
export function inlineVerifier(trust: TrustStore, revocationCache?: RevocationCache, caCertificates?: CaIssuerCache): PdfVerifier {
  return {
    threads: 0,
    verify: (request) => {
      const cache = cacheFor(request, revocationCache);
      return validatePdf(request.bytes, {
        trust,
        online: request.online,
        now: request.now,
        ...(request.revocationTimeoutMs !== undefined ? { revocationTimeoutMs: request.revocationTimeoutMs } : {}),
        ...(cache ? { revocationCache: cache } : {}),
        ...(caCertificates ? { aiaCache: caCertificates } : {}),
      });
    },
    close: async () => undefined,
  };
}

/** Verifications one worker thread runs at once (their network waits interleave). */
export const TASKS_PER_THREAD = 8;

export const autoThreads = (): number => Math.max(1, availableParallelism() - 1);

/**
 * Where a worker thread starts: from the sources, a tsx shim beside this file (a thread starts without the
 * parent's loader); from the CLI bundle (out/cli/vanthu.mjs, this code in out/cli/chunks/), the bundle's own
 * verify-worker.mjs entry beside vanthu.mjs.
 */
export function workerFile(moduleUrl: string): string {
  if (moduleUrl.endsWith('.ts')) return new URL('./verify-worker.mjs', moduleUrl).href;
  return new URL(new URL(moduleUrl).pathname.includes('/chunks/') ? '../verify-worker.mjs' : './verify-worker.mjs', moduleUrl).href;
}

/**
 * validatePdf is CPU-bound (hashing, RSA, parsing): in worker threads the event loop keeps answering
 * while files are checked, and every core works. The threads start on the first file.
 */
export function poolVerifier(trust: TrustStore, threads: number, revocationCache?: RevocationCache, caCertificates?: CaIssuerCache): PdfVerifier {
  const fingerprint = trustFingerprint(trust);
  let pool: Piscina<VerifyTask, PdfValidationReport> | undefined;
  const start = (): Piscina<VerifyTask, PdfValidationReport> => {
    pool = new Piscina({
      filename: workerFile(import.meta.url),
      minThreads: threads,
      maxThreads: threads,
      // A verification waits on OCSP/CRL answers and AIA fetches too: several per thread overlap those waits, as
      // they did on the event loop, while the CPU-bound parts still run off it.
      concurrentTasksPerWorker: TASKS_PER_THREAD,
      idleTimeout: 60_000,
      // The pool's trust list is fixed: each thread gets it once, not cloned with every file (about 0.1 ms a task for
      // the bundled list).
      workerData: { trust } satisfies VerifyWorkerData,
    });
    return pool;
  };
  return {
    threads,
    verify: (request) => {
      const task: VerifyTask = {
        bytes: request.bytes,
        trustFingerprint: fingerprint,
        online: request.online,
        nowMs: request.now.getTime(),
        ...(request.revocationTimeoutMs !== undefined ? { revocationTimeoutMs: request.revocationTimeoutMs } : {}),
      };
      const cache = cacheFor(request, revocationCache);
      if (!cache && !caCertificates) return (pool ?? start()).run(task);
      // The threads reach the database's caches through the main thread: one port per cache and task, closed after it.
      const served: MessagePort[] = [];
      const portFor = (serve: (port: MessagePort) => void): MessagePort => {
        const channel = new MessageChannel();
        serve(channel.port1);
        served.push(channel.port1);
        return channel.port2;
      };
      const revocationPort = cache && portFor((port) => serveRevocationCache(port, cache));
      const caPort = caCertificates && portFor((port) => serveCaIssuerCache(port, caCertificates));
      const withPorts: VerifyTask = { ...task, ...(revocationPort ? { revocationCache: revocationPort } : {}), ...(caPort ? { caCertificates: caPort } : {}) };
      const transferList = [revocationPort, caPort].filter((port): port is MessagePort => port !== undefined);
      return (pool ?? start()).run(withPorts, { transferList }).finally(() => {
        for (const port of served) port.close();
      });
    },
    close: async () => {
      await pool?.destroy();
      pool = undefined;
    },
  };
}

/** How long a verdict that used no kept revocation answer holds (revocation is asked again after). */
export const VERDICT_MAX_AGE_MS = 24 * 3600_000;

/**
 * The same bytes are not verified twice for the same moment of trust: a verdict is kept under
 * (file sha256, trust list fingerprint, online or not) until the earliest nextUpdate of the OCSP
 * answers and CRLs it used from the revocation cache (then revocation is asked again), or for
 * VERDICT_MAX_AGE_MS when it used none. Only decided verdicts are kept: an indeterminate one (a
 * responder that did not answer) is asked again next time.
 */
export function cachedVerifier(inner: PdfVerifier, trust: TrustStore, maxEntries: number): PdfVerifier & { readonly hits: number; readonly size: number } {
  const fingerprint = trustFingerprint(trust);
  const verdicts = new Map<string, { report: PdfValidationReport; until: number }>();
  const inFlight = new Map<string, Promise<PdfValidationReport>>();
  let hits = 0;
  const keyOf = (request: VerifyRequest): string => `${request.sha256}|${fingerprint}|${request.online ? 'online' : 'offline'}`;
  return {
    get threads() {
      return inner.threads;
    },
    get hits() {
      return hits;
    },
    get size() {
      return verdicts.size;
    },
    verify: (request) => {
      const key = keyOf(request);
      const known = verdicts.get(key);
      verdicts.delete(key);
      if (known && request.now.getTime() < known.until) {
        hits++;
        // Most recently used last: the oldest entry is the first to go.
        verdicts.set(key, known);
        return Promise.resolve(structuredClone(known.report));
      }
      // Two submissions of the same file at once wait for one verification.
      const running = inFlight.get(key);
      if (running) {
        hits++;
        return running.then((report) => structuredClone(report));
      }
      let until = request.now.getTime() + VERDICT_MAX_AGE_MS;
      const onNextUpdate = (nextUpdate: Date): void => {
        until = Math.min(until, nextUpdate.getTime());
      };
      const verification = inner.verify({ ...request, onNextUpdate }).then((report) => {
        if (report.verdict !== 'indeterminate' && maxEntries > 0 && until > request.now.getTime()) {
          verdicts.set(key, { report, until });
          if (verdicts.size > maxEntries) verdicts.delete(verdicts.keys().next().value!);
        }
        return report;
      });
      inFlight.set(key, verification);
      void verification.then(
        () => inFlight.delete(key),
        () => inFlight.delete(key),
      );
      return verification.then((report) => structuredClone(report));
    },
    close: () => inner.close(),
  };
}

/** The server's verifier from its settings (default: inline, a cache of 4,096 verdicts), sharing `revocationCache` and `caCertificates` in every thread. */
export function verifierFor(trust: TrustStore, settings: VerificationSettings = {}, revocationCache?: RevocationCache, caCertificates?: CaIssuerCache): PdfVerifier {
  const threads = settings.threads === 'auto' ? autoThreads() : (settings.threads ?? 0);
  const inner = threads > 0 ? poolVerifier(trust, threads, revocationCache, caCertificates) : inlineVerifier(trust, revocationCache, caCertificates);
  const entries = settings.cacheEntries ?? 4096;
  return entries > 0 ? cachedVerifier(inner, trust, entries) : inner;
}
