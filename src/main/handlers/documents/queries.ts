// Register views (outgoing, incoming, drafts, outbox, sent) as keyset-paged queries, with search, a state filter and recipients.
import { pageLimit, summaryColumns, toPage, type SummaryRow } from '../../../core/store/documents.js';
import { toMatchQuery, type Db } from '../../../core/store/index.js';
import { shortReasons } from '../../../core/exchange/index.js';
import type { DocumentState, RecipientStatus } from '../../../shared/document.js';
import type { DocumentSummaryDto, DocumentView } from '../../../shared/ipc/documents.js';

/** What each view shows: a direction and, for some, the states that make it. */
const viewFilters: Record<DocumentView, { direction: 'outgoing' | 'incoming'; states?: readonly DocumentState[] }> = {
  outgoing: { direction: 'outgoing' },
  incoming: { direction: 'incoming' },
  drafts: { direction: 'outgoing', states: ['draft'] },
  // Waiting to go or stuck on the way: what the clerk watches in the outbox.
  outbox: { direction: 'outgoing', states: ['queued', 'sending', 'failed', 'needs_attention'] },
  sent: { direction: 'outgoing', states: ['sent'] },
};

export interface ListRequest {
  view: DocumentView;
  query?: string | undefined;
  state?: string | undefined;
  cursor?: number | null | undefined;
  offset?: number | undefined;
  limit?: number | undefined;
}

export interface ListResult {
  items: DocumentSummaryDto[];
  nextCursor: number | null;
  total?: number;
}

export function listView(db: Db, request: ListRequest): ListResult {
  const limit = pageLimit(request.limit);
  const filter = viewFilters[request.view];
  const where: string[] = ['d.direction = ?'];
  const params: (string | number)[] = [filter.direction];
  if (filter.states) {
    where.push(`d.state IN (${filter.states.map(() => '?').join(', ')})`);
    params.push(...filter.states);
  }
  if (request.state !== undefined) {
    where.push('d.state = ?');
    params.push(request.state);
  }
  const text = request.query?.trim() ?? '';
  const match = text.length > 0 ? toMatchQuery(text) : null;
  // Typed only punctuation: nothing can match, as the store's search says.
  if (text.length > 0 && match === null) return { items: [], nextCursor: null, ...(request.cursor == null && !request.offset ? { total: 0 } : {}) };
  const from = match === null ? 'documents d' : 'documents_fts JOIN documents d ON d.id = documents_fts.rowid';
  const idColumn = match === null ? 'd.id' : 'documents_fts.rowid';
  if (match !== null) {
    where.unshift('documents_fts MATCH ?');
    params.unshift(match);
  }
  const filtered = `FROM ${from} WHERE ${where.join(' AND ')}`;
  let pageWhere = request.cursor == null ? '' : ` AND ${idColumn} < ?`;
  let pageParams: number[] = request.cursor == null ? [] : [request.cursor];
  const jump = request.cursor == null && (request.offset ?? 0) > 0;
  if (jump) {
    // The id at that position, read from the covering index (direction/state, id) alone; the page then starts there.
    const anchor = db.prepare<unknown[], number>(`SELECT ${idColumn} ${filtered} ORDER BY ${idColumn} DESC LIMIT 1 OFFSET ?`).pluck().get(...params, request.offset);
    if (anchor === undefined) return { items: [], nextCursor: null };
    pageWhere = ` AND ${idColumn} <= ?`;
    pageParams = [anchor];
  }
  const rows = db
    .prepare<unknown[], SummaryRow>(`SELECT ${summaryColumns} ${filtered}${pageWhere} ORDER BY ${idColumn} DESC LIMIT ?`)
    .all(...params, ...pageParams, limit + 1);
  const page = toPage(rows, limit);
  const items = withAttention(db, withDeadlines(db, withRecipients(db, page.items)));
  if (request.cursor != null || jump) return { items, nextCursor: page.nextCursor };
  const total = db.prepare<unknown[], number>(`SELECT count(*) ${filtered}`).pluck().get(...params) ?? 0;
  return { items, nextCursor: page.nextCursor, total };
}

/** Adds each document's recipients and their latest status, in one query for the page. */
function withRecipients(db: Db, items: Omit<DocumentSummaryDto, 'recipients'>[]): DocumentSummaryDto[] {
  if (items.length === 0) return [];
  const rows = db
    .prepare<[string], { document_id: number; organ_id: string; organ_name: string; status: RecipientStatus | null }>(
      `SELECT document_id, organ_id, organ_name, status FROM document_recipients
        WHERE document_id IN (SELECT value FROM json_each(?)) ORDER BY document_id, position`,
    )
    .all(JSON.stringify(items.map((i) => i.id)));
  const byDocument = new Map<number, DocumentSummaryDto['recipients']>();
  for (const r of rows) {
    const list = byDocument.get(r.document_id) ?? [];
    list.push({ organId: r.organ_id, organName: r.organ_name, status: r.status });
    byDocument.set(r.document_id, list);
  }
  return items.map((item) => ({ ...item, recipients: byDocument.get(item.id) ?? [] }));
}

/** Adds the deadline of the assignment in force to the incoming documents that have one (the latest assignment wins). */
function withDeadlines(db: Db, items: DocumentSummaryDto[]): DocumentSummaryDto[] {
  const incoming = items.filter((i) => i.direction === 'incoming').map((i) => i.id);
  if (incoming.length === 0) return items;
  const rows = db
    .prepare<[string], { document_id: number; deadline: string }>(
      "SELECT document_id, deadline FROM incoming_steps WHERE step = 'assigned' AND document_id IN (SELECT value FROM json_each(?)) ORDER BY id",
    )
    .all(JSON.stringify(incoming));
  const deadlines = new Map(rows.map((r) => [r.document_id, r.deadline]));
  return items.map((item) => (deadlines.has(item.id) ? { ...item, deadline: deadlines.get(item.id)! } : item));
}

/** Adds the short reason of the rows that need attention (or whose sending is being retried), for the line under the status chip. */
function withAttention(db: Db, items: DocumentSummaryDto[]): DocumentSummaryDto[] {
  const reasons = shortReasons(db, items.filter((i) => i.direction === 'outgoing').map((i) => i.id));
  return reasons.size === 0 ? items : items.map((item) => (reasons.has(item.id) ? { ...item, attention: reasons.get(item.id)! } : item));
}
