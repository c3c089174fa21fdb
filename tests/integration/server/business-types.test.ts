// Update and replace (BussinessDocType 2 and 3) on SQLite and PostgreSQL: delivered with what they replace, checked like any
// submission, and only from the original's sender to the original's recipients; each refusal stores nothing.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPdf } from '../../../src/core/signing/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import type { InboxItem } from '../../../src/shared/exchange-protocol.js';
import { fixture } from '../../kit/pdf-tools.js';
import { usePki } from '../../kit/pki.js';
import { logoutAll } from '../../kit/signing-key.js';
import { CAO_BANG, DIALECTS, NOI_VU, VPCP, bearer, envelope, expectRefusal, login, startTestServer, submit, testKeys, upload, type Keys, type TestServer } from './kit.js';

const pki = usePki();
let keys: Keys;
let original: Uint8Array;
let corrected: Uint8Array;
let tampered: Uint8Array;

beforeAll(async () => {
  keys = await testKeys(pki);
  original = (await signPdf(fixture('classic-xref.pdf'), keys.agency, {})).bytes;
  corrected = (await signPdf(fixture('xref-stream.pdf'), keys.agency, {})).bytes;
  tampered = new Uint8Array(original);
  tampered[Buffer.from(tampered).indexOf('So: 05') + 4] = '6'.charCodeAt(0);
});
afterAll(async () => {
  await logoutAll();
  await finalizeAllModules();
});

describe.each(DIALECTS)('update and replace on %s', (dialect) => {
  let server: TestServer;
  let caoBang: string;
  let noiVu: string;
  let originalId: string;
  const count = async (table: 'messages' | 'deliveries' | 'audit_log'): Promise<number> =>
    Number((await server.database.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    server = await startTestServer(pki, keys, dialect);
    caoBang = await login(server.app, keys.agency);
    noiVu = await login(server.app, keys.spare);
    originalId = randomUUID();
    expect((await submit(server.app, caoBang, envelope([{ sha256: await upload(server.app, caoBang, original) }]), originalId)).statusCode).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('delivers an update and a replacement with their type and the document they concern', async () => {
    const hash = await upload(server.app, caoBang, corrected);
    for (const type of ['update', 'replace'] as const) {
      const id = randomUUID();
      const response = await submit(server.app, caoBang, envelope([{ sha256: hash }], [NOI_VU], { type, inReplyTo: originalId, metadata: { subject: `Bản ${type} của văn bản số 05` } }), id);
      expect(response.statusCode, response.body).toBe(201);
    }
    const inbox = (await server.app.inject({ method: 'GET', url: '/v1/inbox', headers: bearer(noiVu) })).json<{ items: InboxItem[] }>();
    expect(inbox.items.map((i) => [i.type, i.inReplyTo])).toEqual([
      ['new', null],
      ['update', originalId],
      ['replace', originalId],
    ]);
  });

  it('lets the recipient agree to an update (15) and refuse a replacement (16) once it arrived; the sender reads both in its feed', async () => {
    const hash = await upload(server.app, caoBang, corrected);
    const answers = { update: '15', replace: '16' } as const;
    const ids: Record<string, string> = {};
    for (const type of ['update', 'replace'] as const) {
      ids[type] = randomUUID();
      expect((await submit(server.app, caoBang, envelope([{ sha256: hash }], [NOI_VU], { type, inReplyTo: originalId }), ids[type])).statusCode).toBe(201);
      const post = (code: string) =>
        server.app.inject({ method: 'POST', url: `/v1/messages/${ids[type]}/status`, headers: bearer(noiVu), payload: { code, eventId: randomUUID(), reason: 'Ý kiến của Sở Nội vụ' } });
      // Not before it arrived (01), and not on a new document: the answer belongs to a revision.
      expect((await post(answers[type])).statusCode).toBe(409);
      expect((await post('01')).statusCode).toBe(201);
      expect((await post(answers[type])).statusCode).toBe(201);
      expect((await post('03')).statusCode).toBe(409);
    }
    expect((await server.app.inject({ method: 'POST', url: `/v1/messages/${originalId}/status`, headers: bearer(noiVu), payload: { code: '15', eventId: randomUUID() } })).statusCode).toBe(409);
    const feed = (await server.app.inject({ method: 'GET', url: '/v1/status-feed', headers: bearer(caoBang) })).json<{ events: { messageId: string; code: string }[] }>();
    expect(feed.events.filter((e) => e.messageId === ids.update || e.messageId === ids.replace).map((e) => [e.messageId === ids.update ? 'update' : 'replace', e.code])).toEqual([
      ['update', '01'], ['update', '15'], ['replace', '01'], ['replace', '16'],
    ]);
  });

  it('refuses an update without its original, of another agency’s message, to an agency that never had it, or with a tampered PDF', async () => {
    const before = { messages: await count('messages'), deliveries: await count('deliveries'), audit: await count('audit_log') };
    const hash = await upload(server.app, caoBang, corrected);
    expectRefusal(await submit(server.app, caoBang, envelope([{ sha256: hash }], [NOI_VU], { type: 'update' })), 422, 'SERVER_IN_REPLY_TO_INVALID');
    expectRefusal(await submit(server.app, caoBang, envelope([{ sha256: hash }], [NOI_VU], { type: 'replace', inReplyTo: randomUUID() })), 422, 'SERVER_IN_REPLY_TO_INVALID');
    const noiVuHash = await upload(server.app, noiVu, (await signPdf(fixture('classic-xref.pdf'), keys.spare, {})).bytes);
    expectRefusal(await submit(server.app, noiVu, envelope([{ sha256: noiVuHash }], [CAO_BANG], { sender: NOI_VU, type: 'replace', inReplyTo: originalId })), 422, 'SERVER_IN_REPLY_TO_INVALID');
    const stranger = expectRefusal(await submit(server.app, caoBang, envelope([{ sha256: hash }], [NOI_VU, VPCP], { type: 'replace', inReplyTo: originalId })), 422, 'SERVER_RECIPIENT_NOT_ORIGINAL');
    expect(stranger.error.messageVi).toContain(VPCP);
    expectRefusal(await submit(server.app, caoBang, envelope([], [VPCP], { type: 'recall', inReplyTo: originalId })), 422, 'SERVER_RECIPIENT_NOT_ORIGINAL');
    const bad = expectRefusal(await submit(server.app, caoBang, envelope([{ sha256: await upload(server.app, caoBang, tampered) }], [NOI_VU], { type: 'update', inReplyTo: originalId })), 422, 'SERVER_SUBMISSION_INVALID');
    expect(bad.reasons?.map((r) => r.code)).toContain('SERVER_PDF_NOT_VALID');
    expect({ messages: await count('messages'), deliveries: await count('deliveries'), audit: await count('audit_log') }).toEqual(before);
  });
});
