// The attention words: every error code the outbox or the exchange can record has a cause with words in both languages, and no internal id shows.
import { describe, expect, it } from 'vitest';
import { attentionActions, causeOf, causeOfCode, causes, shortLine, wordsFor } from '../../../../src/core/exchange/attention-words.js';
import { reasonOf } from '../../../../src/core/outbox/classify.js';
import { errorCatalogue, VanthuError, type ErrorCode } from '../../../../src/shared/errors.js';

const codes = Object.keys(errorCatalogue) as ErrorCode[];
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const ENGLISH_CODE = /\b[A-Z]{2,}_[A-Z_]{2,}\b/;

describe('attention words', () => {
  it('maps every error code of the catalogue to a cause with Vietnamese and English words and at least one action', () => {
    const missing = codes.filter((code) => causeOfCode[code] === undefined || causes[causeOfCode[code]] === undefined);
    expect(missing).toEqual([]);
    for (const code of codes) {
      const words = wordsFor({ code, messageVi: 'x', messageEn: 'x' });
      expect(words.vi.length, code).toBeGreaterThan(20);
      expect(words.en.length, code).toBeGreaterThan(20);
      expect(words.actions.length, code).toBeGreaterThan(0);
      for (const action of words.actions) expect(attentionActions).toContain(action);
    }
  });

  it('never shows a message id, an English error code or the raw server message', () => {
    for (const [id, cause] of Object.entries(causes)) {
      for (const text of [cause.vi({ organId: '000.00.01.H14', fileName: 'cong-van.pdf', nextRetryAt: Date.UTC(2026, 11, 7, 1, 5) }), cause.en({})]) {
        expect(text, id).not.toMatch(UUID);
        expect(text, id).not.toMatch(ENGLISH_CODE);
      }
    }
    const refused = reasonOf(
      new VanthuError('EXCHANGE_REFUSED', { status: 422, code: 'SERVER_IDEMPOTENCY_CONFLICT', messageVi: 'Mã văn bản 0190a3b2-1c2d-7e3f-8a9b-0c1d2e3f4a5b đã được dùng', messageEn: 'x' }),
    );
    const words = wordsFor(refused);
    expect(words.cause).toBe('duplicate');
    expect(words.vi).not.toMatch(UUID);
    expect(words.actions).toContain('contact');
  });

  it('reads the server code of a refusal, preferring a per-file reason, and the refusal of older records from its message', () => {
    const unknown = reasonOf(new VanthuError('EXCHANGE_REFUSED', { status: 422, code: 'SERVER_UNKNOWN_RECIPIENT', messageVi: 'a', messageEn: 'b', organId: '000.00.99.H14' }));
    expect(unknown).toMatchObject({ serverCode: 'SERVER_UNKNOWN_RECIPIENT', status: 422, organId: '000.00.99.H14' });
    const words = wordsFor(unknown);
    expect(words.cause).toBe('recipient_unknown');
    expect(words.vi).toContain('000.00.99.H14');
    expect(words.actions).toEqual(['edit_recipients', 'contact', 'cancel']);

    const perFile = reasonOf(new VanthuError('EXCHANGE_REFUSED', { status: 422, code: 'SERVER_SUBMISSION_INVALID', messageVi: 'a', messageEn: 'b', reasonCodes: 'SERVER_PDF_NOT_VALID,CHAIN_UNTRUSTED,SERVER_PDF_NOT_COVERED' }));
    expect(causeOf(perFile)).toBe('file_not_covered');
    expect(wordsFor(perFile).actions).toContain('resign');

    const old = { code: 'EXCHANGE_REFUSED', messageVi: '…', messageEn: 'The exchange server refused (422 SERVER_PDF_NOT_SIGNED_BY_SENDER): …' };
    expect(causeOf(old)).toBe('file_not_our_signature');
    expect(causeOf({ code: 'EXCHANGE_REFUSED', messageVi: '', messageEn: '', status: 503, serverCode: 'HTTP_ERROR' })).toBe('server_unreachable');
  });

  it('a give-up says what kept failing: a refusal stays a refusal, a network failure is "tried many times"', () => {
    expect(causeOf({ code: 'OUTBOX_GAVE_UP', messageVi: '', messageEn: '', causeCode: 'EXCHANGE_UNREACHABLE' })).toBe('gave_up');
    expect(causeOf({ code: 'OUTBOX_GAVE_UP', messageVi: '', messageEn: '', causeCode: 'TSA_TIMEOUT' })).toBe('timestamp_failed');
    expect(causeOf({ code: 'SOMETHING_NEW', messageVi: '', messageEn: '' })).toBe('internal');
  });

  it('puts the automatic retry time in Vietnam time, and the short line is the first sentence', () => {
    const words = wordsFor({ code: 'EXCHANGE_UNREACHABLE', messageVi: '', messageEn: '' }, { nextRetryAt: Date.UTC(2026, 11, 7, 1, 5, 40) });
    expect(words.vi).toContain('07/12/2026 08:05:40');
    expect(words.actions[0]).toBe('retry');
    expect(shortLine(words.vi)).toBe('Chưa kết nối được máy chủ trao đổi (mất mạng hoặc máy chủ bận).');
    expect(shortLine('Một câu không có dấu chấm')).toBe('Một câu không có dấu chấm');
  });
});
