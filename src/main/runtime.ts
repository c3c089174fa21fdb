// The app's long-lived parts, without Electron: the store, the outbox worker, the token watcher and the exchange, started and closed together.
import path from 'node:path';
import { createOutboxWorker, resumeWaiting, TokenKeySource, type OutboxWorker } from '../core/outbox/index.js';
import { open, type Store } from '../core/store/index.js';
import { finalizeAllModules, listModuleCandidates, TokenWatcher } from '../core/token/index.js';
import type { TrustStore } from '../core/trust/index.js';
import { threadedValidator } from '../core/validation/index.js';
import { validateWorkerUrl } from './validate-worker-url.js';
import type { Settings } from '../shared/settings.js';
import type { TokenEvent } from '../shared/token.js';
import { ExchangeService, type ExchangeServiceOptions } from './handlers/exchange/sync-service.js';

/** Jobs (each in its own document's lane) the app's outbox runs at once. */
export const APP_OUTBOX_LANES = 4;

export interface RuntimeOptions {
  dataDir: string;
  /** Token modules to watch; by default every known module installed here. */
  modulePaths?: readonly string[];
  trust?: TrustStore;
  /** Intermediate CA certificates (DER) to embed in signatures and exchange logins, for tokens that do not carry them. */
  chain?: Uint8Array[];
  tokenPollMs?: number;
  onTokenEvent?: (event: TokenEvent) => void;
  /** The settings at start: with a server URL the exchange connects (settings.set reconfigures it later). */
  settings?: Settings;
  /** Exchange tuning for tests and proxies: the login origin, poll period, event stream. */
  exchange?: Pick<ExchangeServiceOptions, 'origin' | 'pollMs' | 'useEvents' | 'revocationOnline'>;
}

export interface AppRuntime {
  store: Store;
  keys: TokenKeySource;
  worker: OutboxWorker;
  watcher: TokenWatcher;
  /** Sending, the inbox and the status feed; its 'event' carries what the renderer should hear (sync.changed, inbox.arrived, documents.statusChanged…). */
  exchange: ExchangeService;
  /** Where CA certificates fetched from AIA addresses are kept (signing and validation), fetched once. */
  aiaCacheDir?: string;
  /** After the user logs in (or a token comes back), jobs waiting for it run again. */
  resumeAfterLogin(): number;
  close(): Promise<void>;
}

export async function startRuntime(options: RuntimeOptions): Promise<AppRuntime> {
  const store = open(options.dataDir);
  // Intermediates fetched from a signer's AIA are kept with the app's data, fetched once.
  const aiaCacheDir = path.join(options.dataDir, 'cache', 'ca-issuers');
  const keys = new TokenKeySource({ trust: options.trust, aiaCacheDir, ...(options.chain ? { chain: options.chain } : {}) });
  // Four documents at once: a send waits mostly on the network and on the server's verification, and two lanes
  // left the link idle between round trips (bench:exchange: 6.5 → 14.1 documents/s). Token signatures stay one at
  // a time: the token session serializes them whatever the number of lanes.
  const worker = createOutboxWorker(store, { keys, trust: options.trust, concurrency: APP_OUTBOX_LANES });
  const modules = options.modulePaths ?? (await listModuleCandidates()).filter((c) => c.present).map((c) => c.path);
  const watcher = new TokenWatcher(modules, options.tokenPollMs);
  // Before the worker starts: queued sends find their hooks registered.
  // Incoming files are validated in a worker thread: the main process keeps answering the windows meanwhile.
  const validator = threadedValidator(validateWorkerUrl(import.meta.url), {
    onThreadFailure: (error) => console.error('vanthu: the validation thread failed; incoming files are validated on the main process', error instanceof Error ? error.message : error),
  });
  const exchange = new ExchangeService({ store, worker, keys, validate: validator.validate, ...(options.trust ? { trust: options.trust } : {}), ...options.exchange });

  const resume = (waitingFor: 'login' | 'token'): number => {
    const resumed = resumeWaiting(store.db, { waitingFor });
    if (resumed > 0) worker.poke();
    return resumed;
  };
  watcher.on('change', (event) => {
    // A token plugged back in: jobs waiting for it can try again (they will wait for login if needed).
    if (event.type === 'inserted') resume('token');
    options.onTokenEvent?.(event);
  });
  await watcher.start();
  worker.start();
  if (options.settings) await exchange.configure(options.settings);

  let closed = false;
  return {
    store,
    keys,
    aiaCacheDir,
    worker,
    watcher,
    exchange,
    resumeAfterLogin: () => {
      // The exchange certificate's token may be the one just unlocked: its login key is read again.
      void exchange.tokenLoggedIn();
      return resume('login') + resume('token');
    },
    close: async () => {
      if (closed) return;
      closed = true;
      watcher.stop();
      await exchange.close();
      // Jobs still running after the grace time are released, not lost: the next start picks them up.
      await worker.stop({ graceMs: 5_000 });
      await validator.close();
      store.close();
      await finalizeAllModules();
    },
  };
}
