// Status transitions of a delivery: the recipient's steps in order, the sender's recall, and refusing everything else.
import { describe, expect, it } from 'vitest';
import { nextState } from '../../../src/server/messages/transitions.js';
import { STATUS_CODES } from '../../../src/shared/exchange-protocol.js';

const fresh = { status: null, statusBeforeRecall: null };

describe('status transitions', () => {
  it('walks arrived → accepted → assigned → processing → done', () => {
    let state = fresh as { status: string | null; statusBeforeRecall: string | null };
    for (const code of ['01', '03', '04', '05', '06'] as const) {
      const next = nextState(state, code, 'recipient');
      expect(next?.status, code).toBe(code);
      state = next!;
    }
  });

  it('allows only 01 first, and nothing after rejection or completion', () => {
    expect(STATUS_CODES.filter((code) => nextState(fresh, code, 'recipient'))).toEqual(['01']);
    expect(STATUS_CODES.filter((code) => nextState({ status: '02', statusBeforeRecall: null }, code, 'recipient'))).toEqual([]);
    expect(STATUS_CODES.filter((code) => nextState({ status: '06', statusBeforeRecall: null }, code, 'recipient'))).toEqual([]);
    expect(nextState({ status: '01', statusBeforeRecall: null }, '06', 'recipient')).toBeUndefined();
  });

  it('lets only the sender ask for a recall, and the recipient agree (final) or refuse (back to where it was)', () => {
    expect(nextState({ status: '05', statusBeforeRecall: null }, '13', 'recipient')).toBeUndefined();
    expect(nextState({ status: '05', statusBeforeRecall: null }, '03', 'sender')).toBeUndefined();
    const recalled = nextState({ status: '05', statusBeforeRecall: null }, '13', 'sender');
    expect(recalled).toEqual({ status: '13', statusBeforeRecall: '05' });
    expect(nextState(recalled!, '16', 'recipient')).toEqual({ status: '05', statusBeforeRecall: null });
    const agreed = nextState(recalled!, '15', 'recipient');
    expect(agreed?.status).toBe('15');
    expect(STATUS_CODES.filter((code) => nextState(agreed!, code, 'recipient') || nextState(agreed!, code, 'sender'))).toEqual([]);
    expect(nextState({ status: '02', statusBeforeRecall: null }, '13', 'sender')).toBeUndefined();
  });

  it('lets the recipient agree to (15) or refuse (16) an update or replacement once it arrived, and nothing after', () => {
    for (const type of ['update', 'replace']) {
      for (const code of ['15', '16'] as const) {
        expect(nextState({ status: '01', statusBeforeRecall: null }, code, 'recipient', type)).toEqual({ status: code, statusBeforeRecall: null });
        expect(nextState({ status: '03', statusBeforeRecall: null }, code, 'recipient', type)?.status).toBe(code);
        expect(nextState(fresh, code, 'recipient', type)).toBeUndefined();
        expect(nextState({ status: '05', statusBeforeRecall: null }, code, 'recipient', type)).toBeUndefined();
        expect(nextState({ status: '01', statusBeforeRecall: null }, code, 'sender', type)).toBeUndefined();
      }
      const answered = nextState({ status: '01', statusBeforeRecall: null }, '16', 'recipient', type)!;
      expect(STATUS_CODES.filter((code) => nextState(answered, code, 'recipient', type))).toEqual([]);
    }
    // A new document is not answered with 15/16 outside a recall.
    expect(nextState({ status: '01', statusBeforeRecall: null }, '15', 'recipient', 'new')).toBeUndefined();
  });
});
