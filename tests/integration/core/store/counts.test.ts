import { describe, expect, it } from 'vitest';
import { AWAITING_ANSWER, countInStates, createDocument, open, transition } from '../../../../src/core/store/index.js';
import { sample, tempDir } from './kit.js';

describe('countInStates', () => {
  it('counts incoming documents awaiting an answer, not answered ones nor outgoing ones', () => {
    const store = open(tempDir());
    const incoming = [1, 2, 3].map((n) => createDocument(store.db, 'incoming', sample({ subject: `Công văn đến ${n}` })).id);
    createDocument(store.db, 'outgoing', sample());
    expect(countInStates(store.db, 'incoming', AWAITING_ANSWER)).toBe(3);
    transition(store.db, incoming[0]!, 'registered');
    expect(countInStates(store.db, 'incoming', AWAITING_ANSWER)).toBe(3);
    transition(store.db, incoming[0]!, 'accepted');
    transition(store.db, incoming[1]!, 'rejected', { reason: 'Gửi nhầm cơ quan' });
    expect(countInStates(store.db, 'incoming', AWAITING_ANSWER)).toBe(1);
    expect(countInStates(store.db, 'outgoing', ['draft'])).toBe(1);
    expect(countInStates(store.db, 'incoming', [])).toBe(0);
    store.close();
  });
});
