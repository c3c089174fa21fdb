import { describe, expect, it } from 'vitest';
import { parseMetadata, toMatchQuery, vietnamDate } from '../../../../src/core/store/index.js';
import {
  canChangeRecipientStatus,
  canTransition,
  formatCodeNumber,
  formatNumberNotation,
  incomingStates,
  incomingTransitions,
  outgoingStates,
  outgoingTransitions,
} from '../../../../src/shared/document.js';

describe('document metadata schema', () => {
  it('fills the defaults and trims text', () => {
    expect(parseMetadata({ subject: '  Trích yếu  ' })).toEqual({ subject: 'Trích yếu', priority: 0, secrecy: 0, recipients: [] });
  });

  it('counts characters, not bytes (Vietnamese letters take 2-3 bytes in UTF-8)', () => {
    expect(() => parseMetadata({ subject: 'ữ'.repeat(500) })).not.toThrow();
    expect(() => parseMetadata({ subject: 'ữ'.repeat(501) })).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});

describe('formats', () => {
  it('gives numbers under 10 a leading zero and upper-cases the notation', () => {
    expect([1, 5, 9, 10, 123].map(formatCodeNumber)).toEqual(['01', '05', '09', '10', '123']);
    expect(formatNumberNotation('05', 'ubnd-vp')).toBe('05/UBND-VP');
  });

  it('takes the legal date in Vietnam time (UTC+7)', () => {
    expect(vietnamDate(Date.parse('2025-12-31T16:59:59Z'))).toEqual({ date: '2025-12-31', year: 2025 });
    expect(vietnamDate(Date.parse('2025-12-31T17:00:00Z'))).toEqual({ date: '2026-01-01', year: 2026 });
  });

  it('quotes every word of a search and makes the last one a prefix', () => {
    expect(toMatchQuery('Cao Bằng')).toBe('"Cao" "Bằng"*');
    expect(toMatchQuery('05/UBND-VP')).toBe('"05" "UBND" "VP"*');
    expect(toMatchQuery('" OR *')).toBe('"OR"*');
    expect(toMatchQuery(' -- ')).toBeNull();
    // đ/Đ are folded to d/D, as in the index (FTS5 does not count the bar as a diacritic).
    expect(toMatchQuery('Đà Nẵng đ')).toBe('"Dà" "Nẵng" "d"*');
  });
});

describe('workflow tables', () => {
  it('only name known states and leave final states final', () => {
    for (const [from, tos] of Object.entries(outgoingTransitions)) {
      expect(outgoingStates).toContain(from);
      for (const to of tos) expect(outgoingStates).toContain(to);
    }
    for (const [from, tos] of Object.entries(incomingTransitions)) {
      expect(incomingStates).toContain(from);
      for (const to of tos) expect(incomingStates).toContain(to);
    }
    expect(outgoingTransitions.sent).toEqual([]);
    expect(incomingTransitions.rejected).toEqual([]);
  });

  it('reach sent from draft only through every step', () => {
    const path = ['draft', 'signed_by_leader', 'issued', 'queued', 'sending', 'sent'] as const;
    for (let i = 0; i + 1 < path.length; i++) expect(canTransition('outgoing', path[i]!, path[i + 1]!)).toBe(true);
    expect(canTransition('outgoing', 'draft', 'issued')).toBe(false);
    expect(canTransition('outgoing', 'issued', 'sent')).toBe(false);
    expect(canTransition('incoming', 'draft', 'signed_by_leader')).toBe(false);
    expect(canTransition('outgoing', 'received', 'registered')).toBe(false);
  });

  it('let the sender recall an incoming document at any living state, answered or not, but not a returned one', () => {
    for (const from of ['received', 'registered', 'accepted', 'assigned', 'processing', 'done'] as const) expect(canTransition('incoming', from, 'recalled')).toBe(true);
    expect(canTransition('incoming', 'rejected', 'recalled')).toBe(false);
    expect(incomingTransitions.recalled).toEqual([]);
  });

  it('let a recipient status start at 01 only and never leave 02 or 15', () => {
    expect(canChangeRecipientStatus(null, '01')).toBe(true);
    expect(canChangeRecipientStatus(null, '03')).toBe(false);
    expect(canChangeRecipientStatus('01', '03')).toBe(true);
    expect(canChangeRecipientStatus('02', '03')).toBe(false);
    expect(canChangeRecipientStatus('13', '15')).toBe(true);
    expect(canChangeRecipientStatus('15', '05')).toBe(false);
  });
});
