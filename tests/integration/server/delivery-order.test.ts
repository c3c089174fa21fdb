// Delivery numbers follow commit order on PostgreSQL: a submission draws its delivery numbers only once it holds the audit head's lock (kept until commit), so an inbox paged by cursor never skips a delivery that commits late.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../src/server/index.js';
import { lockAuditHead } from '../../../src/server/audit/audit-log.js';
import { bearer, envelope, submit, useSealedServer, useSealedSetup } from './kit.js';

const setup = useSealedSetup();

// SQLite has one writer at a time: a submission's transaction runs whole or waits whole, so numbers follow commits there by construction.
describe('delivery numbers on postgres', () => {
  const sealed = useSealedServer(setup, 'postgres');

  const lastDeliveryNumber = async (): Promise<{ last_value: string; is_called: boolean }> =>
    (await sql<{ last_value: string; is_called: boolean }>`select last_value, is_called from deliveries_seq_seq`.execute(sealed.server.database.db)).rows[0]!;
  const waitingOnLock = async (): Promise<number> =>
    Number((await sql<{ n: string }>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(sealed.server.database.db)).rows[0]!.n);
  const inboxIds = async (cursor = 0): Promise<string[]> => {
    const response = await sealed.server.app.inject({ method: 'GET', url: `/v1/inbox?cursor=${cursor}`, headers: bearer(sealed.noiVu) });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: { messageId: string }[] }>().items.map((i) => i.messageId);
  };

  it('draws no delivery number while another transaction holds the audit head, and delivers once it commits', async () => {
    expect((await submit(sealed.server.app, sealed.caoBang, envelope([{ sha256: sealed.file }], undefined, { metadata: { subject: 'trước' } }))).statusCode).toBe(201);
    const before = await lastDeliveryNumber();
    const seenBefore = await inboxIds();

    // Another transaction (a status, an ack, another sealed.server process's submission) holds the head: the submission must wait for it before numbering.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = sealed.server.database.db
      .transaction()
      .execute(async (trx) => {
        await lockAuditHead(trx);
        locked();
        await gate;
        throw new Error('rolled back on purpose');
      })
      .catch((error: unknown) => error);
    await isLocked;

    const late = submit(sealed.server.app, sealed.caoBang, envelope([{ sha256: sealed.file }], undefined, { metadata: { subject: 'muộn' } }));
    for (let i = 0; i < 200 && (await waitingOnLock()) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await waitingOnLock()).toBe(1);
    // The message and its files are written, but no delivery number is drawn and the inbox shows nothing new.
    expect(await lastDeliveryNumber()).toEqual(before);
    expect(await inboxIds()).toEqual(seenBefore);

    release();
    expect(((await holder) as Error).message).toBe('rolled back on purpose');
    const response = await late;
    expect(response.statusCode, response.body).toBe(201);
    const id = response.json<{ receipt: { messageId: string } }>().receipt.messageId;
    // Numbered after the wait, and found by a reader whose cursor is past everything it saw before.
    expect(Number((await lastDeliveryNumber()).last_value)).toBeGreaterThan(Number(before.last_value));
    const seq = await sealed.server.database.db.selectFrom('deliveries').select('seq').where('message_id', '=', id).executeTakeFirstOrThrow();
    const cursor = Number((await sealed.server.database.db.selectFrom('deliveries').select((eb) => eb.fn.max('seq').as('max')).where('message_id', '!=', id).executeTakeFirstOrThrow()).max);
    expect(Number(seq.seq)).toBeGreaterThan(cursor);
    expect(await inboxIds(cursor)).toEqual([id]);
    expect((await verifyAuditLog(sealed.server.database.db)).ok).toBe(true);
  });
});
