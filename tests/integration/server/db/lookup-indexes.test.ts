// Migration 0011: what every inbox read, status reply, status feed, submission and axis round looks up in tables that grow with traffic is answered from an index (the plan says so on SQLite and PostgreSQL); a recall's events are still found by their request's id; events written before it get their message's sender.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { documentsForAxis, heldFromAxis, statusesForAxis } from '../../../../src/server/axis/axis-connector.js';
import type { ServerSchema } from '../../../../src/server/db/schema.js';
import { unackedPageQuery } from '../../../../src/server/messages/inbox.js';
import { earlierEvents, statusFeedQuery } from '../../../../src/server/messages/status.js';
import { submissionLookupQuery } from '../../../../src/server/messages/submit.js';
import { bearer, CAO_BANG, DIALECTS, envelope, expectRefusal, fromMigration, NOI_VU, planOf, submit, useSealedServer, useSealedSetup, VPCP } from '../kit.js';

const setup = useSealedSetup();

describe.each(DIALECTS)('lookups answered from an index on %s', (dialect) => {
  const sealed = useSealedServer(setup, dialect);
  const db = (): Kysely<ServerSchema> => sealed.server.database.db;

  it("finds a status request's earlier events through status_events_request, not by reading every event", async () => {
    const plan = await planOf(db(), dialect, earlierEvents(db(), randomUUID()));
    expect(plan).toContain('status_events_request');
    expect(plan).not.toMatch(/Seq Scan|SCAN status_events/);
  });

  it("reads a recipient's unacked deliveries from deliveries_unacked, in order, not by walking every delivery after the cursor", async () => {
    const plan = await planOf(db(), dialect, unackedPageQuery(db(), NOI_VU, 0, 50));
    // SQLite takes "acked_at IS NULL" as an equality, so deliveries_inbox serves it in order as well.
    expect(plan).toMatch(dialect === 'postgres' ? /deliveries_unacked/ : /deliveries_(unacked|inbox)/);
    expect(plan).not.toMatch(/Seq Scan|SCAN deliveries\b|deliveries_pkey|TEMP B-TREE|Sort/);
  });

  it("reads a sender's status feed from status_events_feed, not through every message it sent nor every agency's events", async () => {
    const plan = await planOf(db(), dialect, statusFeedQuery(db(), CAO_BANG, 10, 100));
    expect(plan).toContain('status_events_feed');
    expect(plan).not.toMatch(/Seq Scan|SCAN (status_events|messages)\b|TEMP B-TREE|Sort/);
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

  it('queues for the axis only what was numbered since the last round: a range of deliveries and of status events, not all of them', async () => {
    for (const query of [documentsForAxis(db(), 1000, 1200), statusesForAxis(db(), 1000, 1200)]) {
      const plan = await planOf(db(), dialect, query);
      expect(plan).toMatch(/(deliveries|status_events)_pkey|INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
      expect(plan).not.toMatch(/Seq Scan on (deliveries|status_events|axis_outgoing)|SCAN (deliveries|status_events|axis_outgoing)\b/);
    }
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

describe.each(DIALECTS)('migration 0011 on %s', (dialect) => {
  it("gives the status events written before it their message's sender, which the feed then finds", async () => {
    await fromMigration(dialect, '0010-duplicate-number-index', async (database, migrateToLatest) => {
      const at = '2026-03-02T01:00:00.000Z';
      const old = database.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
      await old.insertInto('agencies').values([CAO_BANG, NOI_VU].map((organ_id) => ({ organ_id, name: organ_id, parent: null, created_at: at }))).execute();
      const messageId = randomUUID();
      await old.insertInto('messages').values({ id: messageId, sender: CAO_BANG, type: 'new', in_reply_to: null, envelope: '{}', envelope_sha256: 'e', receipt: '{}', created_at: at }).execute();
      const eventId = randomUUID();
      await old.insertInto('status_events').values({ event_id: eventId, message_id: messageId, recipient: NOI_VU, by_organ: NOI_VU, code: '01', reason: null, created_at: at }).execute();

      await migrateToLatest();
      const feed = await statusFeedQuery(database.db, CAO_BANG, 0, 10).execute();
      expect(feed.map((e) => [e.event_id, e.sender])).toEqual([[eventId, CAO_BANG]]);
      expect(await statusFeedQuery(database.db, NOI_VU, 0, 10).execute()).toEqual([]);
    });
  });

});
