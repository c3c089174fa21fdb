// Whether a send waits for the document's pending signature upgrade: only when the user asked B-T/B-LT and the TSA answers; otherwise it goes at B-B and the upgrade follows later.
import { createHash } from 'node:crypto';
import { requestTimestamp } from '../cms/index.js';
import { listJobs, type JobRecord, type UpgradeJobPayload } from '../outbox/index.js';
import { liveStates } from '../outbox/types.js';
import type { Store } from '../store/index.js';

export interface SendLanePlan {
  lane: 'document' | 'own';
  /** The upgrade the send waits for, if it does. */
  waitsFor: { jobId: number; level: string } | null;
  /** Why, in words for logs and the UI's tooltip. */
  why: 'no-pending-upgrade' | 'upgrade-first' | 'tsa-unreachable' | 'level-not-awaited' | 'settings-say-send-now';
}

export interface SendLaneOptions {
  /** Settings: wait for a pending B-T/B-LT upgrade before sending when the TSA is reachable (default true). */
  waitForUpgrade?: boolean;
  /** How long the TSA gets to grant the probe timestamp (default 10 s; slower counts as unreachable: the document goes at B-B). */
  probeTimeoutMs?: number;
}

/**
 * A TSA is reachable when it grants a timestamp for a probe digest within the timeout. A real request,
 * not a ping: a TSA whose backend is down still answers HTTP, and waiting on it would hold the document.
 */
export async function tsaReachable(url: string, options: { timeoutMs?: number } = {}): Promise<boolean> {
  try {
    const digest = createHash('sha256').update('vanthu-tsa-probe').digest();
    await requestTimestamp(new Uint8Array(digest), 'SHA-256', { url, timeoutMs: options.timeoutMs ?? 10_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Decides the lane of a document's send jobs. In the document lane they run after every earlier job
 * of the document, the upgrade included; in their own lane they do not wait for it.
 */
export async function planSendLane(store: Store, documentId: number, options: SendLaneOptions = {}): Promise<SendLanePlan> {
  const upgrades = listJobs(store.db, { documentId, kind: 'upgrade' }).filter((j) => liveStates.includes(j.state)) as JobRecord<UpgradeJobPayload>[];
  if (upgrades.length === 0) return { lane: 'document', waitsFor: null, why: 'no-pending-upgrade' };
  const upgrade = upgrades[0]!;
  const ownLane = (why: SendLanePlan['why']): SendLanePlan => ({ lane: 'own', waitsFor: null, why });
  if (options.waitForUpgrade === false) return ownLane('settings-say-send-now');
  // B-LTA is an archive matter: never worth holding a document back for,
  // unless it was queued to carry revocation data out with this very send.
  if (upgrade.payload.level !== 'B-T' && upgrade.payload.level !== 'B-LT' && !upgrade.payload.beforeSend) return ownLane('level-not-awaited');
  if (!(await tsaReachable(upgrade.payload.tsaUrl, { timeoutMs: options.probeTimeoutMs }))) return ownLane('tsa-unreachable');
  return { lane: 'document', waitsFor: { jobId: upgrade.id, level: upgrade.payload.level }, why: 'upgrade-first' };
}
