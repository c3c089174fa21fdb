// The background re-check of held submissions: due ones (capped backoff) are verified again; valid ones are accepted and delivered, invalid ones refused with reasons.
import type { MessageEnvelope } from '../../shared/exchange-protocol.js';
import { isVanthuError } from '../../shared/errors.js';
import type { ResolvedConfig } from '../config.js';
import { isUniqueViolation } from '../db/connect.js';
import type { Poker } from '../events/poke.js';
import type { Reason } from '../http-errors.js';
import { accept, checkFiles, pendingRecheckDelay, type EdxmlRecord } from './submit.js';

/** How long a re-check holds its claim on a row: another server process leaves it alone meanwhile. */
const CLAIM_MS = 5 * 60_000;

export interface PendingRecheckResult {
  accepted: string[];
  refused: string[];
  stillPending: string[];
}

/**
 * One pass: the due pending submissions (all of them with `all`, e.g. when responders are known to be back),
 * each claimed first so two server processes never check the same one at once.
 */
export async function recheckPending(config: ResolvedConfig, poker?: Poker, options: { all?: boolean } = {}): Promise<PendingRecheckResult> {
  const { db } = config.database;
  const result: PendingRecheckResult = { accepted: [], refused: [], stillPending: [] };
  const now = config.clock();
  let query = db.selectFrom('pending_submissions').select(['id', 'sender', 'envelope', 'envelope_sha256', 'attempts', 'next_check_at', 'edxml']).where('state', '=', 'pending');
  if (!options.all) query = query.where('next_check_at', '<=', now.toISOString());
  for (const row of await query.orderBy('next_check_at').execute()) {
    const claimed = await db
      .updateTable('pending_submissions')
      .set({ next_check_at: new Date(now.getTime() + CLAIM_MS).toISOString() })
      .where('id', '=', row.id)
      .where('state', '=', 'pending')
      .where('next_check_at', '=', row.next_check_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    const envelope = JSON.parse(row.envelope) as MessageEnvelope;
    const agency = { organId: row.sender };
    try {
      const checked = await checkFiles(config, agency, envelope, undefined, now);
      if (checked.refusals.length > 0) {
        await settle(config, row.id, { state: 'refused', reasons: checked.refusals, attempts: row.attempts + 1, next_check_at: null }, now);
        result.refused.push(row.id);
      } else if (checked.waiting.length > 0) {
        const next = new Date(now.getTime() + pendingRecheckDelay(row.attempts + 1, config.pendingRecheck)).toISOString();
        await settle(config, row.id, { state: 'pending', reasons: checked.waiting, attempts: row.attempts + 1, next_check_at: next }, now);
        result.stillPending.push(row.id);
      } else {
        const recipients = [...new Set(envelope.recipients)];
        const accepted = await accept(config, agency, row.id, envelope, {
          hash: row.envelope_sha256,
          recipients,
          sizes: checked.sizes,
          sealNotBound: checked.sealNotBound,
          now,
          // An edXML import keeps its DocumentId and trace list, as when accepted at once.
          ...(row.edxml ? { options: { source: 'edxml', edxml: JSON.parse(row.edxml) as EdxmlRecord } } : {}),
          alsoInTransaction: async (trx) => void (await trx.deleteFrom('pending_submissions').where('id', '=', row.id).execute()),
        });
        if (!accepted.poked) await poker?.notify(recipients, 'inbox');
        result.accepted.push(row.id);
      }
    } catch (error) {
      // Accepted meanwhile by another process: nothing left to do. Anything else: the claim lapses and it is tried again.
      if (isUniqueViolation(error)) continue;
      if (!isVanthuError(error)) throw error;
      result.stillPending.push(row.id);
    }
  }
  return result;
}

async function settle(config: ResolvedConfig, id: string, to: { state: 'pending' | 'refused'; reasons: Reason[]; attempts: number; next_check_at: string | null }, now: Date): Promise<void> {
  await config.database.db
    .updateTable('pending_submissions')
    .set({ state: to.state, reasons: JSON.stringify(to.reasons), attempts: to.attempts, next_check_at: to.next_check_at, checked_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}

/** Runs recheckPending every `everyMs` until stopped (one pass at a time). */
export function startPendingChecker(config: ResolvedConfig, poker: Poker, everyMs: number): { stop: () => Promise<void> } {
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = recheckPending(config, poker)
      .catch(() => undefined)
      .finally(() => {
        running = undefined;
      });
  }, everyMs);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
