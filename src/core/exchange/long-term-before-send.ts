// Raising a document to long-term level before it is sent (a setting, on where a TSA is set): the file then carries its own revocation data and recipients need no network.
import { enqueue, listJobs, type JobRecord, type UpgradeJobPayload } from '../outbox/index.js';
import { liveStates } from '../outbox/types.js';
import { listFiles, type Store } from '../store/index.js';

/** Signed files below B-LT that an upgrade can raise (an unsigned file has nothing to extend). */
const RAISABLE = new Set(['B-B', 'B-T']);

export interface LongTermBeforeSend {
  tsaUrl: string;
  maxAttempts?: number;
}

/**
 * Queues an upgrade of the document's main file when it is signed below B-LT and no upgrade is pending
 * already; the send's lane plan (planSendLane) then waits for it while the TSA answers, or sends at the
 * current level and lets it follow when it does not. Returns the queued job, if any.
 *
 * The upgrade goes to B-LTA, not B-LT: the exchange server takes a file only as its last signature
 * covers it (pdf-checks), so the DSS a B-LT adds must be sealed by a document timestamp.
 */
export function enqueueLongTermBeforeSend(store: Store, documentId: number, options: LongTermBeforeSend, now = Date.now()): JobRecord<UpgradeJobPayload> | null {
  return store.db
    .transaction(() => {
      const main = listFiles(store.db, documentId).find((f) => f.role === 'main');
      const latest = main?.revisions.at(-1);
      if (!main || !latest || !RAISABLE.has(latest.signatureLevel)) return null;
      const pending = listJobs(store.db, { documentId, kind: 'upgrade' }).some((j) => liveStates.includes(j.state));
      if (pending) return null;
      const payload: UpgradeJobPayload = { documentId, fileId: main.id, level: 'B-LTA', tsaUrl: options.tsaUrl, beforeSend: true };
      return enqueue(store.db, { kind: 'upgrade', documentId, payload, maxAttempts: options.maxAttempts ?? 20 }, now) as JobRecord<UpgradeJobPayload>;
    })
    .immediate();
}
