import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, searchDocuments } from '../../../../../src/core/store/index.js';
import { tempDir } from '../kit.js';

describe('migration 0002-search', () => {
  it('indexes the documents stored at version 1 and keeps the index current afterwards', () => {
    const file = path.join(tempDir(), 'v.db');
    const v1 = openDatabase(file, { targetVersion: 1 });
    v1.prepare(
      `INSERT INTO documents (id, direction, state, subject, code_number, code_notation, organ_name, created_at, updated_at)
       VALUES (1, 'outgoing', 'draft', 'Kế hoạch phòng chống lũ lụt tỉnh Cao Bằng', '05', 'UBND-VP', 'Ủy ban nhân dân tỉnh Cao Bằng', 0, 0),
              (2, 'incoming', 'received', 'Báo cáo tình hình kinh tế', '12', 'BC-BNV', 'Bộ Nội vụ', 0, 0)`,
    ).run();
    v1.prepare("INSERT INTO document_recipients (document_id, position, organ_id, organ_name) VALUES (1, 0, '000.00.00.G22', 'Văn phòng Chính phủ')").run();
    expect(v1.prepare<unknown[], number>("SELECT count(*) FROM sqlite_schema WHERE name = 'documents_fts'").pluck().get()).toBe(0);
    v1.close();

    const db = openDatabase(file, { targetVersion: 2 });
    expect(schemaVersion(db)).toBe(2);
    expect(searchDocuments(db, 'cao bang lu lut').items.map((d) => d.id)).toEqual([1]);
    expect(searchDocuments(db, 'van phong chinh phu').items.map((d) => d.id)).toEqual([1]);
    expect(searchDocuments(db, 'BC-BNV').items.map((d) => d.id)).toEqual([2]);

    // Triggers: a new row, an edited subject and a deleted row all show up in the index.
    db.prepare("INSERT INTO documents (id, direction, state, subject, created_at, updated_at) VALUES (3, 'outgoing', 'draft', 'Giấy mời họp', 0, 0)").run();
    expect(searchDocuments(db, 'giay moi').items.map((d) => d.id)).toEqual([3]);
    db.prepare("UPDATE documents SET subject = 'Thông báo kết luận' WHERE id = 2").run();
    expect(searchDocuments(db, 'kinh te').items).toEqual([]);
    expect(searchDocuments(db, 'thong bao').items.map((d) => d.id)).toEqual([2]);
    db.prepare('DELETE FROM document_recipients WHERE document_id = 1').run();
    expect(searchDocuments(db, 'chinh phu').items).toEqual([]);
    db.prepare('DELETE FROM documents WHERE id = 3').run();
    expect(searchDocuments(db, 'giay moi').items).toEqual([]);
    db.close();
  });
});
