// The attention channels through the IPC dispatcher against a real store and outbox: the list and the row's short reason, refusals of bad requests, resend, cancel and retry.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueSend } from '../../../src/core/exchange/index.js';
import { saveDirectory } from '../../../src/core/exchange/records.js';
import { claimNext, failJob, listJobs } from '../../../src/core/outbox/index.js';
import { addFile, assignOutgoingNumber, createDocument, getDocument, open, transition, type Store } from '../../../src/core/store/index.js';
import { documentsHandlers } from '../../../src/main/handlers/documents.js';
import { createDispatcher, type IpcHandlers } from '../../../src/main/ipc/dispatcher.js';
import type { AppRuntime } from '../../../src/main/runtime.js';
import { VanthuError } from '../../../src/shared/errors.js';
import type { IpcChannel, IpcRequest, IpcResponse } from '../../../src/shared/ipc-contract.js';
import { fixture } from '../../kit/pdf-tools.js';

let store: Store;
let dispatch: ReturnType<typeof createDispatcher>;
const UNKNOWN = 'H99.99';

const ok = async <C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResponse<C>> => {
  const result = await dispatch(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as IpcResponse<C>;
};
const refused = async (channel: string, request: unknown) => {
  const result = await dispatch(channel, request);
  if (result.ok) throw new Error(`${channel} was accepted`);
  return result.error;
};

/** An issued document queued for sending whose submit the server refused (what the exchange client records for a 422). */
function refusedSend(subject: string): number {
  const { id } = createDocument(store.db, 'outgoing', { organId: 'H09.01', organName: 'UBND tỉnh Cao Bằng', codeNotation: 'UBND-VP', subject, recipients: [{ organId: UNKNOWN, organName: 'Sở Không Có' }] });
  addFile(store.db, store.blobs, id, { role: 'main', name: 'cong-van.pdf', bytes: fixture('classic-xref.pdf') });
  transition(store.db, id, 'signed_by_leader');
  assignOutgoingNumber(store.db, id);
  transition(store.db, id, 'issued');
  enqueueSend(store, id);
  const job = claimNext(store.db, 'test-worker')!;
  failJob(store.db, job.id, 'test-worker', new VanthuError('EXCHANGE_REFUSED', { status: 422, code: 'SERVER_UNKNOWN_RECIPIENT', messageVi: `Cơ quan nhận ${UNKNOWN} không có trong danh bạ.`, messageEn: 'x', organId: UNKNOWN }));
  return id;
}

beforeAll(() => {
  store = open(mkdtempSync(path.join(tmpdir(), 'vanthu-attention-main-')));
  const runtime = { store } as unknown as AppRuntime;
  dispatch = createDispatcher(documentsHandlers({ options: { version: 'test', userModulePaths: () => [], runtime } }) as IpcHandlers);
  saveDirectory(store.db, [{ organId: 'H09.02', name: 'Sở Tài chính tỉnh Cao Bằng', parent: 'H09.01' }, { organId: 'H09.01', name: 'UBND tỉnh Cao Bằng', parent: null }]);
});
afterAll(() => store?.close());

describe('attention channels', () => {
  it('list, get and the register row say why, in both languages, without internal ids', async () => {
    const id = refusedSend('Về việc gửi nhầm nơi nhận');
    expect(getDocument(store.db, id).state).toBe('needs_attention');
    const { items } = await ok('attention.list', {});
    expect(items.map((i) => [i.documentId, i.cause, i.numberNotation])).toEqual([[id, 'recipient_unknown', '01/UBND-VP']]);
    const { attention, contacts } = await ok('attention.get', { id });
    expect(attention?.vi).toContain(UNKNOWN);
    expect(contacts).toEqual([{ organId: UNKNOWN, name: 'Sở Không Có', parent: null, inDirectory: false }]);
    const rows = await ok('documents.list', { view: 'outgoing' });
    expect(rows.items.find((r) => r.id === id)?.attention).toEqual({ vi: attention?.shortVi, en: attention?.shortEn });
    expect(JSON.stringify(rows.items.find((r) => r.id === id)?.attention)).not.toMatch(/SERVER_|EXCHANGE_|"id"/);
  });

  it('refuses bad requests without running them', async () => {
    const id = refusedSend('Về việc yêu cầu sai');
    expect((await refused('attention.resend', { id, recipients: [] })).code).toBe('BAD_INPUT');
    expect((await refused('attention.retry', { id: -1 })).code).toBe('BAD_INPUT');
    expect((await refused('attention.cancel', { id, extra: 1 })).code).toBe('BAD_INPUT');
    expect(getDocument(store.db, id).state).toBe('needs_attention');
  });

  it('resend to a known agency queues it again; cancel brings it back to issued, out of the outbox; retry of nothing is refused in words', async () => {
    const id = refusedSend('Về việc sửa nơi nhận');
    expect(await ok('attention.resend', { id, recipients: [{ organId: 'H09.02', organName: 'Sở Tài chính tỉnh Cao Bằng' }] })).toEqual({ state: 'queued' });
    expect(getDocument(store.db, id).recipients.map((r) => r.organId)).toEqual(['H09.02']);
    expect(await ok('attention.cancel', { id })).toEqual({ state: 'issued' });
    expect(listJobs(store.db, { documentId: id }).filter((j) => !['done', 'cancelled'].includes(j.state))).toEqual([]);
    const error = await refused('attention.retry', { id });
    expect(error.code).toBe('ATTENTION_NOTHING_TO_DO');
    // Words a person reads: no database id, no state name in English.
    expect(error.messageVi).not.toMatch(/\d|issued|needs_attention/);
    expect(error.messageEn).not.toMatch(/\d|needs_attention/);

    const other = refusedSend('Về việc thử lại');
    expect(await ok('attention.retry', { id: other })).toEqual({ state: 'queued' });
    expect(listJobs(store.db, { documentId: other }).map((j) => j.state)).toEqual(['pending', 'pending']);
  });
});
