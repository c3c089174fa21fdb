// Documents the real exchange server refused or could not reach: the reason in words, and retry, edit-and-resend, back to signing and cancel moving the real store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ATTENTION_IDS_SQL,
  attentionOf,
  backToSigning,
  cancelAttention,
  contactsOf,
  enqueueSend,
  ExchangeClient,
  exchangeHooks,
  listAttention,
  resendTo,
  retryAttention,
  shortReasons,
  type ServerKey,
} from '../../../../src/core/exchange/index.js';
import { saveDirectory } from '../../../../src/core/exchange/records.js';
import { createOutboxWorker, listJobs, TokenKeySource, type OutboxWorker } from '../../../../src/core/outbox/index.js';
import { decree30Widget, signPdf } from '../../../../src/core/signing/index.js';
import { addFile, addRevision, assignOutgoingNumber, createDocument, getDocument, getHistory, listFiles, open, readLatest, transition, type Store } from '../../../../src/core/store/index.js';
import { formatNumberNotation } from '../../../../src/shared/document.js';
import { decree30Pdf } from '../../../fixtures/pdf/decree30/make-decree30.js';
import { finalizeAllModules } from '../../../../src/core/token/index.js';
import { addAgency } from '../../../../src/server/index.js';
import { discPng, fixture, writeTemp } from '../../../kit/pdf-tools.js';
import { pdftotext } from '../drafting/kit.js';
import { usePki } from '../../../kit/pki.js';
import { logoutAll } from '../../../kit/signing-key.js';
import { startFaultProxy } from '../../../kit/fault-proxy.js';
import { CAO_BANG, NOI_VU, ORIGIN, startTestServer, withContentAddedAfterSigning, testKeys, type Keys, type TestServer } from '../../server/kit.js';
import { issuedDocument } from './issued-document.js';
import { sealedPdf } from './payloads.js';

const pki = usePki();
let keys: Keys;
let server: TestServer;
let url: string;
let serverKey: ServerKey;
const dirs: string[] = [];
const stores: Store[] = [];
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const UNKNOWN = '000.00.77.H14';

const tempStore = (): Store => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-attention-'));
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

function workerFor(store: Store, serverUrl = url): OutboxWorker {
  const client = new ExchangeClient({ serverUrl, origin: ORIGIN, loginKey: () => keys.agency, circuit: { openMs: 100, maxOpenMs: 200 } });
  return createOutboxWorker(store, { keys: new TokenKeySource(), hooks: exchangeHooks({ client, serverKey: async () => serverKey }), backoff: { baseMs: 20, maxMs: 100 }, random: () => 1, pollMs: 20 });
}

/** An issued document addressed to `organId` (the directory's name or a made-up one). */
function issuedTo(store: Store, subject: string, pdf: Uint8Array, organId: string): number {
  const id = issuedDocument(store, subject, pdf);
  store.db.prepare('UPDATE document_recipients SET organ_id = ?, organ_name = ? WHERE document_id = ?').run(organId, 'Sở Không Có', id);
  return id;
}

const liveJobs = (store: Store, id: number) => listJobs(store.db, { documentId: id }).filter((j) => !['done', 'cancelled'].includes(j.state));

describe('documents needing attention', () => {
  it('lists them from documents_by_state, not by reading every document of the year', () => {
    const store = tempStore();
    const plan = store.db.prepare<[number], { detail: string }>(`EXPLAIN QUERY PLAN ${ATTENTION_IDS_SQL}`).all(200).map((row) => row.detail).join('\n');
    expect(plan).toContain('documents_by_state');
    expect(plan).not.toMatch(/SCAN documents\b/);
  });

  it('a recipient the server does not know: the reason names it; edit and resend to the right agency ends sent', async () => {
    const store = tempStore();
    const worker = workerFor(store);
    const id = issuedTo(store, 'Gửi nhầm nơi nhận', await sealedPdf(keys.agency, 'nham noi nhan', 20_000), UNKNOWN);
    enqueueSend(store, id);
    await worker.drain({ maxWaitMs: 5_000 });
    expect(getDocument(store.db, id).state).toBe('needs_attention');

    const view = attentionOf(store.db, id)!;
    expect(view).toMatchObject({ kind: 'needs_attention', cause: 'recipient_unknown', actions: ['edit_recipients', 'contact', 'cancel'] });
    expect(view.vi).toContain(UNKNOWN);
    expect(view.shortVi).toBe(`Máy chủ trao đổi không biết cơ quan nhận (mã định danh ${UNKNOWN}): mã định danh sai hoặc cơ quan chưa tham gia trao đổi.`.replace(/:.*$/, '.'));
    for (const text of [view.vi, view.en, view.shortVi, view.shortEn]) {
      expect(text).not.toMatch(UUID);
      expect(text).not.toMatch(/SERVER_|EXCHANGE_/);
    }
    expect(view.since).toBeGreaterThan(Date.now() - 60_000);
    expect(listAttention(store.db).map((v) => v.documentId)).toEqual([id]);
    expect(shortReasons(store.db, [id, id + 1000]).get(id)).toEqual({ vi: view.shortVi, en: view.shortEn });

    // Contact: the directory cache knows the real agencies; the unknown one is marked as such.
    saveDirectory(store.db, [{ organId: NOI_VU, name: 'Sở Nội vụ tỉnh Cao Bằng', parent: CAO_BANG }, { organId: CAO_BANG, name: 'UBND tỉnh Cao Bằng', parent: null }]);
    expect(contactsOf(store.db, id)).toEqual([{ organId: UNKNOWN, name: 'Sở Không Có', parent: null, inDirectory: false }]);

    const resent = resendTo(store, id, [{ organId: NOI_VU, organName: 'Sở Nội vụ tỉnh Cao Bằng' }]);
    expect(resent.state).toBe('queued');
    expect(contactsOf(store.db, id)).toEqual([{ organId: NOI_VU, name: 'Sở Nội vụ tỉnh Cao Bằng', parent: 'UBND tỉnh Cao Bằng', inDirectory: true }]);
    await worker.drain({ maxWaitMs: 5_000 });
    const sent = getDocument(store.db, id);
    expect(sent.state).toBe('sent');
    expect(sent.recipients.map((r) => r.organId)).toEqual([NOI_VU]);
    expect(attentionOf(store.db, id)).toBeNull();
    expect(listAttention(store.db)).toEqual([]);
    // The history keeps the refusal, the edit and the new sending.
    const moves = getHistory(store.db, id).map((h) => `${h.kind}:${h.to ?? ''}`);
    expect(moves).toEqual(expect.arrayContaining(['state:needs_attention', 'state:issued', 'edited:', 'state:queued', 'state:sent']));
  });

  it('retry after the cause is fixed on the server (the agency joined) ends sent', async () => {
    const store = tempStore();
    const worker = workerFor(store);
    const late = '000.00.78.H14';
    const id = issuedTo(store, 'Cơ quan nhận chưa tham gia', await sealedPdf(keys.agency, 'chua tham gia', 20_000), late);
    enqueueSend(store, id);
    await worker.drain({ maxWaitMs: 5_000 });
    expect(getDocument(store.db, id).state).toBe('needs_attention');
    await addAgency(server.database.db, { organId: late, name: 'Sở Mới', parent: CAO_BANG });
    expect(retryAttention(store, id)).toBe('queued');
    await worker.drain({ maxWaitMs: 5_000 });
    expect(getDocument(store.db, id).state).toBe('sent');
  });

  it('a file whose signature does not cover it: back to signing, or cancel leaves it issued and out of the outbox', async () => {
    const store = tempStore();
    const worker = workerFor(store);
    const sealed = (await signPdf(fixture('classic-xref.pdf'), keys.agency, {})).bytes;
    const changed = await withContentAddedAfterSigning(sealed);
    const a = issuedDocument(store, 'Tệp sửa sau khi ký', changed);
    const b = issuedDocument(store, 'Tệp sửa sau khi ký, lần hai', await withContentAddedAfterSigning((await signPdf(fixture('xref-stream.pdf'), keys.agency, {})).bytes));
    enqueueSend(store, a);
    enqueueSend(store, b);
    await worker.drain({ maxWaitMs: 5_000 });
    const view = attentionOf(store.db, a)!;
    expect(view.cause).toBe('file_not_covered');
    expect(view.actions).toEqual(['resign', 'cancel']);
    expect(view.vi).toContain('ký lại');

    expect(cancelAttention(store, a)).toBe('issued');
    expect(liveJobs(store, a)).toEqual([]);
    expect(attentionOf(store.db, a)).toBeNull();
    expect(getHistory(store.db, a).at(-1)).toMatchObject({ kind: 'state', from: 'needs_attention', to: 'issued' });
    // Cancelled means not queued: nothing goes out on the next round.
    await worker.drain({ maxWaitMs: 200 });
    expect(getDocument(store.db, a).state).toBe('issued');

    // Sealed before it was stored (no unsigned revision here): back to draft with its file as it is, to be replaced or signed.
    const revisions = listFiles(store.db, b)[0]!.revisions.length;
    expect(backToSigning(store, b)).toBe('draft');
    expect(liveJobs(store, b)).toEqual([]);
    expect(listFiles(store.db, b)[0]!.revisions).toHaveLength(revisions);
  });

  it('a server that cannot be reached: retried by itself with the time shown; "retry" after it is back ends sent', async () => {
    const store = tempStore();
    const target = new URL(url);
    const proxy = await startFaultProxy({ host: target.hostname, port: Number(target.port) });
    try {
      const worker = workerFor(store, proxy.url);
      const id = issuedDocument(store, 'Máy chủ tạm ngừng', await sealedPdf(keys.agency, 'may chu ngung', 20_000));
      enqueueSend(store, id);
      proxy.setDown(true);
      await worker.drain();
      const view = attentionOf(store.db, id)!;
      expect(view).toMatchObject({ kind: 'retrying', cause: 'server_unreachable', state: 'queued' });
      expect(view.actions[0]).toBe('retry');
      expect(view.nextRetryAt).not.toBeNull();
      expect(view.vi).toMatch(/tự thử lại lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}/);
      proxy.setDown(false);
      expect(retryAttention(store, id)).toBe('queued');
      await worker.drain({ maxWaitMs: 5_000 });
      expect(getDocument(store.db, id).state).toBe('sent');
      expect(attentionOf(store.db, id)).toBeNull();
    } finally {
      await proxy.close();
    }
  });

  it('refuses to resend with no recipient or the same agency twice, changing nothing', async () => {
    const store = tempStore();
    const id = issuedTo(store, 'Sai nơi nhận', await sealedPdf(keys.agency, 'sai', 20_000), UNKNOWN);
    expect(() => resendTo(store, id, [])).toThrow(/nơi nhận|recipients/);
    const twice = { organId: NOI_VU, organName: 'Sở Nội vụ tỉnh Cao Bằng' };
    expect(() => resendTo(store, id, [twice, twice])).toThrow(/twice/);
    expect(getDocument(store.db, id).recipients.map((r) => r.organId)).toEqual([UNKNOWN]);
    expect(getDocument(store.db, id).state).toBe('issued');
  });

  it('back to signing: draft keeping its number, the file back to its unsigned content; signed and issued again with the same number, it is sent', async () => {
    const store = tempStore();
    const worker = workerFor(store);
    const leaderImage = discPng(120, [20, 40, 200]);
    const sealImage = discPng(110, [210, 20, 20]);
    const leaderSign = async (pdf: Uint8Array): Promise<Uint8Array> => {
      const widget = await decree30Widget(pdf, { appearance: 'leader', image: leaderImage, signerName: 'Nguyễn Thị Hồng Nhung', signingTime: new Date() });
      return (await signPdf(pdf, keys.leader, { ...(widget ? { widget } : {}), reason: 'Phê duyệt' })).bytes;
    };
    const seal = async (pdf: Uint8Array, number: string, date: string): Promise<Uint8Array> => {
      const widget = await decree30Widget(pdf, { appearance: 'seal', image: sealImage, signingTime: new Date(), issuing: { number, date } });
      return (await signPdf(pdf, keys.agency, { ...(widget ? { widget } : {}), reason: `Phát hành số ${number}` })).bytes;
    };

    // Signed by the leader, numbered and sealed with the number and date written in, then changed after the seal.
    const { id } = createDocument(store.db, 'outgoing', {
      organId: CAO_BANG, organName: 'UBND tỉnh Cao Bằng', codeNotation: 'UBND-VP', typeName: 'Công văn', subject: 'Ký lại sau khi bị từ chối',
      recipients: [{ organId: NOI_VU, organName: 'Sở Nội vụ tỉnh Cao Bằng' }],
    });
    const { fileId } = addFile(store.db, store.blobs, id, { role: 'main', name: 'cong-van.pdf', bytes: await decree30Pdf() });
    const latest = (): Uint8Array => new Uint8Array(readLatest(store.db, store.blobs, fileId));
    addRevision(store.db, store.blobs, fileId, { bytes: await leaderSign(latest()), signatureKind: 'leader' });
    transition(store.db, id, 'signed_by_leader');
    const { codeNumber, issuedDate } = assignOutgoingNumber(store.db, id);
    const number = formatNumberNotation(codeNumber, 'UBND-VP');
    addRevision(store.db, store.blobs, fileId, { bytes: await seal(latest(), number, issuedDate), signatureKind: 'seal' });
    transition(store.db, id, 'issued');
    addRevision(store.db, store.blobs, fileId, { bytes: await withContentAddedAfterSigning(latest()) });
    enqueueSend(store, id);
    await worker.drain({ maxWaitMs: 5_000 });
    expect(attentionOf(store.db, id)?.actions).toContain('resign');

    // A change after the seal: the old signatures no longer cover the file as sent.
    expect(attentionOf(store.db, id)?.cause).toMatch(/^file_(not_covered|signature_invalid)$/);

    // Back to signing: draft, the number and date kept, the file back to what the leader was shown; nothing lost.
    const original = listFiles(store.db, id)[0]!.revisions[0]!;
    expect(backToSigning(store, id)).toBe('draft');
    expect(getDocument(store.db, id)).toMatchObject({ state: 'draft', codeNumber, issuedDate });
    const restored = listFiles(store.db, id)[0]!.revisions;
    expect(restored.map((r) => r.signatureKind)).toEqual(['none', 'leader', 'seal', 'none', 'none']);
    expect(restored.at(-1)!.sha256).toBe(original.sha256);
    expect(getHistory(store.db, id).at(-1)).toMatchObject({ kind: 'edited' });
    expect(getHistory(store.db, id).at(-1)!.reason).toContain('cong-van.pdf');

    // The leader signs again, the clerk issues again with the same number and date (the register gives none new).
    addRevision(store.db, store.blobs, fileId, { bytes: await leaderSign(latest()), signatureKind: 'leader' });
    transition(store.db, id, 'signed_by_leader');
    addRevision(store.db, store.blobs, fileId, { bytes: await seal(latest(), number, issuedDate), signatureKind: 'seal' });
    transition(store.db, id, 'issued');
    expect(pdftotext(writeTemp('ky-lai.pdf', latest()), 1)).toContain(number);
    enqueueSend(store, id);
    await worker.drain({ maxWaitMs: 5_000 });
    expect(attentionOf(store.db, id)).toBeNull();
    expect(getDocument(store.db, id)).toMatchObject({ state: 'sent', codeNumber, issuedDate });
    expect(store.db.prepare("SELECT count(*) FROM register_entries WHERE kind = 'outgoing'").pluck().get()).toBe(1);
  });
});
