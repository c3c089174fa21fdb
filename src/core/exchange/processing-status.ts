// Steps of an accepted incoming document with the status each one owes the sender (04 assigned, 05 in progress, 06 done), queued in the outbox in the same transaction.
import { isVanthuError } from '../../shared/errors.js';
import type { StatusCode } from '../../shared/exchange-protocol.js';
import type { HookPayload, JobHandler, JobRecord } from '../outbox/index.js';
import { enqueue, listJobs, retryJob } from '../outbox/index.js';
import { getDocument, markDone, markProcessing, recordAssignment, submitToLeader, type AssignmentInput, type Db, type Store } from '../store/index.js';
import { wordsFor } from './attention-words.js';
import type { ExchangeClient } from './client.js';

/** The outbox job kind that posts one status on an incoming message. */
export const STATUS_JOB_KIND = 'status';

/** Attempts of a status job: like a send, a provincial link can be down for hours (an open circuit spends none). */
export const STATUS_MAX_ATTEMPTS = 20;

/** One lane per document: its statuses reach the server in the order they were given (04 before 05 before 06). */
export const statusLane = (documentId: number): string => `status:${documentId}`;

export interface StatusJobPayload extends HookPayload {
  documentId: number;
  messageId: string;
  code: '04' | '05' | '06';
  reason: string | null;
}

const incomingMessageOf = (db: Db, documentId: number): string | undefined =>
  db.prepare<[number], string>("SELECT message_id FROM exchange_messages WHERE document_id = ? AND direction = 'incoming'").pluck().get(documentId);

/**
 * Queues the status for the sender when the document came through the exchange (one typed in by hand
 * has nobody to tell). Call inside the transaction that records the step.
 */
export function enqueueStatus(db: Db, documentId: number, code: StatusJobPayload['code'], reason?: string, now = Date.now()): JobRecord | undefined {
  const messageId = incomingMessageOf(db, documentId);
  if (messageId === undefined) return undefined;
  const payload: StatusJobPayload = { documentId, messageId, code, reason: reason ? reason.slice(0, 1000) : null };
  return enqueue(db, { kind: STATUS_JOB_KIND, documentId, lane: statusLane(documentId), payload, maxAttempts: STATUS_MAX_ATTEMPTS }, now);
}

export type ProcessingStep =
  | { step: 'submitted'; leader: string }
  | ({ step: 'assigned' } & Omit<AssignmentInput, 'now'>)
  | { step: 'processing'; by?: string; note?: string }
  | { step: 'done'; by?: string; result?: string };

/** Records the step and queues its status in one transaction: both are kept or neither (nothing lost offline). */
export function recordProcessingStep(store: Store, documentId: number, input: ProcessingStep, now = Date.now()): { statusQueued: boolean } {
  const db = store.db;
  return db.transaction(() => {
    switch (input.step) {
      case 'submitted':
        submitToLeader(db, documentId, { leader: input.leader, now });
        return { statusQueued: false };
      case 'assigned': {
        const { step: _step, ...assignment } = input;
        // A reassignment changes nothing for the sender: "assigned" was told the first time.
        const first = getDocument(db, documentId).state === 'accepted';
        recordAssignment(db, documentId, { ...assignment, now });
        return { statusQueued: first && enqueueStatus(db, documentId, '04', undefined, now) !== undefined };
      }
      case 'processing':
        markProcessing(db, documentId, { ...(input.by ? { by: input.by } : {}), ...(input.note ? { note: input.note } : {}), now });
        return { statusQueued: enqueueStatus(db, documentId, '05', undefined, now) !== undefined };
      case 'done':
        markDone(db, documentId, { ...(input.by ? { by: input.by } : {}), ...(input.result ? { result: input.result } : {}), now });
        return { statusQueued: enqueueStatus(db, documentId, '06', input.result, now) !== undefined };
    }
  }).immediate();
}

const payloadOf = (job: JobRecord<HookPayload>): StatusJobPayload => {
  const { documentId, messageId, code, reason } = job.payload;
  return { documentId: Number(documentId), messageId: String(messageId), code: code as StatusJobPayload['code'], reason: typeof reason === 'string' ? reason : null };
};

/**
 * The status job's handler: posts the status (its event id is derived from message and code, so a retry
 * is the same event). A 409 means the sender recalled the document meanwhile: nothing left to tell.
 */
export function statusHook(client: () => ExchangeClient): JobHandler<HookPayload> {
  return async ({ job }) => {
    const { messageId, code, reason } = payloadOf(job);
    try {
      await client().postStatus(messageId, code as StatusCode, reason ?? undefined);
    } catch (error) {
      if (!(isVanthuError(error, 'EXCHANGE_REFUSED') && Number(error.params.status) === 409)) throw error;
    }
    return undefined;
  };
}

export interface PendingStatus {
  code: StatusJobPayload['code'];
  /** Stuck: the server refused it for good (needs a person); otherwise queued, retrying or waiting for a login. */
  stuck: boolean;
  /**
   * Why it is stuck, in both languages, in the words a person acts on (never the server's code or a message id:
   * those stay in the outbox's record and the log).
   */
  reason: { code: string; messageVi: string; messageEn: string } | null;
}

function plainReason(failure: NonNullable<JobRecord['lastError']>): PendingStatus['reason'] {
  const words = wordsFor(failure);
  return { code: failure.code, messageVi: words.vi, messageEn: words.en };
}

/** Status jobs of the document not delivered yet, oldest first. */
export function pendingStatuses(db: Db, documentId: number): PendingStatus[] {
  return listJobs(db, { kind: STATUS_JOB_KIND, documentId })
    .filter((job) => job.state !== 'done' && job.state !== 'cancelled')
    .map((job) => ({
      code: (job.payload as StatusJobPayload).code,
      stuck: job.state === 'needs_attention',
      reason: job.state === 'needs_attention' && job.lastError ? plainReason(job.lastError) : null,
    }));
}

/** "Gửi lại": the document's stuck status jobs are queued again (in their lane's order); answers how many. */
export function retryStatuses(db: Db, documentId: number, now = Date.now()): number {
  const stuck = listJobs(db, { kind: STATUS_JOB_KIND, documentId, state: 'needs_attention' });
  for (const job of stuck) retryJob(db, job.id, now);
  return stuck.length;
}
