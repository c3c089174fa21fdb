// Migration 0011: what every status reply, submission and axis round looks up in tables that grow with traffic is answered from an index (the plan says so on SQLite and PostgreSQL), and a recall's events are still found by their request's id.
import { randomUUID } from 'node:crypto';
import { CompiledQuery, sql, type Compilable, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { heldFromAxis } from '../../../../src/server/axis/axis-connector.js';
import type { ServerSchema } from '../../../../src/server/db/schema.js';
import { earlierEvents } from '../../../../src/server/messages/status.js';
import { submissionLookupQuery } from '../../../../src/server/messages/submit.js';
import { bearer, CAO_BANG, DIALECTS, envelope, expectRefusal, NOI_VU, submit, useSealedServer, useSealedSetup, VPCP, type Dialect } from '../kit.js';

const setup = useSealedSetup();

/**
 * The database's plan for `query`. These tables are tiny here, and a tiny table is read whole whatever its indexes:
 * PostgreSQL is told not to, so a sequential scan left in its plan means no index could answer.
 */
async function planOf(db: Kysely<ServerSchema>, dialect: Dialect, query: Compilable): Promise<string> {
  const compiled = query.compile();
  return db.transaction().execute(async (trx) => {
    if (dialect === 'postgres') await sql`set local enable_seqscan = off`.execute(trx);
    const explain = dialect === 'postgres' ? 'explain' : 'explain query plan';
    const { rows } = await trx.executeQuery(CompiledQuery.raw(`${explain} ${compiled.sql}`, [...compiled.parameters]));
    return JSON.stringify(rows);
  });
}

describe.each(DIALECTS)('lookups answered from an index on %s', (dialect) => {
  const sealed = useSealedServer(setup, dialect);
  const db = (): Kysely<ServerSchema> => sealed.server.database.db;

  it("finds a status request's earlier events through status_events_request, not by reading every event", async () => {
    const plan = await planOf(db(), dialect, earlierEvents(db(), randomUUID()));
    expect(plan).toContain('status_events_request');
    expect(plan).not.toMatch(/Seq Scan|SCAN status_events/);
  });

  it("asks for the sender's seals and seal rules through certificate_bindings_organ and certificate_rules_organ", async () => {
    const plan = await planOf(db(), dialect, submissionLookupQuery(db(), randomUUID(), CAO_BANG, [NOI_VU, VPCP], true));
    expect(plan).toContain('certificate_bindings_organ');
    expect(plan).toContain('certificate_rules_organ');
    expect(plan).not.toMatch(/Seq Scan|SCAN (certificate_bindings|certificate_rules|messages|agencies|axis_agencies|pending_submissions)\b/);
  });

  it('lists the packages held from the axis through axis_incoming_state', async () => {
    const plan = await planOf(db(), dialect, heldFromAxis(db()));
    expect(plan).toContain('axis_incoming_state');
    expect(plan).not.toMatch(/Seq Scan|SCAN axis_incoming\b/);
  });

  it("answers a recall to two recipients again with both of its events, and refuses the same event id on another message", async () => {
    const { app } = sealed.server;
    const messageId = randomUUID();
    expect((await submit(app, sealed.caoBang, envelope([{ sha256: sealed.file }], [NOI_VU, VPCP]), messageId)).statusCode).toBe(201);
    const eventId = randomUUID();
    const recall = (id: string) => app.inject({ method: 'POST', url: `/v1/messages/${id}/status`, headers: bearer(sealed.caoBang), payload: { code: '13', eventId, reason: 'thu hồi' } });
    const first = await recall(messageId);
    expect(first.statusCode, first.body).toBe(201);
    const stored = first.json<{ events: { eventId: string; recipient: string }[] }>().events;
    expect(stored.map((e) => [e.eventId, e.recipient]).sort()).toEqual([[`${eventId}:${NOI_VU}`, NOI_VU], [`${eventId}:${VPCP}`, VPCP]].sort());

    const again = await recall(messageId);
    expect(again.statusCode).toBe(200);
    expect(again.json<{ events: unknown[] }>().events).toEqual(first.json<{ events: unknown[] }>().events);

    const otherId = randomUUID();
    expect((await submit(app, sealed.caoBang, envelope([{ sha256: sealed.file }], [NOI_VU, VPCP]), otherId)).statusCode).toBe(201);
    expectRefusal(await recall(otherId), 422, 'SERVER_IDEMPOTENCY_CONFLICT');
    // Only the request's own events share its id's first 36 characters: the other message has none.
    expect((await earlierEvents(db(), eventId).execute()).map((e) => e.message_id)).toEqual([messageId, messageId]);
  });
});
