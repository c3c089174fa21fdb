// Incoming work to the end between two app runtimes and the real exchange server: B accepts, submits to the leader, records the assignment, marks it in progress and done
// through the handlers; A sees 04, 05, 06. A status given while B is logged out waits in the outbox and goes after the PIN. A held document is re-checked by the
// runtime's own timer, never returned.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagHeld, heldDocument, STATUS_JOB_KIND, statusLane, uuidV7 } from '../../../src/core/exchange/index.js';
import { enqueue, jobHistory, listJobs } from '../../../src/core/outbox/index.js';
import { signPdf } from '../../../src/core/signing/index.js';
import { addRevision, getDocument, getHistory, JsonFileSettingsStore, listFiles } from '../../../src/core/store/index.js';
import { finalizeAllModules } from '../../../src/core/token/index.js';
import { trustStoreFrom, type TrustStore } from '../../../src/core/trust/index.js';
import { createDispatcher, type Dispatch } from '../../../src/main/ipc/dispatcher.js';
import { startRuntime, type AppRuntime } from '../../../src/main/runtime.js';
import { createHandlers } from '../../../src/main/services.js';
import { vietnamToday } from '../../../src/shared/vietnam-date.js';
import { fixture } from '../../kit/pdf-tools.js';
import { usePrivateTokens } from '../../kit/pki.js';
import { logoutAll } from '../../kit/signing-key.js';
import { ORIGIN, startTestServer, testKeys, type TestServer } from '../server/kit.js';
import { issuedDocument } from '../core/exchange/issued-document.js';

const pki = usePrivateTokens();
let server: TestServer;
let url: string;
let trust: TrustStore;
let firstPdf: Uint8Array;
let secondPdf: Uint8Array;
let thirdPdf: Uint8Array;
let subCa: Uint8Array;
const dirs: string[] = [];

interface Agency {
  runtime: AppRuntime;
  dispatch: Dispatch;
  settings: JsonFileSettingsStore;
}
let a: Agency;
let b: Agency;

const derOfPem = (pem: string): Uint8Array => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));

const waitFor = async (check: () => boolean, timeoutMs = 30_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

async function call<T>(agency: Agency, channel: string, request: unknown): Promise<T> {
  const result = await agency.dispatch(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.messageEn}`);
  return result.value as T;
}

/** Polling only (no event stream), every 300 ms: the runtime's own timer drives every round. */
async function startAgency(token: string, cert: string): Promise<Agency> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vanthu-processing-'));
  dirs.push(dataDir);
  const settings = new JsonFileSettingsStore(path.join(dataDir, 'settings.json'));
  settings.set({ serverUrl: url, exchangeLogin: { module: pki.module, label: token, cert } });
  const runtime = await startRuntime({ dataDir, modulePaths: [pki.module], trust, tokenPollMs: 60_000, settings: settings.get(), chain: [subCa], exchange: { origin: ORIGIN, pollMs: 300, useEvents: false } });
  const dispatch = createDispatcher(createHandlers({ version: 'test', userModulePaths: () => [pki.module], runtime, settings, trust }));
  return { runtime, dispatch, settings };
}

/** A sends a sealed document; B's runtime pulls it; returns both ids. */
async function sendToB(subject: string, pdf: Uint8Array): Promise<{ outgoing: number; incoming: number }> {
  const outgoing = issuedDocument(a.runtime.store, subject, pdf);
  await a.runtime.exchange.engine!.send(outgoing);
  await waitFor(() => getDocument(a.runtime.store.db, outgoing).state === 'sent');
  let incoming: number | undefined;
  await waitFor(() => {
    incoming = b.runtime.store.db.prepare<[string], number>("SELECT id FROM documents WHERE direction = 'incoming' AND subject = ?").pluck().get(subject);
    return incoming !== undefined;
  });
  return { outgoing, incoming: incoming! };
}

const statusAtA = (outgoing: number): string | null => getDocument(a.runtime.store.db, outgoing).recipients[0]!.status;

beforeAll(async () => {
  const keys = await testKeys(pki);
  const byLeader = await signPdf(fixture('classic-xref.pdf'), keys.leader, { reason: 'Phê duyệt' });
  firstPdf = (await signPdf(byLeader.bytes, keys.agency, { reason: 'Giao xử lý' })).bytes;
  secondPdf = (await signPdf(byLeader.bytes, keys.agency, { reason: 'Chờ kiểm tra lại' })).bytes;
  thirdPdf = (await signPdf(byLeader.bytes, keys.agency, { reason: 'Hỏng khi kiểm tra lại' })).bytes;
  await logoutAll();
  server = await startTestServer(pki, keys, 'sqlite');
  url = await server.app.listen({ port: 0, host: '127.0.0.1' });
  trust = await trustStoreFrom({ pemOrDerFiles: [pki.rootPem] });
  subCa = derOfPem(readFileSync(pki.subCaPem, 'utf8'));
  a = await startAgency('VANTHU AGENCY', 'agency-rsa');
  b = await startAgency('VANTHU SPARE', 'spare-rsa');
  await call(a, 'sync.login', { pin: pki.userPin });
  await call(b, 'sync.login', { pin: pki.userPin });
}, 120_000);

afterAll(async () => {
  for (const agency of [a, b]) await agency?.runtime.close();
  await server?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await finalizeAllModules();
});

describe('incoming work to the end', () => {
  it('B submits to the leader, records the assignment, marks it in progress and done; A sees 04, 05, 06; a status given while logged out waits for the PIN', async () => {
    const { outgoing, incoming } = await sendToB('Về việc rà soát biên chế năm 2027', firstPdf);
    // Not accepted yet: no step before the answer.
    const early = await b.dispatch('inbox.submit', { documentId: incoming, leader: 'Giám đốc Trần Văn Bình' });
    expect(early).toMatchObject({ ok: false, error: { code: 'STORE_TRANSITION_NOT_ALLOWED' } });
    expect(await call(b, 'inbox.accept', { documentId: incoming })).toEqual({ state: 'accepted' });
    await waitFor(() => statusAtA(outgoing) === '03');

    expect(await call(b, 'inbox.submit', { documentId: incoming, leader: 'Giám đốc Trần Văn Bình' })).toMatchObject({ state: 'accepted' });
    // A deadline already past is refused and nothing moves.
    const past = await b.dispatch('inbox.assign', { documentId: incoming, handler: 'Phòng Tổ chức cán bộ', deadline: '2020-01-01' });
    expect(past).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(getDocument(b.runtime.store.db, incoming).state).toBe('accepted');

    const deadline = vietnamToday(new Date(Date.now() + 5 * 86_400_000));
    expect(await call(b, 'inbox.assign', { documentId: incoming, handler: 'Phòng Tổ chức cán bộ', deadline, opinion: 'Chủ trì tham mưu, báo cáo trước hạn.' })).toEqual({ state: 'assigned', statusQueued: true });
    await waitFor(() => statusAtA(outgoing) === '04');
    expect((await call<{ items: { documentId: number; deadline: string | null }[] }>(b, 'inbox.list', {})).items.find((i) => i.documentId === incoming)?.deadline).toBe(deadline);
    // The incoming register's list carries it too.
    expect((await call<{ items: { id: number; deadline?: string }[] }>(b, 'documents.list', { view: 'incoming' })).items.find((i) => i.id === incoming)?.deadline).toBe(deadline);

    // B loses its login (token logged out, bearer gone): "Đang xử lý" is kept and its 05 waits in the outbox.
    const choice = b.settings.get().exchangeLogin!;
    await b.runtime.keys.logout(choice);
    b.runtime.exchange.engine!.client.logout();
    expect(await call(b, 'inbox.progress', { documentId: incoming })).toEqual({ state: 'processing', statusQueued: true });
    await waitFor(() => listJobs(b.runtime.store.db, { kind: 'status', documentId: incoming }).some((j) => j.state === 'waiting'));
    const waiting = await call<{ pendingStatuses: { code: string; stuck: boolean }[] }>(b, 'inbox.get', { documentId: incoming });
    expect(waiting.pendingStatuses).toEqual([{ code: '05', stuck: false, reason: null }]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(statusAtA(outgoing)).toBe('04');
    // The document itself goes on: done is recorded too, its 06 queued behind the 05.
    expect(await call(b, 'inbox.done', { documentId: incoming, result: 'Đã báo cáo bằng Công văn số 12/SNV-TCCB.' })).toEqual({ state: 'done', statusQueued: true });
    expect(getDocument(b.runtime.store.db, incoming).state).toBe('done');

    await call(b, 'sync.login', { pin: pki.userPin });
    await waitFor(() => statusAtA(outgoing) === '06');
    // Both arrived in order: A's history has 04, 05, 06 after 01 and 03.
    expect(getHistory(a.runtime.store.db, outgoing).filter((h) => h.kind === 'recipient_status').map((h) => h.to)).toEqual(['01', '03', '04', '05', '06']);
    expect(listJobs(b.runtime.store.db, { kind: 'status', documentId: incoming }).map((j) => [j.payload, j.state])).toEqual([
      [expect.objectContaining({ code: '04' }), 'done'],
      [expect.objectContaining({ code: '05' }), 'done'],
      [expect.objectContaining({ code: '06', reason: 'Đã báo cáo bằng Công văn số 12/SNV-TCCB.' }), 'done'],
    ]);
    const detail = await call<{ state: string; steps: { step: string; actor: string | null; handler: string | null; deadline: string | null; note: string | null }[]; pendingStatuses: unknown[] }>(b, 'inbox.get', { documentId: incoming });
    expect(detail.state).toBe('done');
    expect(detail.pendingStatuses).toEqual([]);
    expect(detail.steps.map((s) => [s.step, s.actor, s.handler, s.deadline, s.note])).toEqual([
      ['submitted', 'Giám đốc Trần Văn Bình', null, null, null],
      ['assigned', 'Giám đốc Trần Văn Bình', 'Phòng Tổ chức cán bộ', deadline, 'Chủ trì tham mưu, báo cáo trước hạn.'],
      ['processing', null, null, null, null],
      ['done', null, null, null, 'Đã báo cáo bằng Công văn số 12/SNV-TCCB.'],
    ]);
  }, 120_000);

  it('a held document is re-checked by the runtime timer (no button), stays held while undecided, and is never returned', async () => {
    const { outgoing, incoming } = await sendToB('Về việc chờ kiểm tra chữ ký', secondPdf);
    await waitFor(() => statusAtA(outgoing) === '01');
    const messageId = b.runtime.store.db.prepare<[number], string>("SELECT message_id FROM exchange_messages WHERE document_id = ? AND direction = 'incoming'").pluck().get(incoming)!;
    // B no longer trusts any root (as when the pull could not decide): held, then due now.
    const engine = b.runtime.exchange.engine!;
    flagHeld(b.runtime.store.db, { documentId: incoming, messageId, reason: 'cong-van.pdf: indeterminate (CHAIN_UNTRUSTED) — x' });
    const first = await engine.trustChanged({ roots: [] });
    expect(first.stillHeld.map((h) => h.documentId)).toEqual([incoming]);
    expect(heldDocument(b.runtime.store.db, incoming)).toMatchObject({ attempts: 1, outcome: 'indeterminate' });
    b.runtime.store.db.prepare('UPDATE incoming_checks SET next_check_at = 0 WHERE document_id = ?').run(incoming);
    // Nobody presses anything: the poll timer's round re-checks it.
    await waitFor(() => (heldDocument(b.runtime.store.db, incoming)?.attempts ?? 0) >= 2, 20_000);
    expect(heldDocument(b.runtime.store.db, incoming)!.nextCheckAt).toBeGreaterThan(Date.now());
    expect(getDocument(b.runtime.store.db, incoming).state).toBe('registered');
    const listed = await call<{ items: { documentId: number; held: { outcome: string } | null }[] }>(b, 'inbox.list', {});
    expect(listed.items.find((i) => i.documentId === incoming)?.held).toMatchObject({ outcome: 'indeterminate' });
    // Never returned: A still sees "arrived" only, and B sent no 02.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(statusAtA(outgoing)).toBe('01');
    expect(getHistory(a.runtime.store.db, outgoing).filter((h) => h.kind === 'recipient_status').map((h) => h.to)).toEqual(['01']);
    // The root is trusted again: cleared at once, still for the clerk to answer.
    const cleared = await engine.trustChanged(trust);
    expect(cleared.cleared.map((c) => c.documentId)).toEqual([incoming]);
    expect(heldDocument(b.runtime.store.db, incoming)).toBeUndefined();
    expect(getDocument(b.runtime.store.db, incoming).state).toBe('registered');
  }, 90_000);

  it('a held document that a re-check finds invalid waits for the clerk: marked, never returned (no 02)', async () => {
    const { outgoing, incoming } = await sendToB('Về việc tệp hỏng khi kiểm tra lại', thirdPdf);
    await waitFor(() => statusAtA(outgoing) === '01');
    const db = b.runtime.store.db;
    const messageId = db.prepare<[number], string>("SELECT message_id FROM exchange_messages WHERE document_id = ? AND direction = 'incoming'").pluck().get(incoming)!;
    flagHeld(db, { documentId: incoming, messageId, reason: 'cong-van.pdf: indeterminate (REVOCATION_UNKNOWN) — x' });
    // What the re-check reads now has bytes added after the last signature: invalid.
    const main = listFiles(db, incoming)[0]!;
    addRevision(db, b.runtime.store.blobs, main.id, { bytes: new Uint8Array([...thirdPdf, ...Buffer.from('\n% thêm sau khi ký\n')]) });
    const result = await b.runtime.exchange.engine!.recheck('network-back');
    expect(result.markedInvalid.map((m) => [m.documentId, m.reason])).toEqual([[incoming, 'cong-van.pdf: changed after the last signature']]);
    expect(heldDocument(db, incoming)).toMatchObject({ outcome: 'invalid', nextCheckAt: null });
    expect(getDocument(db, incoming).state).toBe('registered');
    // The timer leaves it alone from now on, and nothing went to the sender.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(heldDocument(db, incoming)).toMatchObject({ outcome: 'invalid', attempts: 1 });
    expect(getHistory(a.runtime.store.db, outgoing).filter((h) => h.kind === 'recipient_status').map((h) => h.to)).toEqual(['01']);
  }, 90_000);

  it('a status the server refuses for good shows why on the document, leaves the document alone, and "Gửi lại" queues it again', async () => {
    const db = b.runtime.store.db;
    const incoming = db.prepare<[], number>("SELECT id FROM documents WHERE direction = 'incoming' AND state = 'done' ORDER BY id LIMIT 1").pluck().get()!;
    // A status about a message the server never had (a copy restored from another machine, say): refused, not retried by itself.
    const job = enqueue(db, { kind: STATUS_JOB_KIND, documentId: incoming, lane: statusLane(incoming), payload: { documentId: incoming, messageId: uuidV7(), code: '06', reason: null }, maxAttempts: 3 });
    b.runtime.worker.poke();
    type Detail = { state: string; pendingStatuses: { code: string; stuck: boolean; reason: { code: string; messageVi: string } | null }[] };
    let detail: Detail | undefined;
    const deadline = Date.now() + 30_000;
    for (;;) {
      detail = await call<Detail>(b, 'inbox.get', { documentId: incoming });
      if (detail.pendingStatuses.some((p) => p.stuck) || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(detail.pendingStatuses).toEqual([{ code: '06', stuck: true, reason: expect.objectContaining({ code: expect.stringMatching(/^EXCHANGE_/) as unknown, messageVi: expect.any(String) as unknown }) as unknown }]);
    // The document's own work is done and stays so: the refusal is the status job's.
    expect(detail.state).toBe('done');
    expect(await call(b, 'inbox.retryStatus', { documentId: incoming })).toEqual({ retried: 1 });
    // Queued again by the user, and run again (refused again: the server still does not know it).
    expect(jobHistory(db, job.id).map((h) => h.event)).toContain('retried_by_user');
    await waitFor(() => jobHistory(db, job.id).filter((h) => h.event === 'leased').length >= 2);
  }, 60_000);
});
