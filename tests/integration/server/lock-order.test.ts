// Recalls, inbox reads, acks and status changes at the same moment on the same deliveries: every one answers (no deadlock between a delivery row and the audit head on PostgreSQL), and the audit chain stays whole.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../src/server/index.js';
import { DIALECTS, NOI_VU, bearer, envelope, submit, useSealedServer, useSealedSetup } from './kit.js';

const setup = useSealedSetup();

const ROUNDS = 12;
const MESSAGES_PER_ROUND = 4;

describe.each(DIALECTS)('lock order on %s', (dialect) => {
  const sealed = useSealedServer(setup, dialect);

  it('answers every recall, inbox read, ack and status change made at once on the same deliveries', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const ids: string[] = [];
      for (let i = 0; i < MESSAGES_PER_ROUND; i++) {
        const id = randomUUID();
        expect((await submit(sealed.server.app, sealed.caoBang, envelope([{ sha256: sealed.file }]), id)).statusCode).toBe(201);
        ids.push(id);
      }
      // The recipient reads (first delivery: audited), acks and marks received while the sender recalls, all at once.
      const answers = await Promise.all([
        ...ids.map((id) => submit(sealed.server.app, sealed.caoBang, envelope([], [NOI_VU], { type: 'recall', inReplyTo: id }))),
        sealed.server.app.inject({ method: 'GET', url: '/v1/inbox', headers: bearer(sealed.noiVu) }),
        sealed.server.app.inject({ method: 'POST', url: '/v1/inbox/ack', headers: bearer(sealed.noiVu), payload: { messageIds: ids } }),
        ...ids.map((id) => sealed.server.app.inject({ method: 'POST', url: `/v1/messages/${id}/status`, headers: bearer(sealed.noiVu), payload: { code: '01', eventId: randomUUID() } })),
      ]);
      // A status change may meet a recall first (409): a refusal, not a failure. A 500 is a failure.
      for (const answer of answers) expect(answer.statusCode, answer.body).toBeLessThan(500);
    }
    expect((await verifyAuditLog(sealed.server.database.db)).ok).toBe(true);
  });
});
