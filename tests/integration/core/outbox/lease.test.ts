// Leases: a worker process killed with SIGKILL mid-job keeps its lease until it expires; then the job runs again, once; a job that kills every worker stops.
import { describe, expect, it } from 'vitest';
import { claimNext, enqueue, getJob, jobHistory, OutboxWorker } from '../../../../src/core/outbox/index.js';
import { createDocument, getDocument, open } from '../../../../src/core/store/index.js';
import { collect, sleep, spawnChild, tempDir, waitForLine } from './kit.js';

const LEASE_MS = 1_500;

async function killWhileRunning(dataDir: string): Promise<{ jobId: number; attempt: number; killedAt: number }> {
  const child = spawnChild('hold-job', [dataDir, String(LEASE_MS)]);
  const done = collect(child);
  const line = await waitForLine(child, /^running /);
  const [, jobId, attempt] = line.split(' ').map(Number) as [number, number, number];
  // Alive past its first lease: the heartbeat keeps the lease, nobody else may take the job.
  await sleep(LEASE_MS * 1.5);
  child.kill('SIGKILL');
  const result = await done;
  expect(result.signal, result.stderr).toBe('SIGKILL');
  return { jobId, attempt, killedAt: Date.now() };
}

describe('leases across processes', () => {
  it('runs the job of a SIGKILLed worker again once its lease expires, and completes it exactly once', async () => {
    const dir = tempDir();
    const store = open(dir);
    const documentId = createDocument(store.db, 'outgoing', { subject: 'Văn bản' }).id;
    const job = enqueue(store.db, { kind: 'upload', documentId, payload: { file: 'a' } });

    const probe = 'host-of-test/1/probe';
    const child = spawnChild('hold-job', [dir, String(LEASE_MS)]);
    const done = collect(child);
    expect(await waitForLine(child, /^running /)).toBe(`running ${job.id} 1`);
    await sleep(LEASE_MS * 1.5);
    expect(claimNext(store.db, probe, { leaseMs: LEASE_MS }), 'a live worker keeps its lease by heartbeat').toBeUndefined();
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');

    // Dead, but its lease has not run out yet: still nobody else's.
    const dead = getJob(store.db, job.id);
    expect(dead.state).toBe('running');
    expect(claimNext(store.db, probe, { leaseMs: LEASE_MS })).toBeUndefined();
    await sleep(Math.max(0, dead.leaseExpiresAt! - Date.now()) + 50);

    let effects = 0;
    const worker = new OutboxWorker(store, { pollMs: 20 }).register('upload', async () => () => void effects++);
    await worker.drain();
    expect(effects).toBe(1);
    expect(getJob(store.db, job.id)).toMatchObject({ state: 'done', attempts: 2 });
    const events = jobHistory(store.db, job.id);
    expect(events.map((e) => e.event)).toEqual(['enqueued', 'leased', 'lease_expired', 'leased', 'succeeded']);
    expect(events[1]!.worker).not.toBe(events[3]!.worker);
    expect(events[2]!.worker).toBe(events[1]!.worker);
    store.close();
  }, 60_000);

  it('gives up on a job whose worker dies every time, into needs_attention with the document', async () => {
    const dir = tempDir();
    const store = open(dir);
    const documentId = createDocument(store.db, 'outgoing', { subject: 'Văn bản làm sập tiến trình' }).id;
    const job = enqueue(store.db, { kind: 'upload', documentId, payload: {}, maxAttempts: 2 });
    for (let round = 1; round <= 2; round++) {
      const killed = await killWhileRunning(dir);
      expect(killed).toMatchObject({ jobId: job.id, attempt: round });
      await sleep(Math.max(0, getJob(store.db, job.id).leaseExpiresAt! - Date.now()) + 50);
    }
    expect(claimNext(store.db, 'host/1/probe', { leaseMs: LEASE_MS })).toBeUndefined();
    expect(getJob(store.db, job.id)).toMatchObject({ state: 'needs_attention', attempts: 2, lastError: { code: 'OUTBOX_CRASHED' } });
    expect(getDocument(store.db, documentId).state).toBe('needs_attention');
    store.close();
  }, 60_000);
});
