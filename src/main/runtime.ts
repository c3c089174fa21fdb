// The app's long-lived parts, without Electron: the store, the outbox worker and the token watcher, started and closed together.
import { createOutboxWorker, resumeWaiting, TokenKeySource, type OutboxWorker } from '../core/outbox/index.js';
import { open, type Store } from '../core/store/index.js';
import { finalizeAllModules, listModuleCandidates, TokenWatcher } from '../core/token/index.js';
import type { TrustStore } from '../core/trust/index.js';
import type { TokenEvent } from '../shared/token.js';

export interface RuntimeOptions {
  dataDir: string;
  /** Token modules to watch; by default every known module installed here. */
  modulePaths?: readonly string[];
  trust?: TrustStore;
  tokenPollMs?: number;
  onTokenEvent?: (event: TokenEvent) => void;
}

export interface AppRuntime {
  store: Store;
  keys: TokenKeySource;
  worker: OutboxWorker;
  watcher: TokenWatcher;
  /** After the user logs in (or a token comes back), jobs waiting for it run again. */
  resumeAfterLogin(): number;
  close(): Promise<void>;
}

export async function startRuntime(options: RuntimeOptions): Promise<AppRuntime> {
  const store = open(options.dataDir);
  const keys = new TokenKeySource({ trust: options.trust });
  const worker = createOutboxWorker(store, { keys, trust: options.trust });
  const modules = options.modulePaths ?? (await listModuleCandidates()).filter((c) => c.present).map((c) => c.path);
  const watcher = new TokenWatcher(modules, options.tokenPollMs);

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

  let closed = false;
  return {
    store,
    keys,
    worker,
    watcher,
    resumeAfterLogin: () => resume('login') + resume('token'),
    close: async () => {
      if (closed) return;
      closed = true;
      watcher.stop();
      // Jobs still running after the grace time are released, not lost: the next start picks them up.
      await worker.stop({ graceMs: 5_000 });
      store.close();
      await finalizeAllModules();
    },
  };
}
