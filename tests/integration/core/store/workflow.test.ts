import { describe, expect, it } from 'vitest';
import {
  assignOutgoingNumber,
  createDocument,
  getDocument,
  getHistory,
  registerIncoming,
  setRecipientStatus,
  transition,
  type Store,
} from '../../../../src/core/store/index.js';
import { open } from '../../../../src/core/store/index.js';
import { sample, tempDir } from './kit.js';

const G22 = '000.00.00.G22';
const G12 = '000.00.18.G12';

function sentDocument(store: Store): number {
  const { id } = createDocument(store.db, 'outgoing', sample());
  transition(store.db, id, 'signed_by_leader', { now: 1 });
  assignOutgoingNumber(store.db, id, { now: 2 });
  transition(store.db, id, 'issued', { now: 3 });
  transition(store.db, id, 'queued', { now: 4 });
  transition(store.db, id, 'sending', { now: 5 });
  transition(store.db, id, 'sent', { now: 6, receipt: '{"receiptId":"r-1"}' });
  return id;
}

describe('outgoing workflow', () => {
  it('goes draft -> signed_by_leader -> (number) -> issued -> queued -> sending -> sent, each step in the history', () => {
    const store = open(tempDir());
    const id = sentDocument(store);
    const record = getDocument(store.db, id);
    expect(record.state).toBe('sent');
    expect(record.receipt).toBe('{"receiptId":"r-1"}');
    expect(getHistory(store.db, id).map((h) => [h.kind, h.from ?? null, h.to])).toEqual([
      ['created', null, 'draft'],
      ['state', 'draft', 'signed_by_leader'],
      ['number', null, '01'],
      ['state', 'signed_by_leader', 'issued'],
      ['state', 'issued', 'queued'],
      ['state', 'queued', 'sending'],
      ['state', 'sending', 'sent'],
    ]);
    store.close();
  });

  it('refuses a skipped or backward step and changes nothing', () => {
    const store = open(tempDir());
    const { id } = createDocument(store.db, 'outgoing', sample());
    expect(() => transition(store.db, id, 'sent', { receipt: 'x' })).toThrow(
      expect.objectContaining({ code: 'STORE_TRANSITION_NOT_ALLOWED', messageVi: expect.stringContaining('"draft"') }),
    );
    expect(() => transition(store.db, id, 'queued')).toThrow(expect.objectContaining({ code: 'STORE_TRANSITION_NOT_ALLOWED' }));
    expect(() => transition(store.db, id, 'registered')).toThrow(expect.objectContaining({ code: 'STORE_TRANSITION_NOT_ALLOWED' }));
    expect(getDocument(store.db, id).state).toBe('draft');
    expect(getHistory(store.db, id)).toHaveLength(1);
    store.close();
  });

  it('will not issue without a number, nor mark sent without the receipt', () => {
    const store = open(tempDir());
    const { id } = createDocument(store.db, 'outgoing', sample());
    transition(store.db, id, 'signed_by_leader');
    expect(() => transition(store.db, id, 'issued')).toThrow(expect.objectContaining({ code: 'STORE_TRANSITION_NOT_ALLOWED' }));
    assignOutgoingNumber(store.db, id);
    transition(store.db, id, 'issued');
    transition(store.db, id, 'queued');
    transition(store.db, id, 'sending');
    expect(() => transition(store.db, id, 'sent')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(getDocument(store.db, id).state).toBe('sending');
    store.close();
  });

  it('keeps failed and needs_attention visible and lets them be retried', () => {
    const store = open(tempDir());
    const { id } = createDocument(store.db, 'outgoing', sample());
    transition(store.db, id, 'signed_by_leader');
    assignOutgoingNumber(store.db, id);
    for (const to of ['issued', 'queued', 'sending', 'failed', 'queued', 'sending', 'needs_attention', 'queued'] as const) {
      transition(store.db, id, to, { reason: to === 'needs_attention' ? 'chữ ký không hợp lệ' : undefined });
    }
    expect(getDocument(store.db, id).state).toBe('queued');
    const history = getHistory(store.db, id);
    expect(history.find((h) => h.to === 'needs_attention')?.reason).toBe('chữ ký không hợp lệ');
    expect(history.filter((h) => h.kind === 'state')).toHaveLength(9);
    store.close();
  });

  it('records per-recipient status codes with allowed moves only, and only once sent', () => {
    const store = open(tempDir());
    const { id: draft } = createDocument(store.db, 'outgoing', sample());
    expect(() => setRecipientStatus(store.db, draft, G22, '01')).toThrow(expect.objectContaining({ code: 'STORE_TRANSITION_NOT_ALLOWED' }));

    const id = sentDocument(store);
    expect(() => setRecipientStatus(store.db, id, G22, '03')).toThrow(expect.objectContaining({ code: 'STORE_TRANSITION_NOT_ALLOWED' }));
    setRecipientStatus(store.db, id, G22, '01', { now: 10 });
    setRecipientStatus(store.db, id, G22, '03', { now: 11 });
    setRecipientStatus(store.db, id, G22, '05', { now: 12 });
    setRecipientStatus(store.db, id, G12, '01', { now: 13 });
    setRecipientStatus(store.db, id, G12, '02', { now: 14, reason: 'gửi nhầm nơi nhận' });
    expect(() => setRecipientStatus(store.db, id, G12, '03')).toThrow(expect.objectContaining({ code: 'STORE_TRANSITION_NOT_ALLOWED' }));
    expect(() => setRecipientStatus(store.db, id, 'H99', '01')).toThrow(expect.objectContaining({ code: 'STORE_NOT_FOUND' }));
    expect(getDocument(store.db, id).recipients).toEqual([
      { organId: G22, organName: 'Văn phòng Chính phủ', status: '05', statusAt: 12 },
      { organId: G12, organName: 'Bộ Nội vụ', status: '02', statusAt: 14 },
    ]);
    const statusHistory = getHistory(store.db, id).filter((h) => h.kind === 'recipient_status');
    expect(statusHistory.map((h) => [h.recipientOrganId, h.from, h.to])).toEqual([
      [G22, null, '01'],
      [G22, '01', '03'],
      [G22, '03', '05'],
      [G12, null, '01'],
      [G12, '01', '02'],
    ]);
    expect(statusHistory.at(-1)?.reason).toBe('gửi nhầm nơi nhận');
    store.close();
  });
});

describe('incoming workflow', () => {
  it('goes received -> registered (with its arrival number) -> accepted, and refuses to register twice', () => {
    const store = open(tempDir());
    const { id } = createDocument(store.db, 'incoming', sample({ codeNumber: '15' }));
    expect(getDocument(store.db, id).state).toBe('received');
    registerIncoming(store.db, id, { organId: 'H14' });
    expect(() => registerIncoming(store.db, id, { organId: 'H14' })).toThrow(expect.objectContaining({ code: 'STORE_TRANSITION_NOT_ALLOWED' }));
    transition(store.db, id, 'accepted');
    expect(() => transition(store.db, id, 'received')).toThrow(expect.objectContaining({ code: 'STORE_TRANSITION_NOT_ALLOWED' }));
    expect(getHistory(store.db, id).map((h) => h.to)).toEqual(['received', 'registered', 'accepted']);
    const { id: other } = createDocument(store.db, 'incoming', sample({ codeNumber: '16' }));
    transition(store.db, other, 'rejected', { reason: 'gửi nhầm' });
    expect(() => transition(store.db, other, 'registered')).toThrow(expect.objectContaining({ code: 'STORE_TRANSITION_NOT_ALLOWED' }));
    store.close();
  });
});
