import { describe, expect, it } from 'vitest';
import { createDocument, getDocument, getHistory, listDocuments, open, searchDocuments, transition, updateMetadata } from '../../../../src/core/store/index.js';
import { sample, tempDir } from './kit.js';

describe('documents', () => {
  it('stores the Decree 30 metadata and recipients and reads them back', () => {
    const store = open(tempDir());
    const input = sample({ priority: 3, secrecy: 1, dueDate: '2026-03-31', issuedAmount: 5, description: 'Kèm phụ lục', language: 'vi' });
    const { id, duplicates } = createDocument(store.db, 'outgoing', input, 1_000);
    expect(duplicates).toEqual([]);
    const record = getDocument(store.db, id);
    expect(record).toMatchObject({
      id,
      direction: 'outgoing',
      state: 'draft',
      organId: '000.00.14.H14',
      organName: 'Ủy ban nhân dân tỉnh Cao Bằng',
      codeNotation: 'UBND-VP',
      issuedPlace: 'Cao Bằng',
      typeName: 'Công văn',
      subject: input.subject,
      priority: 3,
      secrecy: 1,
      signerPosition: 'Chủ tịch',
      signerFullName: 'Nguyễn Văn A',
      pageAmount: 2,
      dueDate: '2026-03-31',
      issuedAmount: 5,
      createdAt: 1_000,
    });
    expect(record.recipients).toEqual([
      { organId: '000.00.00.G22', organName: 'Văn phòng Chính phủ', status: null, statusAt: null },
      { organId: '000.00.18.G12', organName: 'Bộ Nội vụ', status: null, statusAt: null },
    ]);
    expect(record.codeNumber).toBeUndefined();
    expect(getHistory(store.db, id)).toEqual([{ documentId: id, at: 1_000, kind: 'created', from: null, to: 'draft' }]);
    store.close();
  });

  it.each([
    ['a subject over 500 characters', { subject: 'a'.repeat(501) }, 'subject'],
    ['an empty subject', { subject: '   ' }, 'subject'],
    ['an organ id over 13 characters', { organId: '000.00.14.H14X' }, 'organId'],
    ['a notation over 30 characters', { codeNotation: 'N'.repeat(31) }, 'codeNotation'],
    ['a signer name over 50 characters', { signerFullName: 'N'.repeat(51) }, 'signerFullName'],
    ['a signer position over 100 characters', { signerPosition: 'P'.repeat(101) }, 'signerPosition'],
    ['a type name over 100 characters', { typeName: 'T'.repeat(101) }, 'typeName'],
    ['an unknown priority', { priority: 7 as 0 }, 'priority'],
    ['a due date that is not yyyy-mm-dd', { dueDate: '31/03/2026' }, 'dueDate'],
    ['a recipient name over 200 characters', { recipients: [{ organId: 'G22', organName: 'R'.repeat(201) }] }, 'recipients.0.organName'],
    ['a PIN slipped in', { pin: '123456' } as object, 'pin'],
    ['an outgoing number typed by hand', { codeNumber: '05' }, 'codeNumber'],
  ])('refuses %s and stores nothing', (_, overrides, field) => {
    const store = open(tempDir());
    expect(() => createDocument(store.db, 'outgoing', sample(overrides))).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT', messageEn: expect.stringContaining(field) }),
    );
    expect(store.db.prepare<unknown[], number>('SELECT count(*) FROM documents').pluck().get()).toBe(0);
    expect(store.db.prepare<unknown[], number>('SELECT count(*) FROM document_recipients').pluck().get()).toBe(0);
    store.close();
  });

  it('accepts the Appendix VI maximum lengths exactly', () => {
    const store = open(tempDir());
    const { id } = createDocument(store.db, 'incoming', {
      organId: '1234567890123',
      organName: 'Đ'.repeat(200),
      codeNumber: '12345678901',
      codeNotation: 'Ư'.repeat(30),
      typeName: 'T'.repeat(100),
      subject: 'ệ'.repeat(500),
      signerPosition: 'P'.repeat(100),
      signerFullName: 'N'.repeat(50),
      toPlaces: 'x'.repeat(1000),
      fileNotation: 'F'.repeat(20),
      fileCatalog: '2026',
    });
    expect(getDocument(store.db, id).subject).toHaveLength(500);
    store.close();
  });

  it('pages a list newest first with a keyset cursor: every document exactly once, filters applied', () => {
    const store = open(tempDir());
    const ids: number[] = [];
    for (let i = 0; i < 57; i++) ids.push(createDocument(store.db, i % 3 === 0 ? 'incoming' : 'outgoing', sample({ subject: `Văn bản ${i}` })).id);
    const seen: number[] = [];
    let after: number | null = null;
    let pages = 0;
    do {
      const page = listDocuments(store.db, { limit: 10, after });
      seen.push(...page.items.map((d) => d.id));
      after = page.nextCursor;
      pages++;
    } while (after !== null);
    expect(pages).toBe(6);
    expect(seen).toEqual([...ids].reverse());

    const incoming = listDocuments(store.db, { direction: 'incoming', limit: 500 });
    expect(incoming.items).toHaveLength(19);
    expect(incoming.items.every((d) => d.direction === 'incoming')).toBe(true);
    expect(incoming.nextCursor).toBeNull();

    transition(store.db, ids[1]!, 'signed_by_leader');
    expect(listDocuments(store.db, { direction: 'outgoing', state: 'signed_by_leader' }).items.map((d) => d.id)).toEqual([ids[1]]);
    store.close();
  });

  it('reports an unknown document id clearly', () => {
    const store = open(tempDir());
    expect(() => getDocument(store.db, 42)).toThrow(expect.objectContaining({ code: 'STORE_NOT_FOUND', messageVi: expect.stringContaining('42') }));
    store.close();
  });
});

describe('updateMetadata', () => {
  it('replaces a draft\'s metadata and recipients, re-indexes it, and records the edit', () => {
    const store = open(tempDir());
    const { id } = createDocument(store.db, 'outgoing', sample(), 1);
    updateMetadata(store.db, id, sample({ subject: 'Giấy mời họp giao ban', recipients: [{ organId: 'H26', organName: 'Sở Tài chính tỉnh Đắk Lắk' }] }), 2);
    const record = getDocument(store.db, id);
    expect(record.subject).toBe('Giấy mời họp giao ban');
    expect(record.recipients.map((r) => r.organId)).toEqual(['H26']);
    expect(record.updatedAt).toBe(2);
    expect(searchDocuments(store.db, 'giao ban dak lak').items.map((d) => d.id)).toEqual([id]);
    expect(searchDocuments(store.db, 'van phong chinh phu').items).toEqual([]);
    expect(getHistory(store.db, id).map((h) => h.kind)).toEqual(['created', 'edited']);
    store.close();
  });

  it('refuses once the leader has signed, and refuses bad input, changing nothing', () => {
    const store = open(tempDir());
    const { id } = createDocument(store.db, 'outgoing', sample());
    expect(() => updateMetadata(store.db, id, sample({ subject: '' }))).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    transition(store.db, id, 'signed_by_leader');
    expect(() => updateMetadata(store.db, id, sample({ subject: 'Đổi trích yếu sau khi ký' }))).toThrow(
      expect.objectContaining({ code: 'STORE_TRANSITION_NOT_ALLOWED' }),
    );
    expect(getDocument(store.db, id).subject).toBe(sample().subject);
    expect(getHistory(store.db, id).map((h) => h.kind)).toEqual(['created', 'state']);
    store.close();
  });
});
