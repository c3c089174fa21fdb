// The queue on a real SQLite file: enqueue atomic with the domain row, lanes, retries, unknown kinds, cancellation, stopping.
import { describe, expect, it } from 'vitest';
import {
  cancelJob,
  createOutboxWorker,
  enqueue,
  getJob,
  jobHistory,
  listJobs,
  OutboxWorker,
  queueCounts,
  retryJob,
  TokenKeySource,
  wakeUp,
  type WorkerEvent,
} from '../../../../src/core/outbox/index.js';
import { assignOutgoingNumber, createDocument, getDocument, getHistory, open, transition, type Store } from '../../../../src/core/store/index.js';
import { VanthuError } from '../../../../src/shared/errors.js';
import { sleep, tempDir } from './kit.js';

function issued(store: Store): number {
  const { id } = createDocument(store.db, 'outgoing', { organId: '000.00.14.H14', codeNotation: 'UBND-VP', subject: 'Công văn gửi đi' });
  transition(store.db, id, 'signed_by_leader');
  assignOutgoingNumber(store.db, id);
  transition(store.db, id, 'issued');
  return id;
}

const noDelay = { baseMs: 10, maxMs: 40 };

describe('enqueue with the domain row', () => {
  it('stores the state change and the job together, or neither when the transaction fails', () => {
    const store = open(tempDir());
    const id = issued(store);
    const queue = store.db.transaction(() => {
      transition(store.db, id, 'queued');
      return enqueue(store.db, { kind: 'submit', documentId: id, payload: { messageId: '0190f1c2-7a4b-7000-8000-000000000001' } });
    });
    const job = queue.immediate();
    expect(getDocument(store.db, id).state).toBe('queued');
    expect(getJob(store.db, job.id)).toMatchObject({ state: 'pending', lane: `document:${id}`, documentId: id, payload: { messageId: expect.any(String) } });
    expect(jobHistory(store.db, job.id).map((h) => h.event)).toEqual(['enqueued']);

    // The same two steps in a transaction that fails afterwards: the document stays issued, no job, no history.
    const other = issued(store);
    expect(() =>
      store.db
        .transaction(() => {
          transition(store.db, other, 'queued');
          enqueue(store.db, { kind: 'submit', documentId: other, payload: {} });
          throw new Error('disk unplugged');
        })
        .immediate(),
    ).toThrow('disk unplugged');
    expect(getDocument(store.db, other).state).toBe('issued');
    expect(listJobs(store.db, { documentId: other })).toEqual([]);
    expect(getHistory(store.db, other).filter((h) => h.to === 'queued')).toEqual([]);

    // An invalid job makes the whole transaction fail, the state change included.
    expect(() =>
      store.db
        .transaction(() => {
          transition(store.db, other, 'queued');
          enqueue(store.db, { kind: 'submit', documentId: other, payload: {}, maxAttempts: 0 });
        })
        .immediate(),
    ).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(getDocument(store.db, other).state).toBe('issued');
    expect(store.db.prepare<unknown[], number>('SELECT count(*) FROM outbox_jobs').pluck().get()).toBe(1);
    // A job for a document that does not exist is refused.
    expect(() => enqueue(store.db, { kind: 'submit', documentId: 9_999, payload: {} })).toThrow(expect.objectContaining({ code: 'STORE_NOT_FOUND' }));
    store.close();
  });
});

describe('lanes', () => {
  it("runs a document's steps one after another, different documents in parallel up to the limit", async () => {
    const store = open(tempDir());
    const documents = Array.from({ length: 5 }, () => createDocument(store.db, 'outgoing', { subject: 'Văn bản' }).id);
    // Each document gets steps 0..3, enqueued interleaved across documents.
    for (let step = 0; step < 4; step++) for (const documentId of documents) enqueue(store.db, { kind: 'upload', documentId, payload: { step } });
    const log: { documentId: number; step: number; at: 'start' | 'end' }[] = [];
    let running = 0;
    let peak = 0;
    const worker = new OutboxWorker(store, { concurrency: 3, pollMs: 20 }).register('upload', async ({ job }) => {
      const step = job.payload.step as number;
      log.push({ documentId: job.documentId!, step, at: 'start' });
      running++;
      peak = Math.max(peak, running);
      await sleep(5 + ((job.id * 7) % 13));
      running--;
      log.push({ documentId: job.documentId!, step, at: 'end' });
      return undefined;
    });
    await worker.drain();
    expect(listJobs(store.db).every((j) => j.state === 'done')).toBe(true);
    for (const documentId of documents) {
      const mine = log.filter((e) => e.documentId === documentId);
      // In order, and never two at once: start/end pairs of steps 0, 1, 2, 3.
      expect(mine.map((e) => `${e.at}${e.step}`)).toEqual(['start0', 'end0', 'start1', 'end1', 'start2', 'end2', 'start3', 'end3']);
    }
    expect(peak).toBe(3);
    store.close();
  });

  it('holds the later steps of a document while an earlier one needs attention, and lets them go once it is dealt with', async () => {
    const store = open(tempDir());
    const documentId = createDocument(store.db, 'outgoing', { subject: 'Văn bản' }).id;
    const first = enqueue(store.db, { kind: 'fax', documentId, payload: {} });
    const second = enqueue(store.db, { kind: 'upload', documentId, payload: {} });
    const ran: number[] = [];
    const worker = new OutboxWorker(store, { pollMs: 20 }).register('upload', async ({ job }) => {
      ran.push(job.id);
      return undefined;
    });
    await worker.drain();
    // Unknown kind: needs attention with the reason in both languages, the document too; the next step waits.
    expect(getJob(store.db, first.id)).toMatchObject({
      state: 'needs_attention',
      lastError: { code: 'OUTBOX_UNKNOWN_KIND', messageVi: expect.stringContaining('"fax"'), messageEn: expect.stringContaining('"fax"') },
    });
    expect(getDocument(store.db, documentId).state).toBe('needs_attention');
    expect(getHistory(store.db, documentId).at(-1)?.reason).toContain('No handler for outbox job kind "fax"');
    expect(getJob(store.db, second.id).state).toBe('pending');
    expect(ran).toEqual([]);

    cancelJob(store.db, first.id, { reason: 'không cần gửi fax' });
    await worker.drain();
    expect(ran).toEqual([second.id]);
    expect(jobHistory(store.db, first.id).map((h) => h.event)).toEqual(['enqueued', 'leased', 'needs_attention', 'cancelled']);
    store.close();
  });
});

describe('hooks for the sync engine', () => {
  it('runs the registered submit hook with its typed payload; an upload with no handler yet needs attention', async () => {
    const store = open(tempDir());
    const id = issued(store);
    const submitted: string[] = [];
    const worker = createOutboxWorker(store, {
      keys: new TokenKeySource(),
      pollMs: 20,
      hooks: {
        submit: async ({ job }) => {
          submitted.push(String(job.payload.messageId));
          // The hook's store effect commits with its "done".
          return (db) => transition(db, job.documentId!, 'sending');
        },
      },
    });
    store.db
      .transaction(() => {
        transition(store.db, id, 'queued');
        enqueue(store.db, { kind: 'submit', documentId: id, payload: { messageId: 'm-1', recipients: ['000.00.00.G22'] } });
      })
      .immediate();
    const upload = enqueue(store.db, { kind: 'upload', lane: 'blobs', payload: { sha256: 'ab'.repeat(32) } });
    await worker.drain();
    expect(submitted).toEqual(['m-1']);
    expect(getDocument(store.db, id).state).toBe('sending');
    expect(getJob(store.db, upload.id)).toMatchObject({ state: 'needs_attention', lastError: { code: 'OUTBOX_UNKNOWN_KIND' } });
    store.close();
  });
});

describe('retries', () => {
  it('retries transient failures with the computed backoff, then succeeds; gives up into needs_attention after max attempts', async () => {
    const store = open(tempDir());
    const documentId = createDocument(store.db, 'outgoing', { subject: 'Văn bản' }).id;
    const flaky = enqueue(store.db, { kind: 'upload', documentId, payload: { failures: 2 }, maxAttempts: 5 });
    const hopeless = enqueue(store.db, { kind: 'upload', lane: 'server', payload: { failures: 99 }, maxAttempts: 3 });
    const tries = new Map<number, number>();
    const events: WorkerEvent['type'][] = [];
    const worker = new OutboxWorker(store, { pollMs: 10, backoff: noDelay, random: () => 0.5, onEvent: (e) => events.push(e.type) }).register('upload', async ({ job }) => {
      const n = (tries.get(job.id) ?? 0) + 1;
      tries.set(job.id, n);
      if (n <= (job.payload.failures as number)) throw new VanthuError('TSA_HTTP_ERROR', { url: 'http://127.0.0.1:9/tsa', status: 503 });
      return () => ({ tries: n });
    });
    await worker.drain({ maxWaitMs: 5_000 });

    expect(getJob(store.db, flaky.id)).toMatchObject({ state: 'done', attempts: 3, result: { tries: 3 } });
    const retries = jobHistory(store.db, flaky.id).filter((h) => h.event === 'retry');
    // random() = 0.5: half of each ceiling (10, then 20 ms).
    expect(retries.map((h) => [h.attempt, (h.detail as { delayMs: number }).delayMs])).toEqual([
      [1, 5],
      [2, 10],
    ]);
    expect(getJob(store.db, hopeless.id)).toMatchObject({
      state: 'needs_attention',
      attempts: 3,
      lastError: { code: 'OUTBOX_GAVE_UP', messageEn: expect.stringContaining('after 3 attempts') },
    });
    expect(tries.get(hopeless.id)).toBe(3);
    // The document of the job that succeeded was never marked.
    expect(getDocument(store.db, documentId).state).toBe('draft');

    // The user looks at it and asks again: fresh attempts.
    retryJob(store.db, hopeless.id);
    expect(getJob(store.db, hopeless.id)).toMatchObject({ state: 'pending', attempts: 0 });
    expect(queueCounts(store.db)).toMatchObject({ pending: 1, done: 1, needs_attention: 0 });
    store.close();
  });

  it('marks a permanent failure needs_attention at once, with the document', async () => {
    const store = open(tempDir());
    const documentId = createDocument(store.db, 'outgoing', { subject: 'Văn bản' }).id;
    const job = enqueue(store.db, { kind: 'upload', documentId, payload: {}, maxAttempts: 5 });
    const worker = new OutboxWorker(store, { backoff: noDelay }).register('upload', async () => {
      throw new VanthuError('PDF_INVALID', { detail: 'startxref not found' });
    });
    await worker.drain();
    expect(getJob(store.db, job.id)).toMatchObject({ state: 'needs_attention', attempts: 1, lastError: { code: 'PDF_INVALID' } });
    expect(getDocument(store.db, documentId).state).toBe('needs_attention');
    expect(getHistory(store.db, documentId).at(-1)).toMatchObject({ to: 'needs_attention', reason: expect.stringContaining('Không đọc được tệp PDF') });
    store.close();
  });
});

describe('cancellation and stopping', () => {
  it('cancels a queued job before it runs, and a running one through its signal without storing its result', async () => {
    const store = open(tempDir());
    const documentId = createDocument(store.db, 'outgoing', { subject: 'Văn bản' }).id;
    const running = enqueue(store.db, { kind: 'upload', documentId, payload: { slow: true } });
    const queued = enqueue(store.db, { kind: 'upload', lane: 'other', payload: { slow: false } });
    cancelJob(store.db, queued.id);
    let applied = 0;
    let aborted = false;
    const worker = new OutboxWorker(store, { leaseMs: 150, pollMs: 10 }).register('upload', async ({ job, signal }) => {
      if (!job.payload.slow) throw new Error('a cancelled job ran');
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted = true;
      return () => void applied++;
    });
    const drained = worker.drain();
    await sleep(60);
    expect(getJob(store.db, running.id).state).toBe('running');
    expect(cancelJob(store.db, running.id, { reason: 'người dùng hủy' })).toBe('cancel_requested');
    await drained;
    expect(aborted).toBe(true);
    expect(applied).toBe(0);
    expect(getJob(store.db, running.id).state).toBe('cancelled');
    expect(getJob(store.db, queued.id).state).toBe('cancelled');
    expect(jobHistory(store.db, queued.id).map((h) => h.event)).toEqual(['enqueued', 'cancelled']);
    expect(jobHistory(store.db, running.id).map((h) => h.event)).toEqual(['enqueued', 'leased', 'cancel_requested', 'cancelled']);
    expect(() => cancelJob(store.db, running.id)).toThrow(expect.objectContaining({ code: 'OUTBOX_JOB_FINISHED' }));
    store.close();
  });

  it('on stop, finishes what ends within the grace time and hands back the lease of what does not', async () => {
    const store = open(tempDir());
    const quick = enqueue(store.db, { kind: 'upload', lane: 'a', payload: { ms: 30 } });
    const slow = enqueue(store.db, { kind: 'upload', lane: 'b', payload: { ms: 5_000 } });
    const effects: number[] = [];
    const handler = async ({ job, signal }: { job: { id: number; payload: Record<string, unknown> }; signal: AbortSignal }) => {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, job.payload.ms as number);
        signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
      });
      return () => void effects.push(job.id);
    };
    const first = new OutboxWorker(store, { concurrency: 2, pollMs: 10 }).register('upload', handler);
    first.start();
    await sleep(10);
    while (listJobs(store.db, { state: 'running' }).length < 2) await sleep(5);
    await first.stop({ graceMs: 200 });
    expect(first.isRunning).toBe(false);
    expect(getJob(store.db, quick.id).state).toBe('done');
    // Released: runnable again at once, the attempt given back, nothing stored.
    expect(getJob(store.db, slow.id)).toMatchObject({ state: 'pending', attempts: 0, leaseOwner: null });
    expect(jobHistory(store.db, slow.id).map((h) => h.event)).toEqual(['enqueued', 'leased', 'released']);
    expect(effects).toEqual([quick.id]);

    const second = new OutboxWorker(store, { pollMs: 10 }).register('upload', async ({ job }) => () => void effects.push(job.id));
    await second.drain();
    expect(effects).toEqual([quick.id, slow.id]);
    expect(getJob(store.db, slow.id)).toMatchObject({ state: 'done', attempts: 1 });
    store.close();
  });
});

describe('a full disk', () => {
  it('stores nothing of a job whose result cannot be written, retries it later, and completes it once there is room', async () => {
    const store = open(tempDir());
    const documentId = createDocument(store.db, 'outgoing', { subject: 'Văn bản' }).id;
    const job = enqueue(store.db, { kind: 'upload', documentId, payload: {} });
    let runs = 0;
    const worker = new OutboxWorker(store, { pollMs: 20, backoff: { baseMs: 60_000, maxMs: 60_000 }, random: () => 0.5 }).register('upload', async () => {
      runs++;
      // SQLITE_FULL from the engine (max_page_count), as the store's own disk-full test does.
      if (runs === 1) store.db.pragma(`max_page_count = ${store.db.pragma('page_count', { simple: true }) as number}`);
      return (db) => {
        db.prepare('INSERT INTO document_history (document_id, at, kind, reason) VALUES (?, 0, ?, ?)').run(documentId, 'edited', 'x'.repeat(200_000));
        return { stored: true };
      };
    });
    await worker.drain({ maxWaitMs: 2_000 });
    expect(runs).toBe(1);
    // A full disk is transient: retried later (in 30 s here), the reason in both languages.
    const failed = getJob(store.db, job.id);
    expect(failed).toMatchObject({ state: 'pending', attempts: 1, lastError: { code: 'STORE_DISK_FULL', messageVi: expect.stringContaining('Ổ đĩa đã đầy') } });
    expect(failed.runAfter - Date.now()).toBeGreaterThan(20_000);
    expect(store.db.prepare<unknown[], number>("SELECT count(*) FROM document_history WHERE kind = 'edited'").pluck().get()).toBe(0);

    store.db.pragma('max_page_count = 1073741823');
    wakeUp(store.db);
    await worker.drain({ maxWaitMs: 2_000 });
    expect(runs).toBe(2);
    expect(getJob(store.db, job.id)).toMatchObject({ state: 'done', result: { stored: true } });
    expect(store.db.prepare<unknown[], number>("SELECT count(*) FROM document_history WHERE kind = 'edited'").pluck().get()).toBe(1);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    store.close();
  });
});

describe('completion durability', () => {
  it("commits a replayable kind's result without its own fsync and a durable kind's with one, the store left at FULL", async () => {
    const store = open(tempDir());
    const levels: Record<string, number> = {};
    const seen = (kind: string) => async () => (db: Store['db']) => {
      // Inside the transaction that marks the job done: the level its commit runs at.
      levels[kind] = db.pragma('synchronous', { simple: true }) as number;
    };
    const worker = new OutboxWorker(store, { pollMs: 20 })
      .register('upload', seen('upload'), { completion: 'replayable' })
      .register('report', seen('report'));
    const upload = enqueue(store.db, { kind: 'upload', lane: 'a', payload: {} });
    const report = enqueue(store.db, { kind: 'report', lane: 'b', payload: {} });
    await worker.drain();
    expect(levels).toEqual({ upload: 1, report: 2 });
    expect(getJob(store.db, upload.id).state).toBe('done');
    expect(getJob(store.db, report.id).state).toBe('done');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    store.close();
  });

  it('registers the exchange upload and submit hooks as replayable', async () => {
    const store = open(tempDir());
    const id = issued(store);
    let level: number | undefined;
    const worker = createOutboxWorker(store, {
      keys: new TokenKeySource(),
      pollMs: 20,
      hooks: { submit: async () => (db) => void (level = db.pragma('synchronous', { simple: true }) as number) },
    });
    enqueue(store.db, { kind: 'submit', documentId: id, payload: { messageId: 'm-2' } });
    await worker.drain();
    expect(level).toBe(1);
    store.close();
  });
});

describe('lease moves without their own fsync', () => {
  it('a claim and a lease extension leave the store at synchronous FULL, and a store run at a lower level as it was', async () => {
    const { claimNext, extendLease } = await import('../../../../src/core/outbox/queue.js');
    const dir = tempDir();
    const store = open(dir);
    const level = (): number => store.db.pragma('synchronous', { simple: true }) as number;
    expect(level()).toBe(2);
    enqueue(store.db, { kind: 'submit', documentId: issued(store), payload: {} });
    const job = claimNext(store.db, 'w1');
    expect(job?.state).toBe('running');
    expect(level()).toBe(2);
    expect(extendLease(store.db, job!.id, 'w1', 60_000).held).toBe(true);
    expect(level()).toBe(2);
    // The claim committed: another connection sees the lease.
    const again = open(dir);
    expect(getJob(again.db, job!.id).leaseOwner).toBe('w1');
    again.close();
    store.db.pragma('synchronous = OFF');
    enqueue(store.db, { kind: 'submit', documentId: issued(store), payload: {} });
    expect(claimNext(store.db, 'w1')).toBeDefined();
    expect(level()).toBe(0);
    store.close();
  });
});
