// The worker loop: claims ready jobs up to a concurrency limit, keeps their leases alive, records each outcome, and hands leases back on stop.
import { VanthuError, isVanthuError } from '../../shared/errors.js';
import type { Db } from '../store/db-types.js';
import { withoutFsync } from '../store/durability.js';
import type { Store } from '../store/store.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { reasonOf, type FailureReason } from './classify.js';
import {
  claimNext,
  completeJob,
  DEFAULT_LEASE_MS,
  extendLease,
  failJob,
  newWorkerId,
  nextDueAt,
  releaseJob,
  type CompleteOutcome,
  type FailOutcome,
} from './queue.js';
import type { JobRecord, PayloadOf } from './types.js';

export interface JobContext<P> {
  job: JobRecord<P>;
  store: Store;
  /** Aborted when the lease is lost, cancellation is asked, or the worker stops. */
  signal: AbortSignal;
  worker: string;
}

/**
 * Does the slow part (signing, network) and returns the job's effect on the store, which the worker
 * runs inside the transaction that marks the job done: the effect and "done" are stored together.
 */
export type JobHandler<P> = (context: JobContext<P>) => Promise<((db: Db) => unknown) | undefined>;

export interface HandlerOptions {
  /** Whether a job of this kind that needs attention puts its document in needs_attention too (default yes). */
  markDocument?: boolean;
  /**
   * 'replayable': the job's completion commits without its own fsync (an fsync blocks the event loop for
   * milliseconds, twice per document sent). A power cut may roll the completion back; the job then runs again,
   * so its handler must make that harmless: the exchange's upload and submit are (the server answers a file
   * it has, or a message id it took, as the first time). Default 'durable'.
   */
  completion?: 'durable' | 'replayable';
}

export type WorkerEvent =
  | { type: 'started'; job: JobRecord }
  | { type: 'done'; job: JobRecord }
  | { type: 'failed'; job: JobRecord; outcome: FailOutcome; reason: FailureReason }
  | { type: 'cancelled'; job: JobRecord }
  | { type: 'lost'; job: JobRecord }
  | { type: 'released'; job: JobRecord };

export interface WorkerOptions {
  id?: string;
  /** Jobs run at once (each in its own lane). */
  concurrency?: number;
  leaseMs?: number;
  /** Longest sleep when idle: other processes may enqueue without waking this one. */
  pollMs?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** Only the jobs of this bulk batch. */
  batchId?: number;
  /** Only these kinds. */
  kinds?: readonly string[];
  onEvent?: (event: WorkerEvent) => void;
}

interface Running {
  job: JobRecord;
  controller: AbortController;
  done: Promise<void>;
  released: boolean;
}

export class OutboxWorker {
  readonly id: string;
  private readonly handlers = new Map<string, { handler: JobHandler<unknown>; options: HandlerOptions }>();
  private readonly running = new Map<number, Running>();
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private loopPromise: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  constructor(
    readonly store: Store,
    private readonly options: WorkerOptions = {},
  ) {
    this.id = options.id ?? newWorkerId();
    this.concurrency = Math.max(1, Math.trunc(options.concurrency ?? 2));
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.pollMs = options.pollMs ?? 1_000;
  }

  register<K extends string>(kind: K, handler: JobHandler<PayloadOf<K>>, options: HandlerOptions = {}): this {
    this.handlers.set(kind, { handler: handler as JobHandler<unknown>, options });
    return this;
  }

  get isRunning(): boolean {
    return this.loopPromise !== undefined;
  }

  /** Starts the loop in the background; it runs until stop(). */
  start(): void {
    if (this.loopPromise) return;
    this.stopping = false;
    this.loopPromise = this.loop(false).finally(() => {
      this.loopPromise = undefined;
    });
  }

  /** New work was enqueued (or a login happened): look now instead of at the next poll. */
  poke(): void {
    this.wake?.();
  }

  /**
   * Runs until no job is ready or in flight; waits for retries due within `maxWaitMs`. For bulk work
   * and tests, where the caller wants to know when the queue it filled has drained.
   */
  async drain(options: { maxWaitMs?: number } = {}): Promise<void> {
    if (this.loopPromise) throw new VanthuError('BAD_INPUT', { detail: 'the worker is already running' });
    this.stopping = false;
    this.loopPromise = this.loop(true, options.maxWaitMs ?? 0).finally(() => {
      this.loopPromise = undefined;
    });
    await this.loopPromise;
  }

  /**
   * Stops claiming, lets the running jobs finish for `graceMs`, then gives back the leases of those
   * still running (they run again at once elsewhere, without spending an attempt).
   */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    this.stopping = true;
    this.wake?.();
    const graceMs = options.graceMs ?? 10_000;
    const all = Promise.all([...this.running.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const run of this.running.values()) {
      run.released = true;
      run.controller.abort(new VanthuError('OUTBOX_LEASE_LOST', { job: run.job.id }));
      if (releaseJob(this.store.db, run.job.id, this.id)) this.options.onEvent?.({ type: 'released', job: run.job });
    }
    await this.loopPromise;
  }

  private async loop(untilIdle: boolean, maxWaitMs = 0): Promise<void> {
    const deadline = Date.now() + maxWaitMs;
    while (!this.stopping) {
      while (this.running.size < this.concurrency && !this.stopping) {
        const job = claimNext(this.store.db, this.id, { leaseMs: this.leaseMs, batchId: this.options.batchId, kinds: this.options.kinds });
        if (job === undefined) break;
        this.launch(job);
      }
      if (this.stopping) break;
      let sleepMs = this.pollMs;
      if (this.running.size === 0) {
        const due = nextDueAt(this.store.db, { batchId: this.options.batchId, kinds: this.options.kinds });
        if (untilIdle) {
          // Idle: done, unless a retry (or an expired lease) comes due before the deadline. A due time
          // already past means the claim just lost it to another process: look again after a poll.
          if (due === undefined || due > deadline) break;
          sleepMs = due <= Date.now() ? Math.min(this.pollMs, 50) : due - Date.now();
        } else if (due !== undefined) {
          sleepMs = Math.min(this.pollMs, Math.max(0, due - Date.now()));
        }
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, sleepMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private launch(job: JobRecord): void {
    const controller = new AbortController();
    const run: Running = { job, controller, released: false, done: Promise.resolve() };
    run.done = this.execute(run).finally(() => {
      this.running.delete(job.id);
      this.wake?.();
    });
    this.running.set(job.id, run);
  }

  private async execute(run: Running): Promise<void> {
    const { job, controller } = run;
    const db = this.store.db;
    const emit = (event: WorkerEvent): void => {
      // A listener's failure (a progress bar) must not become the job's failure.
      try {
        this.options.onEvent?.(event);
      } catch {
        // Ignored on purpose.
      }
    };
    const heartbeat = setInterval(() => {
      try {
        const state = extendLease(db, job.id, this.id, this.leaseMs);
        if (!state.held) controller.abort(new VanthuError('OUTBOX_LEASE_LOST', { job: job.id }));
        else if (state.cancelRequested) controller.abort(new Error('cancelled'));
      } catch {
        // A busy database delays the heartbeat; the lease has room for a few misses.
      }
    }, Math.max(50, Math.floor(this.leaseMs / 3)));
    const registration = this.handlers.get(job.kind);
    try {
      emit({ type: 'started', job });
      if (registration === undefined) throw new VanthuError('OUTBOX_UNKNOWN_KIND', { kind: job.kind });
      const apply = await registration.handler({ job, store: this.store, signal: controller.signal, worker: this.id });
      if (run.released) return;
      const complete = (): CompleteOutcome => completeJob(db, job.id, this.id, apply);
      const outcome = registration.options.completion === 'replayable' ? withoutFsync(db, complete) : complete();
      emit({ type: outcome, job });
    } catch (error) {
      if (run.released) return;
      if (isVanthuError(error, 'OUTBOX_LEASE_LOST')) {
        emit({ type: 'lost', job });
        return;
      }
      let outcome: FailOutcome;
      try {
        outcome = failJob(db, job.id, this.id, error, {
          policy: this.options.backoff ?? DEFAULT_BACKOFF,
          random: this.options.random,
          markDocument: registration?.options.markDocument ?? true,
        });
      } catch {
        // Not even the failure could be written (a full disk): the job keeps its lease, which expires,
        // and the job runs again then. Nothing of this run was stored.
        emit({ type: 'lost', job });
        return;
      }
      if (outcome.state === 'lost') emit({ type: 'lost', job });
      else if (outcome.state === 'cancelled') emit({ type: 'cancelled', job });
      else emit({ type: 'failed', job, outcome, reason: reasonOf(error) });
    } finally {
      clearInterval(heartbeat);
    }
  }
}
