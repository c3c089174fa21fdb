import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { enqueueSign, getJob, type TokenChoice } from '../../../src/core/outbox/index.js';
import { getDocument, open } from '../../../src/core/store/index.js';
import { trustStoreFrom } from '../../../src/core/trust/index.js';
import { createDispatcher } from '../../../src/main/ipc/dispatcher.js';
import { startRuntime, type AppRuntime } from '../../../src/main/runtime.js';
import { createHandlers } from '../../../src/main/services.js';
import { discPng, fixture } from '../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../kit/pki.js';
import { draftWithPdf } from '../core/outbox/kit.js';

// The composition the Electron shell runs, under Node: store + outbox worker + token watcher, and the IPC login that wakes jobs.
const pki = usePrivateTokens();
let runtime: AppRuntime | undefined;
afterAll(() => runtime?.close());

const waitFor = async (check: () => boolean, timeoutMs = 20_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('app runtime', () => {
  it('keeps a sign job waiting for login, and a login through IPC lets it finish', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-runtime-'));
    // The document is queued before the app starts, as after a restart.
    const seed = open(dataDir);
    const document = draftWithPdf(seed, fixture('classic-xref.pdf'));
    const leader: TokenChoice = { module: pki.module, label: 'VANTHU LEADER', cert: 'leader-rsa' };
    const job = enqueueSign(seed, { documentId: document.id, token: leader, appearance: 'leader', level: 'B-B', image: discPng(100, [20, 40, 200]), page: 1, rect: [350, 100, 150, 75] });
    seed.close();

    const trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
    runtime = await startRuntime({ dataDir, modulePaths: [pki.module], trust, tokenPollMs: 60_000 });
    const store = runtime.store;
    await waitFor(() => getJob(store.db, job.id).state === 'waiting');
    expect(getJob(store.db, job.id)).toMatchObject({ waitingFor: 'login', attempts: 0 });

    const current = runtime;
    const dispatch = createDispatcher(createHandlers({ version: 'test', userModulePaths: () => [], onLoggedIn: () => current.resumeAfterLogin() }));
    const [token] = current.watcher.tokens.filter((t) => t.label === 'VANTHU LEADER');
    const login = await dispatch('tokens.login', { modulePath: pki.module, serial: token!.serial, label: token!.label, pin: pki.userPin });
    expect(login).toEqual({ ok: true, value: { loggedIn: true } });

    await waitFor(() => getJob(store.db, job.id).state === 'done');
    expect(getDocument(store.db, document.id).state).toBe('signed_by_leader');
    await runtime.close();
    runtime = undefined;
    // Closed cleanly: the data reopens and nothing is left running.
    const reopened = open(dataDir);
    expect(getJob(reopened.db, job.id).state).toBe('done');
    reopened.close();
  });
});
