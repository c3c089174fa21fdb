// The inbox's filters as queries over the whole store, not the loaded page: "Đang theo dõi" (assigned or in progress, soonest deadline first) and "Cần kiểm tra lại" (held by the signature check), with their counts.
import type { Db } from './db-types.js';
import { prepared } from './statements.js';

export type InboxFilter = 'tracking' | 'held';

/** The deadline of the assignment in force (the latest 'assigned' step). */
const DEADLINE = "(SELECT s.deadline FROM incoming_steps s WHERE s.document_id = d.id AND s.step = 'assigned' ORDER BY s.id DESC LIMIT 1)";

const WHERE: Record<InboxFilter, string> = {
  // Accepted but not yet assigned is not tracked: nobody has a deadline yet.
  tracking: "d.direction = 'incoming' AND d.state IN ('assigned', 'processing')",
  held: "d.direction = 'incoming' AND d.id IN (SELECT document_id FROM incoming_checks)",
};

const ORDER: Record<InboxFilter, string> = {
  // No deadline last; ties in arrival order.
  tracking: `coalesce(${DEADLINE}, '9999-12-31'), d.id`,
  held: 'd.id DESC',
};

export const MAX_FILTERED = 500;

/** The ids of one filter's documents in the order the inbox shows them, at most `limit` from `offset`, and how many there are. */
export function listInboxFiltered(db: Db, filter: InboxFilter, options: { limit?: number; offset?: number } = {}): { ids: number[]; total: number } {
  const limit = Math.min(Math.max(1, options.limit ?? 200), MAX_FILTERED);
  const offset = Math.max(0, options.offset ?? 0);
  const ids = prepared<number>(db, `SELECT d.id FROM documents d WHERE ${WHERE[filter]} ORDER BY ${ORDER[filter]} LIMIT ? OFFSET ?`)
    .pluck()
    .all(limit, offset);
  return { ids, total: inboxFilterCounts(db)[filter] };
}

/** How many documents each filter holds in the whole store. */
export function inboxFilterCounts(db: Db): Record<InboxFilter, number> {
  return prepared<{ tracking: number; held: number }>(db,
    `SELECT (SELECT count(*) FROM documents d WHERE ${WHERE.tracking}) AS tracking, (SELECT count(*) FROM documents d WHERE ${WHERE.held}) AS held`,
  ).get()!;
}
