// The persistent queue: enqueue inside the caller's transaction, claim with a lease, finish, retry, wait, cancel, with a history of every move.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { canTransition } from '../../shared/document.js';
import { VanthuError } from '../../shared/errors.js';
import type { Db } from '../store/db-types.js';
import { getState } from '../store/documents.js';
import { prepared } from '../store/statements.js';
import { withStoreErrors } from '../store/sqlite-errors.js';
import { withoutFsync } from '../store/durability.js';
import { transition } from '../store/workflow.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { classifyFailure, offlineDelayMs, reasonOf, type FailureReason } from './classify.js';
import type { JobEvent, JobHistoryEntry, JobRecord, JobState, NewJob, WaitingFor } from './types.js';

export const DEFAULT_MAX_ATTEMPTS = 8;
export const DEFAULT_LEASE_MS = 60_000;

interface JobRow {
  id: number;
  kind: string;
  lane: string;
  document_id: number | null;
  batch_id: number | null;
  payload: string;
  state: JobState;
  waiting_for: WaitingFor | null;
  attempts: number;
  max_attempts: number;
  run_after: number;
  lease_owner: string | null;
  lease_expires_at: number | null;
  cancel_requested: number;
  last_error: string | null;
  result: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

const toRecord = <P>(r: JobRow): JobRecord<P> => ({
  id: r.id,
  kind: r.kind,
  lane: r.lane,
  documentId: r.document_id,
  batchId: r.batch_id,
  payload: JSON.parse(r.payload) as P,
  state: r.state,
  waitingFor: r.waiting_for,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  runAfter: r.run_after,
  leaseOwner: r.lease_owner,
  leaseExpiresAt: r.lease_expires_at,
  cancelRequested: r.cancel_requested === 1,
  lastError: r.last_error === null ? null : (JSON.parse(r.last_error) as FailureReason),
  result: r.result === null ? null : (JSON.parse(r.result) as unknown),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  finishedAt: r.finished_at,
});

/** `host/pid/random`: the pid lets a process on the same machine see that a lease's owner is dead. */
export const newWorkerId = (): string => `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;

const immediate = <T>(db: Db, what: string, fn: () => T): T => withStoreErrors(what, () => db.transaction(fn).immediate());

/**
 * A lease move (claim, extension) commits without its own fsync (withoutFsync): a lease is only coordination.
 * A power cut can lose it, but then the job is simply ready again (its handlers are idempotent, as a crash
 * already requires), and the next FULL commit (the job's result) makes it durable anyway.
 */
const leaseMove = <T>(db: Db, what: string, fn: () => T): T => withoutFsync(db, () => immediate(db, what, fn));

function record(db: Db, jobId: number, at: number, event: JobEvent, extra: { attempt?: number; worker?: string | null; detail?: unknown } = {}): void {
  prepared(db, 'INSERT INTO outbox_job_history (job_id, at, event, attempt, worker, detail) VALUES (?, ?, ?, ?, ?, ?)').run(
    jobId,
    at,
    event,
    extra.attempt ?? null,
    extra.worker ?? null,
    extra.detail === undefined ? null : JSON.stringify(extra.detail),
  );
}

function rowOf(db: Db, id: number): JobRow {
  const row = prepared<JobRow>(db, 'SELECT * FROM outbox_jobs WHERE id = ?').get(id);
  if (row === undefined) throw new VanthuError('STORE_NOT_FOUND', { what: 'outbox job', id });
  return row;
}

export const laneOf = (documentId: number): string => `document:${documentId}`;

/**
 * Adds a job. Runs as one IMMEDIATE transaction, or as a savepoint of the caller's: call it inside
 * the transaction that changes the domain row (the document moved to `queued`, say) and either both
 * are stored or neither is.
 */
export function enqueue<K extends string>(db: Db, job: NewJob<K>, now = Date.now()): JobRecord<NewJob<K>['payload']> {
  const lane = job.lane ?? (job.documentId !== undefined ? laneOf(job.documentId) : undefined);
  if (lane === undefined) throw new VanthuError('BAD_INPUT', { detail: 'an outbox job needs a document or a lane' });
  const maxAttempts = job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new VanthuError('BAD_INPUT', { detail: `maxAttempts ${maxAttempts}` });
  const payload = JSON.stringify(job.payload ?? null);
  return immediate(db, 'the outbox job', () => {
    if (job.documentId !== undefined) getState(db, job.documentId);
    const { lastInsertRowid } = prepared(db,
      `INSERT INTO outbox_jobs (kind, lane, document_id, batch_id, payload, state, max_attempts, run_after, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
    ).run(job.kind, lane, job.documentId ?? null, job.batchId ?? null, payload, maxAttempts, job.runAfter ?? now, now, now);
    const id = Number(lastInsertRowid);
    record(db, id, now, 'enqueued');
    return toRecord(rowOf(db, id));
  });
}

export interface ClaimOptions {
  leaseMs?: number;
  now?: number;
  /** Only jobs of this bulk batch. */
  batchId?: number;
  /** Only these kinds. */
  kinds?: readonly string[];
}

// A job is ready when due (or its lease ran out) and no earlier job of its lane is still live.
// INDEXED BY: left to itself the planner took outbox_jobs_by_state and sorted every pending job on each
// claim (draining 10,000 jobs was quadratic, 2.5 ms a claim); the ready index yields them in order.
const READY_SQL = `
  SELECT j.* FROM (
    SELECT * FROM outbox_jobs INDEXED BY outbox_jobs_ready WHERE state = 'pending' AND run_after <= @now
    UNION ALL
    SELECT * FROM outbox_jobs WHERE state = 'running' AND lease_expires_at <= @now
  ) j
  WHERE (@batch IS NULL OR j.batch_id = @batch)
    AND (@kinds IS NULL OR j.kind IN (SELECT value FROM json_each(@kinds)))
    AND NOT EXISTS (SELECT 1 FROM outbox_jobs e
                     WHERE e.lane = j.lane AND e.id < j.id AND e.state IN ('pending', 'running', 'waiting', 'needs_attention'))
  ORDER BY j.run_after, j.id
  LIMIT 1`;

/**
 * Takes the next ready job for `worker` with a lease of `leaseMs`, in one IMMEDIATE transaction, so two
 * processes never take the same job. A job whose lease expired (its worker died) is taken again; one
 * that has already had all its attempts goes to needs_attention instead of crashing workers forever.
 */
export function claimNext(db: Db, worker: string, options: ClaimOptions = {}): JobRecord | undefined {
  const now = options.now ?? Date.now();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const params = { now, batch: options.batchId ?? null, kinds: options.kinds ? JSON.stringify(options.kinds) : null };
  return leaseMove(db, 'the outbox lease', () => {
    for (;;) {
      const row = prepared<JobRow>(db, READY_SQL).get(params);
      if (row === undefined) return undefined;
      if (row.state === 'running') {
        record(db, row.id, now, 'lease_expired', { attempt: row.attempts, worker: row.lease_owner, detail: { expiredAt: row.lease_expires_at } });
        if (row.attempts >= row.max_attempts) {
          toAttention(db, row, new VanthuError('OUTBOX_CRASHED', { attempts: row.attempts }), now, null, true);
          continue;
        }
      }
      prepared(db,
        `UPDATE outbox_jobs SET state = 'running', lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?`,
      ).run(worker, now + leaseMs, now, row.id);
      record(db, row.id, now, 'leased', { attempt: row.attempts + 1, worker });
      return toRecord(rowOf(db, row.id));
    }
  });
}

/** The row if `worker` still holds its lease (a slow worker may have lost it to another). */
function held(db: Db, jobId: number, worker: string): JobRow | undefined {
  const row = rowOf(db, jobId);
  return row.state === 'running' && row.lease_owner === worker ? row : undefined;
}

/** Extends the lease while the handler runs; says whether it is still held and whether cancellation was asked. */
export function extendLease(db: Db, jobId: number, worker: string, leaseMs: number, now = Date.now()): { held: boolean; cancelRequested: boolean } {
  return leaseMove(db, 'the outbox lease', () => {
    const row = held(db, jobId, worker);
    if (row === undefined) return { held: false, cancelRequested: false };
    prepared(db, 'UPDATE outbox_jobs SET lease_expires_at = ?, updated_at = ? WHERE id = ?').run(now + leaseMs, now, jobId);
    return { held: true, cancelRequested: row.cancel_requested === 1 };
  });
}

export type CompleteOutcome = 'done' | 'cancelled';

/**
 * Marks the job done, after running `apply` (the job's effect on the store: the signed revision, the
 * new state) in the same transaction: a job is done exactly when its effect is stored. Throws
 * OUTBOX_LEASE_LOST, storing nothing, when another worker has taken the job meanwhile.
 */
export function completeJob(db: Db, jobId: number, worker: string, apply?: (db: Db) => unknown, now = Date.now()): CompleteOutcome {
  return immediate(db, 'the outbox job result', () => {
    const row = held(db, jobId, worker);
    if (row === undefined) throw new VanthuError('OUTBOX_LEASE_LOST', { job: jobId });
    if (row.cancel_requested === 1) {
      finish(db, row, 'cancelled', now, null);
      record(db, jobId, now, 'cancelled', { attempt: row.attempts, worker, detail: { when: 'before its result was stored' } });
      return 'cancelled';
    }
    const result = apply?.(db);
    finish(db, row, 'done', now, result === undefined ? null : JSON.stringify(result));
    record(db, jobId, now, 'succeeded', { attempt: row.attempts, worker });
    return 'done';
  });
}

function finish(db: Db, row: JobRow, state: 'done' | 'cancelled', now: number, result: string | null): void {
  prepared(db,
    `UPDATE outbox_jobs SET state = ?, lease_owner = NULL, lease_expires_at = NULL, waiting_for = NULL, result = coalesce(?, result),
            finished_at = ?, updated_at = ? WHERE id = ?`,
  ).run(state, result, now, now, row.id);
}

export interface FailOptions {
  policy?: BackoffPolicy;
  random?: () => number;
  now?: number;
  /** Whether needs_attention also moves the document to needs_attention (a failed upgrade leaves a valid signature: no). */
  markDocument?: boolean;
}

export type FailOutcome =
  | { state: 'pending'; delayMs: number }
  | { state: 'waiting'; waitingFor: WaitingFor }
  | { state: 'needs_attention'; reason: FailureReason }
  | { state: 'cancelled' }
  | { state: 'lost' };

/** Records a failed run: retry later, wait for the user, or needs attention, by the error's class. */
export function failJob(db: Db, jobId: number, worker: string, error: unknown, options: FailOptions = {}): FailOutcome {
  const now = options.now ?? Date.now();
  const reason = reasonOf(error);
  return immediate(db, 'the outbox failure', (): FailOutcome => {
    const row = held(db, jobId, worker);
    if (row === undefined) return { state: 'lost' };
    if (row.cancel_requested === 1) {
      finish(db, row, 'cancelled', now, null);
      record(db, jobId, now, 'cancelled', { attempt: row.attempts, worker, detail: reason });
      return { state: 'cancelled' };
    }
    const kind = classifyFailure(error);
    if (kind === 'needs_login' || kind === 'needs_token') {
      const waitingFor: WaitingFor = kind === 'needs_login' ? 'login' : 'token';
      // The attempt is given back: waiting for a person is not the job failing.
      prepared(db,
        `UPDATE outbox_jobs SET state = 'waiting', waiting_for = ?, attempts = max(attempts - 1, 0), lease_owner = NULL, lease_expires_at = NULL,
                last_error = ?, updated_at = ? WHERE id = ?`,
      ).run(waitingFor, JSON.stringify(reason), now, jobId);
      record(db, jobId, now, 'waiting', { attempt: row.attempts, worker, detail: { waitingFor, ...reason } });
      return { state: 'waiting', waitingFor };
    }
    if (kind === 'offline') {
      // Not the job failing: the server is known to be down. It sleeps without spending the attempt, and
      // wakeUp() makes it due as soon as the exchange is online again.
      const delayMs = offlineDelayMs(error) ?? backoffDelay(Math.max(1, row.attempts), options.policy ?? DEFAULT_BACKOFF, options.random);
      prepared(db,
        `UPDATE outbox_jobs SET state = 'pending', run_after = ?, attempts = max(attempts - 1, 0), lease_owner = NULL, lease_expires_at = NULL,
                last_error = ?, updated_at = ? WHERE id = ?`,
      ).run(now + delayMs, JSON.stringify(reason), now, jobId);
      record(db, jobId, now, 'retry', { attempt: row.attempts, worker, detail: { delayMs, offline: true, ...reason } });
      return { state: 'pending', delayMs };
    }
    if (kind === 'transient' && row.attempts < row.max_attempts) {
      const delayMs = backoffDelay(row.attempts, options.policy ?? DEFAULT_BACKOFF, options.random);
      prepared(db,
        `UPDATE outbox_jobs SET state = 'pending', run_after = ?, lease_owner = NULL, lease_expires_at = NULL, last_error = ?, updated_at = ? WHERE id = ?`,
      ).run(now + delayMs, JSON.stringify(reason), now, jobId);
      record(db, jobId, now, 'retry', { attempt: row.attempts, worker, detail: { delayMs, ...reason } });
      return { state: 'pending', delayMs };
    }
    const final =
      kind === 'transient'
        ? new VanthuError('OUTBOX_GAVE_UP', { attempts: row.attempts, detailVi: reason.messageVi, detailEn: reason.messageEn, causeCode: reason.serverCode ?? reason.code })
        : error;
    return { state: 'needs_attention', reason: toAttention(db, row, final, now, worker, options.markDocument ?? true) };
  });
}

/** needs_attention with the reason; the document follows when it can, so the person sees it in the list. */
function toAttention(db: Db, row: JobRow, error: unknown, now: number, worker: string | null, markDocument: boolean): FailureReason {
  const reason = reasonOf(error);
  prepared(db,
    `UPDATE outbox_jobs SET state = 'needs_attention', lease_owner = NULL, lease_expires_at = NULL, waiting_for = NULL, last_error = ?, updated_at = ?
      WHERE id = ?`,
  ).run(JSON.stringify(reason), now, row.id);
  record(db, row.id, now, 'needs_attention', { attempt: row.attempts, worker, detail: reason });
  if (markDocument && row.document_id !== null) {
    const document = getState(db, row.document_id);
    if (canTransition(document.direction, document.state, 'needs_attention')) {
      transition(db, row.document_id, 'needs_attention', { reason: `${reason.messageVi} / ${reason.messageEn}`, now });
    }
  }
  return reason;
}

/** Gives a job back unfinished (the worker is stopping): it runs again at once and the attempt is not spent. */
export function releaseJob(db: Db, jobId: number, worker: string, now = Date.now()): boolean {
  return immediate(db, 'the outbox lease', () => {
    const row = held(db, jobId, worker);
    if (row === undefined) return false;
    if (row.cancel_requested === 1) {
      // Asked to stop and now stopped: that is the cancellation, not a job to run again.
      finish(db, row, 'cancelled', now, null);
      record(db, jobId, now, 'cancelled', { attempt: row.attempts, worker });
      return true;
    }
    prepared(db,
      `UPDATE outbox_jobs SET state = 'pending', run_after = ?, attempts = max(attempts - 1, 0), lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
        WHERE id = ?`,
    ).run(now, now, jobId);
    record(db, jobId, now, 'released', { attempt: row.attempts, worker });
    return true;
  });
}

/**
 * Cancels a job. A job not running is cancelled at once; a running one is asked to stop and ends
 * cancelled unless its result was already stored. Final jobs cannot be cancelled.
 */
export function cancelJob(db: Db, jobId: number, options: { reason?: string; now?: number } = {}): 'cancelled' | 'cancel_requested' {
  const now = options.now ?? Date.now();
  return immediate(db, 'the outbox cancellation', () => {
    const row = rowOf(db, jobId);
    if (row.state === 'done' || row.state === 'cancelled') {
      throw new VanthuError('OUTBOX_JOB_FINISHED', { job: jobId, state: row.state, actionVi: 'hủy', actionEn: 'cancelled' });
    }
    const detail = options.reason === undefined ? undefined : { reason: options.reason };
    if (row.state === 'running') {
      prepared(db, 'UPDATE outbox_jobs SET cancel_requested = 1, updated_at = ? WHERE id = ?').run(now, jobId);
      record(db, jobId, now, 'cancel_requested', { attempt: row.attempts, detail });
      return 'cancel_requested';
    }
    finish(db, row, 'cancelled', now, null);
    record(db, jobId, now, 'cancelled', { attempt: row.attempts, detail });
    return 'cancelled';
  });
}

/** Cancels every live job of a document (it was withdrawn); returns how many were cancelled or asked to stop. */
export function cancelDocumentJobs(db: Db, documentId: number, options: { reason?: string; now?: number } = {}): number {
  return immediate(db, 'the outbox cancellation', () => {
    const ids = prepared<number>(db,
      "SELECT id FROM outbox_jobs WHERE document_id = ? AND state IN ('pending', 'running', 'waiting', 'needs_attention') ORDER BY id",
    ).pluck().all(documentId);
    for (const id of ids) cancelJob(db, id, options);
    return ids.length;
  });
}

/** After the user logged in (or plugged the token back): the waiting jobs run again now. */
export function resumeWaiting(db: Db, options: { waitingFor?: WaitingFor; batchId?: number; now?: number } = {}): number {
  const now = options.now ?? Date.now();
  return immediate(db, 'the outbox jobs', () => {
    const ids = prepared<number>(db,
      `SELECT id FROM outbox_jobs WHERE state = 'waiting' AND (@for IS NULL OR waiting_for = @for) AND (@batch IS NULL OR batch_id = @batch) ORDER BY id`,
    ).pluck().all({ for: options.waitingFor ?? null, batch: options.batchId ?? null });
    for (const id of ids) {
      prepared(db, "UPDATE outbox_jobs SET state = 'pending', waiting_for = NULL, run_after = ?, updated_at = ? WHERE id = ?").run(now, now, id);
      record(db, id, now, 'resumed');
    }
    return ids.length;
  });
}

/** The network is back: jobs sleeping in backoff (of these kinds) become due now. */
export function wakeUp(db: Db, options: { kinds?: readonly string[]; now?: number } = {}): number {
  const now = options.now ?? Date.now();
  return withStoreErrors('the outbox jobs', () =>
    prepared(db,
      `UPDATE outbox_jobs SET run_after = @now, updated_at = @now
        WHERE state = 'pending' AND run_after > @now AND (@kinds IS NULL OR kind IN (SELECT value FROM json_each(@kinds)))`,
    ).run({ now, kinds: options.kinds ? JSON.stringify(options.kinds) : null }).changes,
  );
}

/** The person fixed the cause (replaced the file, chose another certificate): the job runs again with fresh attempts. */
export function retryJob(db: Db, jobId: number, now = Date.now()): void {
  immediate(db, 'the outbox job', () => {
    const row = rowOf(db, jobId);
    if (row.state !== 'needs_attention') {
      throw new VanthuError('OUTBOX_JOB_FINISHED', { job: jobId, state: row.state, actionVi: 'thử lại', actionEn: 'retried' });
    }
    prepared(db, "UPDATE outbox_jobs SET state = 'pending', attempts = 0, run_after = ?, updated_at = ? WHERE id = ?").run(now, now, jobId);
    record(db, jobId, now, 'retried_by_user');
  });
}

/**
 * Leases held by a process of this machine that no longer exists (killed, crashed) are released at
 * once instead of after their expiry: a user re-running a batch after a crash need not wait.
 */
export function releaseDeadLeases(db: Db, options: { now?: number; isAlive?: (pid: number) => boolean } = {}): number {
  const now = options.now ?? Date.now();
  const isAlive = options.isAlive ?? processAlive;
  const host = hostname();
  return immediate(db, 'the outbox leases', () => {
    const rows = prepared<{ id: number; lease_owner: string; attempts: number }>(db,
      "SELECT id, lease_owner, attempts FROM outbox_jobs WHERE state = 'running' ORDER BY id",
    ).all();
    let released = 0;
    for (const row of rows) {
      const [ownerHost, pidText] = row.lease_owner.split('/');
      const pid = Number(pidText);
      if (ownerHost !== host || !Number.isInteger(pid) || pid <= 0 || isAlive(pid)) continue;
      prepared(db,
        "UPDATE outbox_jobs SET state = 'pending', run_after = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ? WHERE id = ?",
      ).run(now, now, row.id);
      record(db, row.id, now, 'lease_expired', { attempt: row.attempts, worker: row.lease_owner, detail: { ownerGone: true } });
      released++;
    }
    return released;
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function getJob<P = unknown>(db: Db, id: number): JobRecord<P> {
  return toRecord<P>(rowOf(db, id));
}

export interface JobFilter {
  state?: JobState;
  documentId?: number;
  batchId?: number;
  kind?: string;
  lane?: string;
}

export function listJobs(db: Db, filter: JobFilter = {}): JobRecord[] {
  return prepared<JobRow>(db,
    `SELECT * FROM outbox_jobs WHERE (@state IS NULL OR state = @state) AND (@doc IS NULL OR document_id = @doc)
        AND (@batch IS NULL OR batch_id = @batch) AND (@kind IS NULL OR kind = @kind) AND (@lane IS NULL OR lane = @lane) ORDER BY id`,
  )
    .all({ state: filter.state ?? null, doc: filter.documentId ?? null, batch: filter.batchId ?? null, kind: filter.kind ?? null, lane: filter.lane ?? null })
    .map((r) => toRecord(r));
}

export function jobHistory(db: Db, jobId: number): JobHistoryEntry[] {
  return prepared<{ at: number; event: JobHistoryEntry['event']; attempt: number | null; worker: string | null; detail: string | null }>(db,
    'SELECT at, event, attempt, worker, detail FROM outbox_job_history WHERE job_id = ? ORDER BY id',
  )
    .all(jobId)
    .map((r) => ({ jobId, at: r.at, event: r.event, attempt: r.attempt, worker: r.worker, detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown) }));
}

/** Jobs per state, for a status bar ("3 waiting for the token"). */
export function queueCounts(db: Db): Record<JobState, number> & { waitingForLogin: number; waitingForToken: number } {
  const counts = { pending: 0, running: 0, waiting: 0, needs_attention: 0, done: 0, cancelled: 0, waitingForLogin: 0, waitingForToken: 0 };
  for (const r of prepared<{ state: JobState; waiting_for: WaitingFor | null; n: number }>(db,
    'SELECT state, waiting_for, count(*) AS n FROM outbox_jobs GROUP BY state, waiting_for',
  ).all()) {
    counts[r.state] += r.n;
    if (r.waiting_for === 'login') counts.waitingForLogin += r.n;
    if (r.waiting_for === 'token') counts.waitingForToken += r.n;
  }
  return counts;
}

/**
 * When the next job (of the batch, of these kinds) becomes claimable: a retry's time or a lease's
 * expiry. Jobs held behind a live job of their lane are left out: they wait for it, not for a time.
 */
export function nextDueAt(db: Db, options: { batchId?: number; kinds?: readonly string[] } = {}): number | undefined {
  const at = prepared<number | null>(db,
    `SELECT min(CASE j.state WHEN 'pending' THEN j.run_after ELSE j.lease_expires_at END) FROM outbox_jobs j
      WHERE j.state IN ('pending', 'running')
        AND (@batch IS NULL OR j.batch_id = @batch)
        AND (@kinds IS NULL OR j.kind IN (SELECT value FROM json_each(@kinds)))
        AND NOT EXISTS (SELECT 1 FROM outbox_jobs e
                         WHERE e.lane = j.lane AND e.id < j.id AND e.state IN ('pending', 'running', 'waiting', 'needs_attention'))`,
  ).pluck().get({ batch: options.batchId ?? null, kinds: options.kinds ? JSON.stringify(options.kinds) : null });
  return typeof at === 'number' ? at : undefined;
}
