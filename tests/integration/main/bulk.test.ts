// Bulk signing through IPC on SoftHSM: one PIN for the batch, progress events per document, stop, then continue where it stopped; the PIN never in an event.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listFiles } from '../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom } from '../../../src/core/trust/index.js';
import { createDispatcher } from '../../../src/main/ipc/dispatcher.js';
import { startRuntime, type AppRuntime } from '../../../src/main/runtime.js';
import { createHandlers } from '../../../src/main/services.js';
import type { BulkProgressView } from '../../../src/shared/ipc/exchange.js';
import { fixture } from '../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../kit/pki.js';
import { draftWithPdf } from '../core/outbox/kit.js';

const pki = usePrivateTokens();
let runtime: AppRuntime | undefined;
const dirs: string[] = [];
afterAll(async () => {
  await runtime?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await finalizeAllModules();
});

const derOfPem = (pem: string): Uint8Array => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
const waitFor = async (check: () => boolean, timeoutMs = 60_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('bulk signing runs', () => {
  it('stops on cancel, continues on resume, and ends with every document signed once', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-bulk-'));
    dirs.push(dataDir);
    const trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
    runtime = await startRuntime({ dataDir, modulePaths: [pki.module], trust, chain: [derOfPem(readFileSync(pki.subCaPem, 'utf8'))], tokenPollMs: 60_000 });
    const events: BulkProgressView[] = [];
    const dispatch = createDispatcher(createHandlers({ version: 'test', userModulePaths: () => [pki.module], runtime, trust, emit: (name, payload) => name === 'bulk.progress' && events.push(payload as BulkProgressView) }));
    const ids = [1, 2, 3, 4].map((n) => draftWithPdf(runtime!.store, fixture('classic-xref.pdf'), `Tờ trình ${n}`).id);

    const candidates = await dispatch('bulk.candidates', {});
    expect(candidates).toMatchObject({ ok: true });
    if (candidates.ok) expect((candidates.value as { documentId: number }[]).map((c) => c.documentId).sort()).toEqual([...ids].sort());

    const request = { documentIds: ids, token: { module: pki.module, label: 'VANTHU LEADER', cert: 'leader-rsa' }, pin: pki.userPin, appearance: 'leader', level: 'B-B' };
    const badPin = await dispatch('bulk.start', { ...request, pin: '' });
    expect(badPin).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });

    const started = await dispatch('bulk.start', request);
    if (!started.ok) throw new Error(started.error.messageEn);
    const { runId } = started.value as { runId: string };
    expect(await dispatch('bulk.cancel', { runId })).toEqual({ ok: true, value: { cancelled: true } });
    await waitFor(() => events.some((e) => e.runId === runId && e.finished));
    const stopped = events.findLast((e) => e.finished)!;
    expect(stopped.items.map((i) => i.documentId).sort()).toEqual([...ids].sort());
    expect(stopped.items.every((i) => ['signed', 'cancelled'].includes(i.status))).toBe(true);

    const count = events.length;
    expect(await dispatch('bulk.resume', { runId, pin: pki.userPin })).toEqual({ ok: true, value: { runId } });
    await waitFor(() => events.slice(count).some((e) => e.finished));
    const done = events.at(-1)!;
    expect(done).toMatchObject({ runId, finished: true, error: null });
    expect(done.items.map((i) => i.status).every((s) => s === 'signed' || s === 'already_signed')).toBe(true);
    expect(events.slice(count).some((e) => !e.finished)).toBe(true);

    // Signed once each: one leader revision on top of the original.
    for (const id of ids) {
      const revisions = listFiles(runtime.store.db, id)[0]!.revisions;
      expect(revisions.map((r) => r.signatureKind)).toEqual(['none', 'leader']);
    }
    expect(JSON.stringify(events)).not.toMatch(/"pin"\s*:/i);
    expect(JSON.stringify(events)).not.toContain(`"${pki.userPin}"`);
    expect(await dispatch('bulk.resume', { runId: 'no-such-run', pin: pki.userPin })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  }, 120_000);
});
