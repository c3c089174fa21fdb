// Indexes for the lookups every request or connector round makes in tables that grow with traffic: a status reply's earlier events by its request's event id, a sender's bound seals and seal rules, the axis packages held for a re-check.
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
    await db.schema.createIndex('certificate_bindings_organ').on('certificate_bindings').columns(['organ_id', 'role']).execute();
    await db.schema.createIndex('certificate_rules_organ').on('certificate_rules').columns(['organ_id', 'role']).execute();
    await db.schema.createIndex('axis_incoming_state').on('axis_incoming').columns(['state', 'updated_at']).execute();
  },
};
