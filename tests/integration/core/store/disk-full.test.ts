import { describe, expect, it } from 'vitest';
import { addFile, createDocument, getHistory, listDocuments, open } from '../../../../src/core/store/index.js';
import { sample, tempDir } from './kit.js';

describe('a full disk', () => {
  // SQLite answers SQLITE_FULL both for a full disk and for max_page_count: the latter gives a real
  // SQLITE_FULL from the engine without filling the test machine's disk.
  it('gives a bilingual STORE_DISK_FULL, keeps what was stored, and works again once there is room', () => {
    const store = open(tempDir());
    const kept = createDocument(store.db, 'outgoing', sample()).id;
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages}`);
    const big = sample({ description: 'đ'.repeat(2000), subject: 'ư'.repeat(500) });
    let error: unknown;
    for (let i = 0; i < 20 && error === undefined; i++) {
      try {
        createDocument(store.db, 'outgoing', big);
      } catch (e) {
        error = e;
      }
    }
    expect(error).toMatchObject({ code: 'STORE_DISK_FULL', messageVi: expect.stringContaining('Ổ đĩa đã đầy'), messageEn: expect.stringContaining('the document') });
    const stored = listDocuments(store.db, { limit: 500 }).items.length;
    expect(getHistory(store.db, kept)).toHaveLength(1);

    store.db.pragma('max_page_count = 1073741823');
    const { id } = createDocument(store.db, 'outgoing', big);
    addFile(store.db, store.blobs, id, { role: 'main', name: 'a.pdf', bytes: Buffer.from('%PDF') });
    expect(listDocuments(store.db, { limit: 500 }).items).toHaveLength(stored + 1);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    store.close();
  });
});
