// Indexes for the lookups every request or connector round makes in tables that grow with traffic: a status reply's earlier events by its request's event id, a sender's status feed, a recipient's unacked deliveries, a sender's bound seals and seal rules, the axis packages held for a re-check.
import { sql, type Kysely, type Migration, type RawBuilder } from 'kysely';

// Why some choices:
// - A status reply looked for its earlier events with `event_id LIKE '<id>%'` (a recall to several recipients stores
//   "<id>:<recipient>" rows). Neither database can answer that from the unique index on event_id (SQLite's LIKE ignores
//   case; PostgreSQL's needs a pattern index), so every status reply read every status event ever written.
// - The request's event id is a UUID (the protocol's schema refuses anything else), 36 characters, so the first 36
//   characters of a stored id are its request's id. An index on that expression fills itself from the rows already
//   there and changes nothing in how a row is written; ids the server makes itself ("recall:…") never equal a UUID.
// - The literal 1 and 36 are in the index and in the query alike: an index on an expression serves only a query with
//   the same expression, and a bound parameter is not the same expression.
// - The status feed asked for "events on messages this agency sent, after the cursor": SQLite walked every message the
//   agency ever sent to find their events (34 times slower at 50,000 messages), and PostgreSQL walked every event after
//   the cursor, everyone's. Each event now carries its message's sender (copied from messages, which never changes it),
//   and (sender, seq) answers the feed from where the cursor stands. Rows already there get it from their message.
// - A recipient's inbox is its unacked deliveries in seq order. deliveries_inbox (recipient, acked_at, seq) holds them,
//   but PostgreSQL does not take "acked_at IS NULL" as an equality that leaves the index in seq order, so for the
//   ORDER BY … LIMIT it walked the primary key from the cursor and filtered: 198,000 acked rows read (20 ms) to find
//   10 at 200,000 deliveries, everyone's. A partial index of the unacked ones only, (recipient, seq), is one range on
//   both databases, and stays as small as what is waiting. deliveries_inbox stays: the axis connector finds the
//   deliveries to axis agencies through its first column.
// - (organ_id, role) on certificate bindings and rules: each submission asks whether its sender has a bound seal;
//   those tables hold a row per certificate or rule of every agency.
// - (state, updated_at) on axis_incoming: each connector round asks for the held packages, oldest first, among every
//   package ever received from the axis.

/** Length of a status request's event id (a UUID): the stored ids of one request all begin with it. */
export const STATUS_REQUEST_ID_LENGTH = 36;

/** The request's event id of a stored status event, as the status_events_request index holds it (the same text in both dialects). */
export function statusRequestKey(): RawBuilder<string> {
  return sql<string>`substr(event_id, 1, ${sql.lit(STATUS_REQUEST_ID_LENGTH)})`;
}

export const lookupIndexesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await sql`create index status_events_request on status_events (${statusRequestKey()})`.execute(db);
    await db.schema.alterTable('status_events').addColumn('sender', 'text').execute();
    await sql`update status_events set sender = (select messages.sender from messages where messages.id = status_events.message_id)`.execute(db);
    await db.schema.createIndex('status_events_feed').on('status_events').columns(['sender', 'seq']).execute();
    await sql`create index deliveries_unacked on deliveries (recipient, seq) where acked_at is null`.execute(db);
    await db.schema.createIndex('certificate_bindings_organ').on('certificate_bindings').columns(['organ_id', 'role']).execute();
    await db.schema.createIndex('certificate_rules_organ').on('certificate_rules').columns(['organ_id', 'role']).execute();
    await db.schema.createIndex('axis_incoming_state').on('axis_incoming').columns(['state', 'updated_at']).execute();
  },
};
