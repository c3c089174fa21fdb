// The same number and ký hiệu sent twice through the real exchange server: the server's warning is kept with the sender's document, and the recipient's store sees the two documents of one agency with one number.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DUPLICATE_NUMBER_REASON,
  enqueueSend,
  ExchangeClient,
  exchangeHooks,
  pullInbox,
  sameNumberReceived,
  sentWithDuplicateNumber,
  type ServerKey,
} from '../../../../src/core/exchange/index.js';
import { createOutboxWorker, TokenKeySource } from '../../../../src/core/outbox/index.js';
import { getDocument, getHistory, open, type Store } from '../../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { trustStoreFrom } from '../../../../src/core/trust/index.js';
import { usePki } from '../../../kit/pki.js';
import { logoutAll } from '../../../kit/signing-key.js';
import { CAO_BANG, ORIGIN, startTestServer, testKeys, type Keys, type TestServer } from '../../server/kit.js';
import { issuedDocument } from './issued-document.js';
import { sealedPdf } from './payloads.js';

const pki = usePki();
let keys: Keys;
let server: TestServer;
let url: string;
let serverKey: ServerKey;
const dirs: string[] = [];
const stores: Store[] = [];

const tempStore = (): Store => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-duplicate-'));
  dirs.push(dir);
  const store = open(dir);
  stores.push(store);
  return store;
};

beforeAll(async () => {
  keys = await testKeys(pki);
  server = await startTestServer(pki, keys, 'sqlite');
  url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  serverKey = await new ExchangeClient({ serverUrl: url, origin: ORIGIN, loginKey: () => undefined }).serverKey();
});

afterAll(async () => {
  for (const store of stores) store.close();
  await server?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await logoutAll();
  await finalizeAllModules();
});

async function sendFrom(store: Store, id: number): Promise<void> {
  const client = new ExchangeClient({ serverUrl: url, origin: ORIGIN, loginKey: () => keys.agency });
  const worker = createOutboxWorker(store, { keys: new TokenKeySource(), hooks: exchangeHooks({ client, serverKey: async () => serverKey }), backoff: { baseMs: 20, maxMs: 100 }, pollMs: 20 });
  enqueueSend(store, id);
  await worker.drain({ maxWaitMs: 5_000 });
}

describe('the same number and ký hiệu sent twice', () => {
  it('keeps the server warning on the second sending only, and the recipient sees the two documents of one number', async () => {
    // Two machines of one agency, each numbering from 1: both issue 01/UBND-VP this year.
    const first = tempStore();
    const second = tempStore();
    const a = issuedDocument(first, 'Báo cáo quý IV (máy một)', await sealedPdf(keys.agency, 'may mot', 20_000));
    const b = issuedDocument(second, 'Báo cáo quý IV (máy hai)', await sealedPdf(keys.agency, 'may hai', 20_000));
    const [docA, docB] = [getDocument(first.db, a), getDocument(second.db, b)];
    expect([docA.codeNumber, docA.codeNotation]).toEqual([docB.codeNumber, docB.codeNotation]);

    await sendFrom(first, a);
    expect(getDocument(first.db, a).state).toBe('sent');
    expect(sentWithDuplicateNumber(first.db, a)).toBe(false);

    await sendFrom(second, b);
    expect(getDocument(second.db, b).state).toBe('sent');
    expect(sentWithDuplicateNumber(second.db, b)).toBe(true);
    expect(getHistory(second.db, b).findLast((h) => h.to === 'sent')).toMatchObject({ kind: 'state', reason: DUPLICATE_NUMBER_REASON });

    // The recipient's store: two incoming documents of UBND tỉnh Cao Bằng with one number; each knows of the other.
    const recipient = tempStore();
    const inbox = new ExchangeClient({ serverUrl: url, origin: ORIGIN, loginKey: () => keys.spare });
    const pulled = await pullInbox(inbox, recipient, { trust: await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] }), online: true, autoReply: 'arrived' });
    expect(pulled.stored).toHaveLength(2);
    for (const { documentId } of pulled.stored) {
      expect(getDocument(recipient.db, documentId).organId).toBe(CAO_BANG);
      expect(sameNumberReceived(recipient.db, documentId)).toBe(1);
    }
    // An outgoing document is never counted.
    expect(sameNumberReceived(first.db, a)).toBe(0);
  });
});
