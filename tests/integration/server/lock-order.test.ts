// Recalls, inbox reads, acks and status changes at the same moment on the same deliveries: every one answers (no deadlock between a delivery row and the audit head on PostgreSQL), and the audit chain stays whole.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../src/server/index.js';
import { DIALECTS, NOI_VU, bearer, envelope, login, startTestServer, submit, upload, type TestServer, useSealedSetup } from './kit.js';

const setup = useSealedSetup();
const { pki } = setup;

const ROUNDS = 12;
const MESSAGES_PER_ROUND = 4;

describe.each(DIALECTS)('lock order on %s', (dialect) => {
  let server: TestServer;
  let caoBang: string;
  let noiVu: string;
  let file: string;

  beforeAll(async () => {
    server = await startTestServer(pki, setup.keys, dialect);
    caoBang = await login(server.app, setup.keys.agency);
    noiVu = await login(server.app, setup.keys.spare);
    file = await upload(server.app, caoBang, setup.sealed);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers every recall, inbox read, ack and status change made at once on the same deliveries', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const ids: string[] = [];
      for (let i = 0; i < MESSAGES_PER_ROUND; i++) {
        const id = randomUUID();
        expect((await submit(server.app, caoBang, envelope([{ sha256: file }]), id)).statusCode).toBe(201);
        ids.push(id);
      }
      // The recipient reads (first delivery: audited), acks and marks received while the sender recalls, all at once.
      const answers = await Promise.all([
        ...ids.map((id) => submit(server.app, caoBang, envelope([], [NOI_VU], { type: 'recall', inReplyTo: id }))),
        server.app.inject({ method: 'GET', url: '/v1/inbox', headers: bearer(noiVu) }),
        server.app.inject({ method: 'POST', url: '/v1/inbox/ack', headers: bearer(noiVu), payload: { messageIds: ids } }),
        ...ids.map((id) => server.app.inject({ method: 'POST', url: `/v1/messages/${id}/status`, headers: bearer(noiVu), payload: { code: '01', eventId: randomUUID() } })),
      ]);
      // A status change may meet a recall first (409): a refusal, not a failure. A 500 is a failure.
      for (const answer of answers) expect(answer.statusCode, answer.body).toBeLessThan(500);
    }
    expect((await verifyAuditLog(server.database.db)).ok).toBe(true);
  });
});
