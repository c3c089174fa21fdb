// The outbox's public API: a persistent job queue in the store's SQLite file, its worker, the sign/upgrade jobs and bulk signing.
import type { Store } from '../store/store.js';
import type { KeySource } from './keys.js';
import { signHandler, upgradeHandler, type SignHandlerOptions, type UpgradeHandlerOptions } from './sign-jobs.js';
import type { HookPayload } from './types.js';
import { OutboxWorker, type JobHandler, type WorkerOptions } from './worker.js';

export { backoffCeiling, backoffDelay, seededRandom, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
export { classifyFailure, offlineDelayMs, reasonOf, type FailureClass, type FailureReason } from './classify.js';
export {
  enqueue,
  claimNext,
  extendLease,
  completeJob,
  failJob,
  releaseJob,
  cancelJob,
  cancelDocumentJobs,
  resumeWaiting,
  wakeUp,
  retryJob,
  releaseDeadLeases,
  getJob,
  listJobs,
  jobHistory,
  queueCounts,
  nextDueAt,
  laneOf,
  newWorkerId,
  DEFAULT_LEASE_MS,
  DEFAULT_MAX_ATTEMPTS,
  type ClaimOptions,
  type CompleteOutcome,
  type FailOptions,
  type FailOutcome,
  type JobFilter,
} from './queue.js';
export { OutboxWorker, type HandlerOptions, type JobContext, type JobHandler, type WorkerEvent, type WorkerOptions } from './worker.js';
export { TokenKeySource, type KeySource, type SigningKey, type TokenKeySourceOptions } from './keys.js';
export {
  enqueueSign,
  signHandler,
  upgradeHandler,
  storeImage,
  defaultTransition,
  type SignRequest,
  type SignHandlerOptions,
  type SignJobResult,
  type UpgradeHandlerOptions,
} from './sign-jobs.js';
export { readForSigning, readGrowing, signIntoStore, type SigningInput } from './signed-blob.js';
export { bulkSign, type BulkSignOptions, type BulkProgress, type BulkItemResult, type BulkItemStatus, type BulkItemError, type BulkSignResult } from './bulk.js';
export type * from './types.js';

export interface OutboxOptions extends WorkerOptions, Omit<SignHandlerOptions, 'keys'>, UpgradeHandlerOptions {
  keys: KeySource;
  /** The sync engine's steps; without a handler their jobs go to needs_attention as an unknown kind. */
  hooks?: { upload?: JobHandler<HookPayload>; submit?: JobHandler<HookPayload> };
}

/** The app's worker: sign and upgrade jobs, plus the sync engine's hooks when it registers them. */
export function createOutboxWorker(store: Store, options: OutboxOptions): OutboxWorker {
  const worker = new OutboxWorker(store, options)
    .register('sign', signHandler(options))
    // A failed upgrade leaves a valid lower-level signature: the job shows it, the document stays where it is.
    .register('upgrade', upgradeHandler(options), { markDocument: false });
  // Both are replayable: the server answers a file it has, or a message id it took, as the first time.
  if (options.hooks?.upload) worker.register('upload', options.hooks.upload, { completion: 'replayable' });
  if (options.hooks?.submit) worker.register('submit', options.hooks.submit, { completion: 'replayable' });
  return worker;
}
