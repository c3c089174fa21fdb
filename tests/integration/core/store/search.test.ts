import { describe, expect, it } from 'vitest';
import { assignOutgoingNumber, createDocument, open, searchDocuments, transition, type Store } from '../../../../src/core/store/index.js';
import { sample, tempDir } from './kit.js';

function seed(store: Store): Record<string, number> {
  const flood = createDocument(store.db, 'outgoing', sample({ subject: 'Kế hoạch phòng, chống thiên tai tỉnh Cao Bằng năm 2026' })).id;
  transition(store.db, flood, 'signed_by_leader');
  assignOutgoingNumber(store.db, flood, { now: Date.parse('2026-01-05T09:00:00+07:00') });
  const report = createDocument(
    store.db,
    'incoming',
    sample({ subject: 'Báo cáo tổng kết công tác văn thư', organId: '000.00.18.G12', organName: 'Bộ Nội vụ', codeNumber: '128', codeNotation: 'BC-BNV', recipients: [] }),
  ).id;
  const invitation = createDocument(
    store.db,
    'outgoing',
    sample({ subject: 'Giấy mời dự hội nghị trực tuyến', recipients: [{ organId: '000.00.00.H26', organName: 'Sở Tài chính tỉnh Đắk Lắk' }] }),
  ).id;
  return { flood, report, invitation };
}

describe('searchDocuments', () => {
  it('finds Vietnamese text typed without diacritics, in any case, by word prefix', () => {
    const store = open(tempDir());
    const ids = seed(store);
    expect(searchDocuments(store.db, 'Cao Bang').items.map((d) => d.id).sort()).toEqual([ids.flood, ids.invitation].sort());
    expect(searchDocuments(store.db, 'phong chong thien tai').items.map((d) => d.id)).toEqual([ids.flood]);
    expect(searchDocuments(store.db, 'THIÊN TAI').items.map((d) => d.id)).toEqual([ids.flood]);
    expect(searchDocuments(store.db, 'giay mo').items.map((d) => d.id)).toEqual([ids.invitation]);
    expect(searchDocuments(store.db, 'chong lu').items).toEqual([]);
    store.close();
  });

  it('finds by number/notation as printed and by party (issuer, signer, recipients)', () => {
    const store = open(tempDir());
    const ids = seed(store);
    expect(searchDocuments(store.db, '01/UBND-VP').items.map((d) => d.id)).toEqual([ids.flood]);
    expect(searchDocuments(store.db, '128/BC-BNV').items.map((d) => d.id)).toEqual([ids.report]);
    expect(searchDocuments(store.db, 'bo noi vu').items.map((d) => d.id).sort()).toEqual([ids.flood, ids.report].sort());
    // đ is not a diacritic to Unicode: folded by the store so "dak lak" finds "Đắk Lắk", and the other way round.
    expect(searchDocuments(store.db, 'dak lak').items.map((d) => d.id)).toEqual([ids.invitation]);
    expect(searchDocuments(store.db, 'Đắk').items.map((d) => d.id)).toEqual([ids.invitation]);
    expect(searchDocuments(store.db, '000.00.00.H26').items.map((d) => d.id)).toEqual([ids.invitation]);
    expect(searchDocuments(store.db, 'nguyen van a', { direction: 'incoming' }).items.map((d) => d.id)).toEqual([ids.report]);
    store.close();
  });

  it('treats FTS5 syntax in the input as plain words', () => {
    const store = open(tempDir());
    seed(store);
    for (const text of ['"', 'AND', 'cao OR', 'NEAR(', '*', 'subject:', '-', "'); DROP TABLE documents; --"]) {
      expect(() => searchDocuments(store.db, text)).not.toThrow();
    }
    expect(searchDocuments(store.db, '   ').items).toEqual([]);
    expect(store.db.prepare<unknown[], number>('SELECT count(*) FROM documents').pluck().get()).toBe(3);
    store.close();
  });

  it('pages through many matches newest first, each exactly once', () => {
    const store = open(tempDir());
    const ids: number[] = [];
    for (let i = 0; i < 45; i++) {
      ids.push(createDocument(store.db, 'outgoing', sample({ subject: i % 2 === 0 ? `Quyết định khen thưởng số ${i}` : `Công văn khác ${i}` })).id);
    }
    const seen: number[] = [];
    let after: number | null = null;
    do {
      const page = searchDocuments(store.db, 'khen thuong', { limit: 7, after });
      seen.push(...page.items.map((d) => d.id));
      after = page.nextCursor;
    } while (after !== null);
    expect(seen).toEqual(ids.filter((_, i) => i % 2 === 0).reverse());
    store.close();
  });
});
