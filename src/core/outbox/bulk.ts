// Bulk signing: N documents queued as one batch, one PIN login, progress events, and a batch that resumes where a crash or a pulled token left it.
import { createHash } from 'node:crypto';
import type { DocumentState } from '../../shared/document.js';
import { VanthuError } from '../../shared/errors.js';
import type { SigningLevel } from '../signing/index.js';
import { getDocument, getState } from '../store/documents.js';
import { listFiles } from '../store/files.js';
import { prepared } from '../store/statements.js';
import type { Store } from '../store/store.js';
import { withStoreErrors } from '../store/sqlite-errors.js';
import type { BackoffPolicy } from './backoff.js';
import type { FailureReason } from './classify.js';
import { TokenKeySource } from './keys.js';
import { cancelJob, listJobs, releaseDeadLeases, resumeWaiting } from './queue.js';
import { enqueueSign, signHandler, storeImage, type SignJobResult } from './sign-jobs.js';
import type { JobRecord, SignAppearance, TokenChoice, WaitingFor } from './types.js';
import { OutboxWorker } from './worker.js';
import type { TrustStore } from '../trust/index.js';

export interface BulkSignOptions {
  token: TokenChoice;
  appearance: SignAppearance;
  invisible?: boolean;
  level: SigningLevel;
  tsaUrl?: string;
  image?: Uint8Array;
  page?: number;
  rect?: [number, number, number, number];
  reason?: string;
  location?: string;
  documentNotation?: string;
  transitionTo?: DocumentState | null;
  /** Checks the certificate before the PIN and signs; default a TokenKeySource over `trust` and `chain`. */
  keys?: TokenKeySource;
  trust?: TrustStore;
  chain?: Uint8Array[];
  concurrency?: number;
  leaseMs?: number;
  backoff?: BackoffPolicy;
  /** How long to wait for retries coming due before returning with them still queued. */
  maxWaitMs?: number;
  /** Log out of the token when done (default true): the login lasts as long as the batch. */
  logoutAfter?: boolean;
  signal?: AbortSignal;
}

export interface BulkItemError extends FailureReason {
  documentId: number;
}

export interface BulkProgress {
  done: number;
  total: number;
  current: { documentId: number; subject: string } | undefined;
  errors: BulkItemError[];
}

/** already_signed: the file's latest revision already carries this appearance's signature (an earlier batch); not signed again. */
export type BulkItemStatus = 'signed' | 'already_signed' | 'failed' | 'waiting' | 'cancelled' | 'queued';

export interface BulkItemResult {
  documentId: number;
  jobId: number;
  status: BulkItemStatus;
  revision?: number;
  level?: SigningLevel;
  /** The level still to reach: an upgrade job was queued. */
  pendingLevel?: SigningLevel;
  upgradeJobId?: number;
  waitingFor?: WaitingFor;
  error?: FailureReason;
}

export interface BulkSignResult {
  batchId: number;
  /** True when this call continued a batch an earlier call had started. */
  resumed: boolean;
  total: number;
  signed: number;
  alreadySigned: number;
  failed: number;
  waiting: number;
  results: BulkItemResult[];
}

interface BatchRow {
  id: number;
  state: 'open' | 'finished' | 'cancelled';
}

function validateIds(store: Store, documentIds: readonly number[]): number[] {
  if (!Array.isArray(documentIds) || documentIds.length === 0) throw new VanthuError('BAD_INPUT', { detail: 'no documents to sign / không có văn bản nào' });
  if (documentIds.some((id) => !Number.isInteger(id) || id < 1)) throw new VanthuError('BAD_INPUT', { detail: 'document ids are positive integers' });
  if (new Set(documentIds).size !== documentIds.length) throw new VanthuError('BAD_INPUT', { detail: 'a document is listed twice / văn bản bị lặp' });
  const noFile = documentIds.filter((id) => {
    getState(store.db, id);
    return !listFiles(store.db, id).some((f) => f.role === 'main');
  });
  if (noFile.length > 0) throw new VanthuError('BAD_INPUT', { detail: `documents without a main file / văn bản chưa có tệp chính: ${noFile.join(', ')}` });
  return [...documentIds];
}

/** The same request finds its open batch again: documents (as a set), what is signed and with which key. */
function batchKeyOf(ids: readonly number[], options: BulkSignOptions): string {
  const { module, label, serial, cert } = options.token;
  const what = { ids: ids.toSorted((a, b) => a - b), appearance: options.appearance, level: options.level, token: [module, label, serial, cert] };
  return createHash('sha256').update(JSON.stringify(what)).digest('hex');
}

/**
 * Signs the documents' main files with one PIN login, as a batch of sign jobs in each document's
 * lane. Every document's result is stored with its revision in one transaction, so after a crash or
 * a token pulled out, calling again with the same documents continues the batch: documents already
 * signed are not signed again. A bad file fails alone (needs attention); the rest go on.
 * The PIN goes to the token's login and nowhere else.
 */
export async function bulkSign(
  store: Store,
  documentIds: readonly number[],
  options: BulkSignOptions,
  pin: string,
  onProgress?: (progress: BulkProgress) => void,
): Promise<BulkSignResult> {
  const ids = validateIds(store, documentIds);
  const keys = options.keys ?? new TokenKeySource({ trust: options.trust, chain: options.chain });
  // Everything knowable without the PIN first: a refused certificate stops here, nothing queued.
  await keys.certificate(options.token);

  const batchKey = batchKeyOf(ids, options);
  const image = options.image ? storeImage(store.blobs, options.image) : undefined;
  const { batchId, resumed, finished } = withStoreErrors('the bulk batch', () =>
    store.db
      .transaction(() => {
        // A finished batch is not signed again: its documents are reported as they ended.
        const earlier = prepared<BatchRow>(store.db,
          "SELECT id, state FROM outbox_batches WHERE batch_key = ? AND state != 'cancelled' ORDER BY id DESC LIMIT 1",
        ).get(batchKey);
        if (earlier) return { batchId: earlier.id, resumed: true, finished: earlier.state === 'finished' };
        const now = Date.now();
        const { image: _image, keys: _keys, trust: _trust, chain: _chain, signal: _signal, backoff: _backoff, ...recorded } = options;
        const alreadySigned = ids.filter((id) => latestMain(store, id)?.signatureKind === options.appearance);
        const batchId = Number(
          prepared(store.db, "INSERT INTO outbox_batches (batch_key, kind, options, state, total, created_at, updated_at) VALUES (?, 'sign', ?, 'open', ?, ?, ?)")
            .run(batchKey, JSON.stringify({ ...recorded, documentIds: ids, alreadySigned, imageSha256: image?.sha256 ?? null }), ids.length, now, now)
            .lastInsertRowid,
        );
        for (const documentId of ids) {
          if (alreadySigned.includes(documentId)) continue;
          enqueueSign(
            store,
            {
              documentId,
              token: options.token,
              appearance: options.appearance,
              level: options.level,
              ...(options.invisible ? { invisible: true } : {}),
              ...(options.tsaUrl ? { tsaUrl: options.tsaUrl } : {}),
              ...(options.image ? { image: options.image } : {}),
              ...(options.page === undefined ? {} : { page: options.page }),
              ...(options.rect === undefined ? {} : { rect: options.rect }),
              ...(options.reason === undefined ? {} : { reason: options.reason }),
              ...(options.location === undefined ? {} : { location: options.location }),
              ...(options.documentNotation === undefined ? {} : { documentNotation: options.documentNotation }),
              ...(options.transitionTo === undefined ? {} : { transitionTo: options.transitionTo }),
              batchId,
            },
            now,
          );
        }
        return { batchId, resumed: false, finished: false };
      })
      .immediate(),
  );

  if (finished) return finishBatch(store, batchId, true);

  // A crashed earlier run's leases are freed now rather than after they expire; waiting jobs go again after this login.
  releaseDeadLeases(store.db);
  await keys.login(options.token, pin);
  resumeWaiting(store.db, { batchId });

  const total = ids.length;
  const alreadySigned = batchOptions(store, batchId).alreadySigned;
  const subjects = new Map<number, string>();
  const subjectOf = (documentId: number): string => {
    let subject = subjects.get(documentId);
    if (subject === undefined) {
      subject = getDocument(store.db, documentId).subject;
      subjects.set(documentId, subject);
    }
    return subject;
  };
  const report = (running: JobRecord | undefined): void => {
    if (!onProgress) return;
    // Counted in SQL: a batch of thousands reports after every document.
    const done = prepared<number>(store.db,
      "SELECT count(*) FROM outbox_jobs WHERE batch_id = ? AND state IN ('done', 'needs_attention', 'cancelled')",
    ).pluck().get(batchId) ?? 0;
    const errors = listJobs(store.db, { batchId, state: 'needs_attention' })
      .filter((j) => j.lastError !== null && j.documentId !== null)
      .map((j) => ({ documentId: j.documentId as number, ...(j.lastError as FailureReason) }));
    const documentId = running?.documentId ?? undefined;
    onProgress({ done: done + alreadySigned.length, total, current: documentId == null ? undefined : { documentId, subject: subjectOf(documentId) }, errors });
  };

  // The document being signed now (the last one started), shown while the others finish.
  let current: JobRecord | undefined;
  const worker = new OutboxWorker(store, {
    batchId,
    kinds: ['sign'],
    concurrency: options.concurrency ?? 2,
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    onEvent: (event) => {
      if (event.type === 'started') current = event.job;
      report(current);
    },
  }).register('sign', signHandler({ keys, trust: options.trust }));

  const onAbort = (): void => {
    for (const job of listJobs(store.db, { batchId })) {
      if (job.state === 'pending' || job.state === 'waiting' || job.state === 'running') cancelJob(store.db, job.id, { reason: 'bulk cancelled' });
    }
    void worker.stop({ graceMs: 0 });
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    report(undefined);
    if (options.signal?.aborted) onAbort();
    else await worker.drain({ maxWaitMs: options.maxWaitMs ?? 60_000 });
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (options.logoutAfter ?? true) await keys.logout(options.token).catch(() => undefined);
  }
  return finishBatch(store, batchId, resumed);
}

function latestMain(store: Store, documentId: number) {
  return listFiles(store.db, documentId).find((f) => f.role === 'main')?.revisions.at(-1);
}

function batchOptions(store: Store, batchId: number): { alreadySigned: number[] } {
  const text = prepared<string>(store.db, 'SELECT options FROM outbox_batches WHERE id = ?').pluck().get(batchId);
  const parsed = JSON.parse(text ?? '{}') as { alreadySigned?: number[] };
  return { alreadySigned: parsed.alreadySigned ?? [] };
}

function finishBatch(store: Store, batchId: number, resumed: boolean): BulkSignResult {
  const jobs = listJobs(store.db, { batchId });
  const { alreadySigned } = batchOptions(store, batchId);
  const already = alreadySigned.map((documentId): BulkItemResult => {
    const latest = latestMain(store, documentId);
    return { documentId, jobId: 0, status: 'already_signed', ...(latest ? { revision: latest.revision, level: latest.signatureLevel as SigningLevel } : {}) };
  });
  const results = [...already, ...jobs.map((job): BulkItemResult => {
    const base = { documentId: job.documentId as number, jobId: job.id };
    switch (job.state) {
      case 'done': {
        const r = job.result as SignJobResult;
        return {
          ...base,
          status: 'signed',
          revision: r.revision,
          level: r.level as SigningLevel,
          ...(r.pendingLevel === null ? {} : { pendingLevel: r.pendingLevel as SigningLevel }),
          ...(r.upgradeJobId === null ? {} : { upgradeJobId: r.upgradeJobId }),
        };
      }
      case 'needs_attention':
        return { ...base, status: 'failed', ...(job.lastError ? { error: job.lastError } : {}) };
      case 'waiting':
        return { ...base, status: 'waiting', ...(job.waitingFor ? { waitingFor: job.waitingFor } : {}), ...(job.lastError ? { error: job.lastError } : {}) };
      case 'cancelled':
        return { ...base, status: 'cancelled' };
      default:
        return { ...base, status: 'queued' };
    }
  })].sort((a, b) => a.documentId - b.documentId);
  const settled = results.every((r) => r.status === 'signed' || r.status === 'already_signed' || r.status === 'failed' || r.status === 'cancelled');
  const cancelled = results.some((r) => r.status === 'cancelled');
  if (settled) {
    prepared(store.db, 'UPDATE outbox_batches SET state = ?, updated_at = ? WHERE id = ?').run(cancelled ? 'cancelled' : 'finished', Date.now(), batchId);
  }
  return {
    batchId,
    resumed,
    total: results.length,
    signed: results.filter((r) => r.status === 'signed').length,
    alreadySigned: results.filter((r) => r.status === 'already_signed').length,
    failed: results.filter((r) => r.status === 'failed').length,
    waiting: results.filter((r) => r.status === 'waiting').length,
    results,
  };
}
