// Status replies on a message: only the recipient's allowed steps or the sender's recall, idempotent by event id, audited; the sender's feed.
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { StatusCode, StatusEvent, StatusRequest } from '../../shared/exchange-protocol.js';
import { VanthuError } from '../../shared/errors.js';
import { appendAudit, auditAndDeliveryCtes, auditStatementArgs, type AuditEntry, type AuditStatementArgs } from '../audit/audit-log.js';
import { POKE_CHANNEL, pokePayload } from '../events/poke.js';
import { statusRequestKey } from '../db/migrations/0011-lookup-indexes.js';
import type { SqlDialectName } from '../db/dialect.js';
import { queryTemplate } from '../db/query-template.js';
import type { ServerSchema, StatusEventTable } from '../db/schema.js';
import { notFound } from '../http-errors.js';
import { nextState, type Actor } from './transitions.js';

const toEvent = (row: { seq: number; event_id: string; message_id: string; recipient: string; by_organ: string; code: string; reason: string | null; created_at: string }): StatusEvent => ({
  seq: Number(row.seq),
  eventId: row.event_id,
  messageId: row.message_id,
  recipient: row.recipient,
  by: row.by_organ,
  code: row.code as StatusCode,
  reason: row.reason,
  at: row.created_at,
});

/**
 * What an event is read as (toEvent's columns): named, not `*`, so the statements stay prepared on PostgreSQL
 * (prepared-statements.ts).
 */
const EVENT_COLUMNS = ['seq', 'event_id', 'message_id', 'recipient', 'by_organ', 'code', 'reason', 'created_at'] as const;

/**
 * The events stored for a status request's event id: the one event, or a recall's "<id>:<recipient>" events. Found
 * through the status_events_request index (migration 0011), never by reading every event.
 */
export function earlierEvents(db: Kysely<ServerSchema>, eventId: string) {
  return db.selectFrom('status_events').select(EVENT_COLUMNS).where(statusRequestKey(), '=', eventId);
}

// postStatus's statements, each built once (query-template.ts).
/**
 * The message, and its delivery to the agency asking when it is a recipient (`own`, its seq, with that delivery's
 * status): one round trip, and a recipient's reply reads nothing more before it moves the status.
 */
const messageAndDelivery = queryTemplate((db, a: { messageId: string; organId: string }) =>
  db
    .selectFrom('messages')
    .leftJoin('deliveries', (join) => join.onRef('deliveries.message_id', '=', 'messages.id').on('deliveries.recipient', '=', a.organId))
    .select(['messages.id', 'messages.sender', 'messages.type', 'deliveries.seq as own', 'deliveries.status as own_status', 'deliveries.status_before_recall as own_before'])
    .where('messages.id', '=', a.messageId),
);
const eventsOfRequest = queryTemplate((db, { eventId }: { eventId: string }) => earlierEvents(db, eventId));
const deliveriesOf = queryTemplate((db, { messageId }: { messageId: string }) => db.selectFrom('deliveries').select(['seq', 'recipient', 'status', 'status_before_recall']).where('message_id', '=', messageId));
/** Conditional on the status read, `from` (undefined: none yet). */
const statusMoved = queryTemplate((db, a: { seq: number; status: string | null; before: string | null; from: string | undefined }) =>
  db
    .updateTable('deliveries')
    .set({ status: a.status, status_before_recall: a.before })
    .where('seq', '=', a.seq)
    .where((eb) => (a.from === undefined ? eb('status', 'is', null) : eb('status', '=', a.from))),
);
const eventInserted = queryTemplate((db, row: Insertable<StatusEventTable>) => db.insertInto('status_events').values(row).returning(EVENT_COLUMNS));
/**
 * PostgreSQL: the audit entry (the head locked to commit), the event numbered after the lock and the poke of whom it
 * concerns (a NOTIFY, delivered at commit), in one statement. The event is inserted from the entry's row, so it is
 * numbered only once the lock is held.
 */
const eventRecorded = queryTemplate((_db, a: Insertable<StatusEventTable> & AuditStatementArgs & { poke: string }) => {
  const columns = sql.join(EVENT_COLUMNS.map((column) => sql.ref(column)));
  return sql<Pick<Selectable<StatusEventTable>, (typeof EVENT_COLUMNS)[number]>>`
    with ${auditAndDeliveryCtes(a)},
    event as (
      insert into status_events (event_id, message_id, sender, recipient, by_organ, code, reason, created_at)
      select ${a.event_id}, ${a.message_id}, ${a.sender}, ${a.recipient}, ${a.by_organ}, ${a.code}, ${a.reason}, ${a.created_at} from entry
      returning ${columns}),
    poked as (select pg_notify(${POKE_CHANNEL}, ${a.poke}))
    select ${columns}, (select count(*) from poked) as poked from event`;
});

/** Whom a status event concerns (whom to poke): the sender follows its documents; a recall, the sender's own, concerns the recipient. */
export const concernedBy = (event: { by: string; recipient: string }, sender: string): string => (event.by === sender ? event.recipient : sender);

export interface StatusResult {
  /** False when the same request (event id) was answered before: its events again. */
  created: boolean;
  events: StatusEvent[];
  /** The message's sender (whom a recipient's status concerns). */
  sender: string;
  /** Whom the events concern was poked by the recording statement itself (PostgreSQL NOTIFY, at commit): no poke after. */
  poked?: boolean;
}

export async function postStatus(db: Kysely<ServerSchema>, dialect: SqlDialectName, organId: string, messageId: string, request: StatusRequest, now: Date): Promise<StatusResult> {
  const message = await messageAndDelivery.first(db, { messageId, organId });
  // Neither sender nor recipient: the message does not exist for this agency.
  if (!message || (message.own === null && message.sender !== organId)) throw notFound(`văn bản ${messageId}`, `Message ${messageId}`);
  const actor: Actor = message.own !== null ? 'recipient' : 'sender';

  const earlier = await eventsOfRequest.rows(db, { eventId: request.eventId });
  if (earlier.length > 0) {
    const same = earlier.every((e) => e.message_id === messageId && e.by_organ === organId && e.code === request.code);
    if (!same) throw new VanthuError('SERVER_IDEMPOTENCY_CONFLICT', { id: request.eventId });
    return { created: false, events: earlier.map(toEvent), sender: message.sender };
  }

  return db.transaction().execute(async (trx) => {
    let targets: { seq: number; recipient: string; status: string | null; status_before_recall: string | null }[];
    // A recipient moves its own delivery, read with the message (a change since makes the conditional update below fail).
    if (actor === 'recipient') targets = [{ seq: message.own!, recipient: organId, status: message.own_status, status_before_recall: message.own_before }];
    else {
      if (request.code !== '13') throw new VanthuError('SERVER_STATUS_NOT_ALLOWED', { agency: organId, code: request.code });
      targets = await deliveriesOf.rows(trx, { messageId });
      if (request.recipient) targets = targets.filter((d) => d.recipient === request.recipient);
      if (targets.length === 0) throw notFound(`cơ quan nhận ${request.recipient ?? ''}`, `Recipient ${request.recipient ?? ''}`);
    }
    // The delivery rows in seq order, then the audit head (the lock order audit-log.ts states).
    targets.sort((a, b) => Number(a.seq) - Number(b.seq));
    for (const delivery of targets) {
      const next = nextState({ status: delivery.status, statusBeforeRecall: delivery.status_before_recall }, request.code, actor, message.type);
      if (!next) throw new VanthuError('SERVER_STATUS_TRANSITION', { id: messageId, from: delivery.status ?? '—', to: request.code });
      // Conditional on the status read: a concurrent change makes this one a 409, never a lost update.
      const moved = await statusMoved.run(trx, { seq: delivery.seq, status: next.status, before: next.statusBeforeRecall, from: delivery.status ?? undefined });
      if (Number(moved.numAffectedRows) !== 1) throw new VanthuError('SERVER_STATUS_TRANSITION', { id: messageId, from: delivery.status ?? '—', to: request.code });
    }
    const events: StatusEvent[] = [];
    for (const delivery of targets) {
      // One event per delivery; the sender's recall to several recipients gets suffixed ids under its own.
      const eventId = targets.length === 1 ? request.eventId : `${request.eventId}:${delivery.recipient}`;
      const entry: AuditEntry = { kind: 'status', organId, messageId, at: now.toISOString(), detail: { eventId, recipient: delivery.recipient, code: request.code, from: delivery.status } };
      const event = { event_id: eventId, message_id: messageId, sender: message.sender, recipient: delivery.recipient, by_organ: organId, code: request.code, reason: request.reason ?? null, created_at: now.toISOString() };
      let row;
      if (dialect === 'postgres') {
        row = await eventRecorded.first(trx, { ...event, ...auditStatementArgs(entry, undefined, []), poke: pokePayload(concernedBy({ by: organId, recipient: delivery.recipient }, message.sender), 'status') });
      } else {
        // Audit first: its head lock makes event numbers follow commit order, so the feed's cursor skips nothing.
        await appendAudit(trx, entry, dialect);
        row = await eventInserted.first(trx, event);
      }
      events.push(toEvent(row!));
    }
    return { created: true, events, sender: message.sender, poked: dialect === 'postgres' };
  });
}

/** statusFeed's statement: one range of the status_events_feed index (migration 0011), however many events other agencies have. */
export function statusFeedQuery(db: Kysely<ServerSchema>, organId: string, cursor: number, limit: number) {
  return db.selectFrom('status_events').selectAll().where('sender', '=', organId).where('seq', '>', cursor).orderBy('seq').limit(limit);
}

/** Status events on messages the agency sent, after `cursor`. */
export async function statusFeed(db: Kysely<ServerSchema>, organId: string, cursor: number, limit: number): Promise<{ events: StatusEvent[]; nextCursor: number }> {
  const events = (await statusFeedQuery(db, organId, cursor, limit).execute()).map(toEvent);
  return { events, nextCursor: events.at(-1)?.seq ?? cursor };
}
