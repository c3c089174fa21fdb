// The same number and ký hiệu of one agency arriving again under another message id: accepted with a warning and an audit entry (SQLite and PostgreSQL).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../src/server/index.js';
import { duplicateCandidatesQuery, numberedDocument } from '../../../src/server/messages/duplicates.js';
import type { MessageEnvelope } from '../../../src/shared/exchange-protocol.js';
import { CAO_BANG, DIALECTS, envelope, planOf, submit, useSealedServer, useSealedSetup } from './kit.js';

const setup = useSealedSetup();

describe.each(DIALECTS)('duplicate numbers on %s', (dialect) => {
  const sealed = useSealedServer(setup, dialect);

  const numbered = (codeNumber: string, issuedDate = '2026-03-02'): Record<string, unknown> => {
    const body = envelope([{ sha256: sealed.file }]);
    return { ...body, metadata: { ...(body.metadata as Record<string, unknown>), codeNumber, codeNotation: 'UBND-KT', issuedDate } };
  };

  it('warns (201, warnings beside the receipt, an audit entry) when 05/UBND-KT comes again under another id; never refuses', async () => {
    const firstId = randomUUID();
    const first = await submit(sealed.server.app, sealed.caoBang, numbered('05'), firstId);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).not.toHaveProperty('warnings');

    const secondId = randomUUID();
    const second = await submit(sealed.server.app, sealed.caoBang, numbered('5'), secondId);
    expect(second.statusCode, second.body).toBe(201);
    const body = second.json<{ receipt: { messageId: string }; warnings: { code: string; messageVi: string; messageEn: string; earlier: string[] }[] }>();
    expect(body.receipt.messageId).toBe(secondId);
    expect(body.warnings).toHaveLength(1);
    expect(body.warnings[0]).toMatchObject({ code: 'SERVER_DUPLICATE_NUMBER', earlier: [firstId] });
    expect(body.warnings[0]!.messageVi).toMatch(/05\/UBND-KT.*đã được gửi trước đây/);
    expect(body.warnings[0]!.messageEn).toMatch(/was sent before/);

    // The replay of an accepted submission answers its receipt only.
    const replay = await submit(sealed.server.app, sealed.caoBang, numbered('5'), secondId);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).not.toHaveProperty('warnings');

    const audit = await sealed.server.database.db.selectFrom('audit_log').select(['kind', 'message_id', 'detail']).where('kind', '=', 'duplicate-number').execute();
    expect(audit.map((a) => [a.message_id, JSON.parse(a.detail).earlier])).toEqual([[secondId, [firstId]]]);
    expect((await verifyAuditLog(sealed.server.database.db)).ok).toBe(true);
  });

  it('does not warn for another number, another year, or an update of the document', async () => {
    const other = await submit(sealed.server.app, sealed.caoBang, numbered('06'));
    expect(other.statusCode).toBe(201);
    expect(other.json()).not.toHaveProperty('warnings');
    const nextYear = await submit(sealed.server.app, sealed.caoBang, numbered('05', '2027-01-04'));
    expect(nextYear.statusCode).toBe(201);
    expect(nextYear.json()).not.toHaveProperty('warnings');
    const originalId = randomUUID();
    expect((await submit(sealed.server.app, sealed.caoBang, numbered('07'), originalId)).statusCode).toBe(201);
    const update = await submit(sealed.server.app, sealed.caoBang, { ...numbered('07'), type: 'update', inReplyTo: originalId });
    expect(update.statusCode, update.body).toBe(201);
    expect(update.json()).not.toHaveProperty('warnings');
  });

  it('finds earlier numbers through the messages_duplicate_number index (migration 0010), not by reading every message of the sender', async () => {
    const body = numbered('05') as unknown as MessageEnvelope;
    const plan = await planOf(sealed.server.database.db, dialect, duplicateCandidatesQuery(sealed.server.database.db, dialect, numberedDocument(CAO_BANG, randomUUID(), body)!));
    expect(plan).toContain('messages_duplicate_number');
    expect(plan).not.toMatch(/Seq Scan|SCAN messages/);
  });

  it('warns exactly one of two copies of a number submitted at the same moment, whichever commits second', async () => {
    const pairs = ['21', '22', '23', '24', '25', '26'];
    const answers = await Promise.all(pairs.flatMap((n) => [0, 1].map(async () => {
      const id = randomUUID();
      const response = await submit(sealed.server.app, sealed.caoBang, numbered(n), id);
      expect(response.statusCode, response.body).toBe(201);
      return { n, id, earlier: response.json<{ warnings?: { earlier: string[] }[] }>().warnings?.[0]?.earlier };
    })));
    for (const n of pairs) {
      const [a, b] = answers.filter((x) => x.n === n);
      const warned = [a!, b!].filter((x) => x.earlier !== undefined);
      expect(warned, `number ${n}`).toHaveLength(1);
      expect(warned[0]!.earlier).toEqual([warned[0] === a ? b!.id : a!.id]);
    }
    expect((await verifyAuditLog(sealed.server.database.db)).ok).toBe(true);
  });

  it.runIf(dialect === 'postgres')('warns the second of two copies whose statements both began before the first committed (both queued on the audit head)', async () => {
    const { db } = sealed.server.database;
    const ids = [randomUUID(), randomUUID()];
    const answers = await db.connection().execute(async (holder) => {
      // Another transaction holds the audit head: both submissions start, take their snapshots and queue behind it.
      await sql`begin`.execute(holder);
      await sql`select seq from audit_head where id = 1 for update`.execute(holder);
      const pending = ids.map((id) => submit(sealed.server.app, sealed.caoBang, numbered('31'), id));
      const queued = async (): Promise<number> =>
        Number((await sql<{ n: string }>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(holder)).rows[0]!.n);
      for (let i = 0; i < 200 && (await queued()) < 2; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(await queued()).toBe(2);
      await sql`commit`.execute(holder);
      return Promise.all(pending);
    });
    const warned = answers.map((a, i) => ({ id: ids[i]!, status: a.statusCode, earlier: a.json<{ warnings?: { earlier: string[] }[] }>().warnings?.[0]?.earlier }));
    expect(warned.map((w) => w.status)).toEqual([201, 201]);
    const second = warned.filter((w) => w.earlier !== undefined);
    expect(second).toHaveLength(1);
    expect(second[0]!.earlier).toEqual(ids.filter((id) => id !== second[0]!.id));
    expect((await verifyAuditLog(db)).ok).toBe(true);
  });
});
