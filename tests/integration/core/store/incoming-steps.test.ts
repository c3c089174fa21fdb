// Processing of an accepted incoming document: submitted, assigned with a deadline, in progress, done; each step kept and each state move in the history; wrong moves and bad input change nothing.
import { describe, expect, it } from 'vitest';
import {
  createDocument,
  currentAssignment,
  getDocument,
  getHistory,
  listSteps,
  markDone,
  markProcessing,
  open,
  recordAssignment,
  registerIncoming,
  submitToLeader,
  transition,
  type Store,
} from '../../../../src/core/store/index.js';
import { isVanthuError } from '../../../../src/shared/errors.js';
import { sample, tempDir } from './kit.js';

// 2026-12-07 10:00 in Vietnam.
const NOW = Date.parse('2026-12-07T03:00:00Z');

function accepted(store: Store): number {
  const { id } = createDocument(store.db, 'incoming', sample({ recipients: [] }), NOW - 3000);
  registerIncoming(store.db, id, { organId: '000.00.01.H14', now: NOW - 2000 });
  transition(store.db, id, 'accepted', { now: NOW - 1000 });
  return id;
}

const code = (fn: () => void): string | undefined => {
  try {
    fn();
  } catch (error) {
    return isVanthuError(error) ? error.code : String(error);
  }
  return undefined;
};

describe('incoming processing steps', () => {
  it('goes accepted -> submitted -> assigned -> processing -> done, every step with who, when and what', () => {
    const store = open(tempDir());
    const id = accepted(store);
    submitToLeader(store.db, id, { leader: ' Giám đốc Trần Văn B ', now: NOW });
    expect(getDocument(store.db, id).state).toBe('accepted');
    recordAssignment(store.db, id, { handler: 'Phòng Tổ chức cán bộ', deadline: '2026-12-15', opinion: 'Giao Phòng Tổ chức chủ trì, báo cáo trước hạn.', now: NOW + 1 });
    expect(getDocument(store.db, id).state).toBe('assigned');
    markProcessing(store.db, id, { now: NOW + 2 });
    markDone(store.db, id, { result: 'Đã báo cáo bằng Công văn số 12/SNV-TCCB.', now: NOW + 3 });
    expect(getDocument(store.db, id).state).toBe('done');
    expect(listSteps(store.db, id)).toEqual([
      { step: 'submitted', at: NOW, actor: 'Giám đốc Trần Văn B', handler: null, deadline: null, note: null },
      // The leader defaults to the one it was submitted to.
      { step: 'assigned', at: NOW + 1, actor: 'Giám đốc Trần Văn B', handler: 'Phòng Tổ chức cán bộ', deadline: '2026-12-15', note: 'Giao Phòng Tổ chức chủ trì, báo cáo trước hạn.' },
      { step: 'processing', at: NOW + 2, actor: null, handler: null, deadline: null, note: null },
      { step: 'done', at: NOW + 3, actor: null, handler: null, deadline: null, note: 'Đã báo cáo bằng Công văn số 12/SNV-TCCB.' },
    ]);
    expect(getHistory(store.db, id).filter((h) => h.kind === 'state').map((h) => [h.from, h.to, h.at])).toEqual([
      ['received', 'registered', NOW - 2000],
      ['registered', 'accepted', NOW - 1000],
      ['accepted', 'assigned', NOW + 1],
      ['assigned', 'processing', NOW + 2],
      ['processing', 'done', NOW + 3],
    ]);
  });

  it('keeps the latest assignment in force when the leader reassigns', () => {
    const store = open(tempDir());
    const id = accepted(store);
    recordAssignment(store.db, id, { leader: 'Phó Giám đốc', handler: 'Phòng A', deadline: '2026-12-10', now: NOW });
    recordAssignment(store.db, id, { leader: 'Giám đốc', handler: 'Phòng B', deadline: '2026-12-20', now: NOW + 5 });
    expect(currentAssignment(store.db, id)).toMatchObject({ actor: 'Giám đốc', handler: 'Phòng B', deadline: '2026-12-20' });
    expect(getDocument(store.db, id).state).toBe('assigned');
    expect(getHistory(store.db, id).filter((h) => h.to === 'assigned')).toHaveLength(1);
  });

  it('takes today (Vietnam time) as a deadline and refuses yesterday, a non-day, an empty handler, changing nothing', () => {
    const store = open(tempDir());
    const id = accepted(store);
    // 2026-12-06 23:30 UTC is already 07/12 in Vietnam: the 6th is past, the 7th is today.
    const lateEvening = Date.parse('2026-12-06T23:30:00Z');
    expect(code(() => recordAssignment(store.db, id, { handler: 'Phòng A', deadline: '2026-12-06', now: lateEvening }))).toBe('BAD_INPUT');
    expect(code(() => recordAssignment(store.db, id, { handler: 'Phòng A', deadline: '2026-13-01', now: NOW }))).toBe('BAD_INPUT');
    expect(code(() => recordAssignment(store.db, id, { handler: 'Phòng A', deadline: '15/12/2026', now: NOW }))).toBe('BAD_INPUT');
    expect(code(() => recordAssignment(store.db, id, { handler: '   ', deadline: '2026-12-15', now: NOW }))).toBe('BAD_INPUT');
    expect(code(() => recordAssignment(store.db, id, { handler: 'x'.repeat(201), deadline: '2026-12-15', now: NOW }))).toBe('BAD_INPUT');
    expect(code(() => submitToLeader(store.db, id, { leader: '' }))).toBe('BAD_INPUT');
    expect(listSteps(store.db, id)).toEqual([]);
    expect(getDocument(store.db, id).state).toBe('accepted');
    recordAssignment(store.db, id, { handler: 'Phòng A', deadline: '2026-12-07', now: lateEvening });
    expect(getDocument(store.db, id).state).toBe('assigned');
  });

  it('refuses steps out of order: before acceptance, after done, on an outgoing document', () => {
    const store = open(tempDir());
    const { id: received } = createDocument(store.db, 'incoming', sample({ recipients: [] }));
    expect(code(() => submitToLeader(store.db, received, { leader: 'Giám đốc' }))).toBe('STORE_TRANSITION_NOT_ALLOWED');
    expect(code(() => recordAssignment(store.db, received, { handler: 'Phòng A', deadline: '2099-01-01' }))).toBe('STORE_TRANSITION_NOT_ALLOWED');
    expect(code(() => markProcessing(store.db, received))).toBe('STORE_TRANSITION_NOT_ALLOWED');
    const id = accepted(store);
    markDone(store.db, id, { now: NOW });
    expect(code(() => markProcessing(store.db, id))).toBe('STORE_TRANSITION_NOT_ALLOWED');
    expect(code(() => recordAssignment(store.db, id, { handler: 'Phòng A', deadline: '2099-01-01' }))).toBe('STORE_TRANSITION_NOT_ALLOWED');
    expect(code(() => markDone(store.db, id))).toBe('STORE_TRANSITION_NOT_ALLOWED');
    const { id: outgoing } = createDocument(store.db, 'outgoing', sample());
    expect(code(() => submitToLeader(store.db, outgoing, { leader: 'Giám đốc' }))).toBe('STORE_TRANSITION_NOT_ALLOWED');
    expect(listSteps(store.db, received)).toEqual([]);
    expect(listSteps(store.db, id).map((s) => s.step)).toEqual(['done']);
  });
});
