import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { open } from '../../../src/core/store/index.js';
import { loadModule } from '../../../src/core/token/index.js';
import { startRuntime } from '../../../src/main/runtime.js';
import { createQuitGuard } from '../../../src/main/shutdown.js';
import { usePrivateTokens } from '../../kit/pki.js';

// What the shell's will-quit does, under Node with a real SoftHSM module and SQLite store: the quit waits for the database close and C_Finalize.
const pki = usePrivateTokens();

describe('quitting the app', () => {
  it('closes the store and finalizes the token modules before quitting', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-quit-'));
    const runtime = await startRuntime({ dataDir, modulePaths: [pki.module], tokenPollMs: 60_000 });
    expect(runtime.watcher.tokens.length).toBeGreaterThan(0);
    const moduleBefore = await loadModule(pki.module);
    expect(runtime.store.db.open).toBe(true);

    let dbOpenAtQuit: boolean | undefined;
    const quit = new Promise<void>((resolve) => {
      const guard = createQuitGuard({
        close: () => runtime.close(),
        quit: () => {
          dbOpenAtQuit = runtime.store.db.open;
          resolve();
        },
      });
      let prevented = false;
      guard({ preventDefault: () => (prevented = true) });
      expect(prevented).toBe(true);
    });
    await quit;
    expect(dbOpenAtQuit).toBe(false);
    // C_Finalize ran: the module registry was emptied, so the module loads (and initialises) afresh.
    const moduleAfter = await loadModule(pki.module);
    expect(moduleAfter).not.toBe(moduleBefore);
    moduleAfter.lib.C_Finalize();
    // Closing twice is harmless, and the data reopens.
    await runtime.close();
    const reopened = open(dataDir);
    expect(reopened.db.open).toBe(true);
    reopened.close();
  });
});
