// Processing steps with their statuses: each step and its 04/05/06 job are stored together (or neither), a reassignment owes the sender nothing new, a document typed in by hand owes nobody.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pendingStatuses, recordProcessingStep, STATUS_JOB_KIND, statusLane } from '../../../../src/core/exchange/index.js';
import { listJobs } from '../../../../src/core/outbox/index.js';
import { createDocument, getDocument, listSteps, open, registerIncoming, transition, type Store } from '../../../../src/core/store/index.js';
import { isVanthuError } from '../../../../src/shared/errors.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempStore(): Store {
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-processing-status-'));
  dirs.push(dir);
  return open(dir);
}

/** An accepted incoming document; with `messageId`, one that came through the exchange. */
function accepted(store: Store, messageId?: string): number {
  const { id } = createDocument(store.db, 'incoming', { organId: '000.00.14.H14', organName: 'UBND tỉnh Cao Bằng', subject: 'Về việc rà soát biên chế' });
  registerIncoming(store.db, id, { organId: '000.00.01.H14' });
  transition(store.db, id, 'accepted');
  if (messageId) {
    store.db.prepare("INSERT INTO exchange_messages (message_id, direction, document_id, receipt, created_at) VALUES (?, 'incoming', ?, NULL, 0)").run(messageId, id);
  }
  return id;
}

const jobsOf = (store: Store, id: number) => listJobs(store.db, { kind: STATUS_JOB_KIND, documentId: id }).map((j) => ({ lane: j.lane, state: j.state, payload: j.payload }));

describe('processing steps and their statuses', () => {
  it('queues 04 on the assignment (not again on a reassignment), 05 in progress, 06 done with the result, in one lane; submitting owes nothing', () => {
    const store = tempStore();
    const id = accepted(store, 'msg-1');
    expect(recordProcessingStep(store, id, { step: 'submitted', leader: 'Giám đốc' })).toEqual({ statusQueued: false });
    expect(recordProcessingStep(store, id, { step: 'assigned', handler: 'Phòng A', deadline: '2099-01-01' })).toEqual({ statusQueued: true });
    expect(recordProcessingStep(store, id, { step: 'assigned', handler: 'Phòng B', deadline: '2099-02-01' })).toEqual({ statusQueued: false });
    expect(recordProcessingStep(store, id, { step: 'processing' })).toEqual({ statusQueued: true });
    expect(recordProcessingStep(store, id, { step: 'done', result: 'Đã báo cáo.' })).toEqual({ statusQueued: true });
    expect(jobsOf(store, id)).toEqual([
      { lane: statusLane(id), state: 'pending', payload: { documentId: id, messageId: 'msg-1', code: '04', reason: null } },
      { lane: statusLane(id), state: 'pending', payload: { documentId: id, messageId: 'msg-1', code: '05', reason: null } },
      { lane: statusLane(id), state: 'pending', payload: { documentId: id, messageId: 'msg-1', code: '06', reason: 'Đã báo cáo.' } },
    ]);
    expect(pendingStatuses(store.db, id)).toEqual([
      { code: '04', stuck: false, reason: null },
      { code: '05', stuck: false, reason: null },
      { code: '06', stuck: false, reason: null },
    ]);
    expect(listSteps(store.db, id).map((s) => s.step)).toEqual(['submitted', 'assigned', 'assigned', 'processing', 'done']);
  });

  it('a status the server refused for good says why in plain words: no server code, no message id', () => {
    const store = tempStore();
    const id = accepted(store, 'msg-3');
    recordProcessingStep(store, id, { step: 'assigned', handler: 'Phòng A', deadline: '2099-01-01' });
    const refusal = {
      code: 'EXCHANGE_REFUSED', status: 404, serverCode: 'SERVER_NOT_FOUND',
      messageVi: 'Máy chủ trao đổi từ chối (404 SERVER_NOT_FOUND): Không tìm thấy văn bản 01a24ec0-b300-771c-a539-06cd86a28f94.',
      messageEn: 'The exchange server refused (404 SERVER_NOT_FOUND): Message 01a24ec0-b300-771c-a539-06cd86a28f94 not found.',
    };
    store.db.prepare("UPDATE outbox_jobs SET state = 'needs_attention', last_error = ? WHERE document_id = ?").run(JSON.stringify(refusal), id);
    const [stuck] = pendingStatuses(store.db, id);
    expect(stuck).toMatchObject({ code: '04', stuck: true, reason: { code: 'EXCHANGE_REFUSED' } });
    expect(stuck!.reason!.messageVi).toBe('Máy chủ trao đổi trả lời bất thường. Thử lại sau; nếu vẫn lỗi, báo quản trị máy chủ trao đổi.');
    expect(`${stuck!.reason!.messageVi} ${stuck!.reason!.messageEn}`).not.toMatch(/SERVER_|404|[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('a refused step queues nothing; a document typed in by hand is processed with no status to send', () => {
    const store = tempStore();
    const id = accepted(store, 'msg-2');
    let code: string | undefined;
    try {
      recordProcessingStep(store, id, { step: 'assigned', handler: 'Phòng A', deadline: '2000-01-01' });
    } catch (error) {
      code = isVanthuError(error) ? error.code : String(error);
    }
    expect(code).toBe('BAD_INPUT');
    expect(jobsOf(store, id)).toEqual([]);
    expect(getDocument(store.db, id).state).toBe('accepted');

    const local = accepted(store);
    expect(recordProcessingStep(store, local, { step: 'done' })).toEqual({ statusQueued: false });
    expect(getDocument(store.db, local).state).toBe('done');
    expect(jobsOf(store, local)).toEqual([]);
  });
});
