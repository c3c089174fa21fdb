// The documents handlers through the IPC dispatcher against a real store in a temp folder: lists, search, compose refusals, directory.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveDirectory } from '../../../src/core/exchange/records.js';
import { createDocument, listFiles, open, transition, type Store } from '../../../src/core/store/index.js';
import { documentsHandlers } from '../../../src/main/handlers/documents.js';
import { createDispatcher, type IpcHandlers } from '../../../src/main/ipc/dispatcher.js';
import type { AppRuntime } from '../../../src/main/runtime.js';
import type { IpcChannel, IpcRequest, IpcResponse } from '../../../src/shared/ipc-contract.js';
import { MAX_FILE_BYTES } from '../../../src/shared/ipc/documents.js';
import { fixture } from '../../kit/pdf-tools.js';

let store: Store;
let dispatch: ReturnType<typeof createDispatcher>;
const pdf = fixture('classic-xref.pdf');
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

const ok = async <C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResponse<C>> => {
  const result = await dispatch(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as IpcResponse<C>;
};
const refused = async (channel: string, request: unknown) => {
  const result = await dispatch(channel, request);
  if (result.ok) throw new Error(`${channel} was accepted`);
  return result.error;
};
const counts = () => ({
  documents: store.db.prepare('SELECT count(*) FROM documents').pluck().get(),
  files: store.db.prepare('SELECT count(*) FROM document_files').pluck().get(),
});

beforeAll(() => {
  store = open(mkdtempSync(path.join(tmpdir(), 'vanthu-documents-')));
  // Only the store is used by these handlers; the rest of the runtime stays out of the test.
  const runtime = { store } as unknown as AppRuntime;
  dispatch = createDispatcher(documentsHandlers({ options: { version: 'test', userModulePaths: () => [], runtime } }) as IpcHandlers);
  saveDirectory(store.db, [
    { organId: 'H09.01', name: 'UBND tỉnh Cao Bằng', parent: null },
    { organId: 'H09.02', name: 'Sở Tài chính tỉnh Cao Bằng', parent: 'H09.01' },
    { organId: 'G01.05', name: 'Bộ Nội vụ', parent: null },
    { organId: 'H32.10', name: 'Ủy ban nhân dân thành phố Đà Nẵng', parent: null },
  ]);
});
afterAll(() => store?.close());

describe('documents handlers', () => {
  let draftId: number;

  it('creates a draft with its main PDF and appendix, and reads it back', async () => {
    const created = await ok('documents.create', {
      metadata: {
        typeName: 'Công văn',
        subject: 'Về việc triển khai chữ ký số trong cơ quan nhà nước',
        signerPosition: 'Chủ tịch',
        signerFullName: 'Nguyễn Thị Hồng Nhung',
        priority: 1,
        dueDate: '2026-12-31',
        recipients: [
          { organId: 'G01.05', organName: 'Bộ Nội vụ' },
          { organId: 'H09.02', organName: 'Sở Tài chính tỉnh Cao Bằng' },
        ],
      },
      files: [
        { name: 'cong-van.pdf', role: 'main', contentBase64: b64(pdf) },
        { name: 'phu-luc.pdf', role: 'appendix', contentBase64: b64(fixture('xref-stream.pdf')) },
      ],
    });
    draftId = created.id;
    const got = await ok('documents.get', { id: draftId });
    expect(got.document).toMatchObject({ state: 'draft', direction: 'outgoing', subject: 'Về việc triển khai chữ ký số trong cơ quan nhà nước', priority: 1 });
    expect(got.document.recipients.map((r) => [r.organId, r.status])).toEqual([
      ['G01.05', null],
      ['H09.02', null],
    ]);
    expect(got.files.map((f) => [f.role, f.name, f.revisions[0]!.size])).toEqual([
      ['main', 'cong-van.pdf', pdf.length],
      ['appendix', 'phu-luc.pdf', fixture('xref-stream.pdf').length],
    ]);
    expect(got.history.map((h) => h.kind)).toEqual(['created']);
  });

  it('refuses a non-PDF, an oversize file, two main files, and bad metadata, storing nothing', async () => {
    const before = counts();
    const blobsBefore = readdirSync(store.dataDir, { recursive: true }).length;
    const metadata = { subject: 'Thử' };
    const notPdf = await refused('documents.create', { metadata, files: [{ name: 'a.docx', role: 'main', contentBase64: b64(Buffer.from('PK\x03\x04 not a pdf')) }] });
    expect(notPdf).toMatchObject({ code: 'DOCUMENT_FILE_NOT_PDF' });
    expect(notPdf.messageVi).toContain('không phải là tệp PDF');
    expect(notPdf.messageEn).toContain('is not a PDF file');

    const big = Buffer.alloc(MAX_FILE_BYTES + 1, 32);
    big.write('%PDF-1.7\n');
    const oversize = await refused('documents.create', { metadata, files: [{ name: 'big.pdf', role: 'main', contentBase64: b64(big) }] });
    expect(oversize.code).toBe('BAD_INPUT'); // refused by the request schema's length cap before decoding
    expect(oversize.messageEn).toContain('files.0.contentBase64');

    const twoMains = await refused('documents.create', {
      metadata,
      files: [
        { name: 'a.pdf', role: 'main', contentBase64: b64(pdf) },
        { name: 'b.pdf', role: 'main', contentBase64: b64(pdf) },
      ],
    });
    expect(twoMains).toMatchObject({ code: 'DOCUMENT_MAIN_FILE_COUNT' });
    expect(twoMains.messageVi).toContain('đúng một tệp chính');

    const tooLong = await refused('documents.create', { metadata: { subject: 'x'.repeat(501) }, files: [{ name: 'a.pdf', role: 'main', contentBase64: b64(pdf) }] });
    expect(tooLong).toMatchObject({ code: 'BAD_INPUT' });
    expect(tooLong.messageVi).toContain('Trích yếu'); // the field by its label; the path is for the log
    expect(tooLong.messageEn).toContain('metadata.subject');
    const twice = await refused('documents.create', {
      metadata: { subject: 'Hai lần', recipients: [{ organId: 'G01.05', organName: 'Bộ Nội vụ' }, { organId: 'G01.05', organName: 'Bộ Nội vụ' }] },
      files: [{ name: 'a.pdf', role: 'main', contentBase64: b64(pdf) }],
    });
    expect(twice).toMatchObject({ code: 'BAD_INPUT' });
    const noMain = await refused('documents.create', { metadata, files: [] });
    expect(noMain).toMatchObject({ code: 'DOCUMENT_MAIN_FILE_COUNT' });

    expect(counts()).toEqual(before);
    expect(readdirSync(store.dataDir, { recursive: true }).length).toBe(blobsBefore);
  });

  it('edits a draft, adds an appendix, and refuses to edit once it left the draft state', async () => {
    await ok('documents.updateMetadata', { id: draftId, metadata: { subject: 'Về việc triển khai chữ ký số (sửa)', recipients: [{ organId: 'G01.05', organName: 'Bộ Nội vụ' }] } });
    await ok('documents.addFiles', { id: draftId, files: [{ name: 'dinh-kem.pdf', role: 'attachment', contentBase64: b64(pdf) }] });
    const got = await ok('documents.get', { id: draftId });
    expect(got.document.subject).toBe('Về việc triển khai chữ ký số (sửa)');
    expect(got.document.recipients).toHaveLength(1);
    expect(listFiles(store.db, draftId).map((f) => f.role)).toEqual(['main', 'appendix', 'attachment']);
    const secondMain = await refused('documents.addFiles', { id: draftId, files: [{ name: 'c.pdf', role: 'main', contentBase64: b64(pdf) }] });
    expect(secondMain.code).toBe('DOCUMENT_MAIN_FILE_COUNT');

    const other = createDocument(store.db, 'outgoing', { subject: 'Đã ký' });
    transition(store.db, other.id, 'signed_by_leader');
    const notEditable = await refused('documents.updateMetadata', { id: other.id, metadata: { subject: 'Sửa sau khi ký' } });
    expect(notEditable).toMatchObject({ code: 'DOCUMENT_NOT_EDITABLE' });
    expect(notEditable.messageVi).toContain('không còn là dự thảo');
    const missing = await refused('documents.get', { id: 999_999 });
    expect(missing.code).toBe('STORE_NOT_FOUND');
  });

  it('lists each view newest first with keyset pages, a total on the first page, and recipients', async () => {
    for (let i = 0; i < 7; i++) createDocument(store.db, 'outgoing', { subject: `Thông báo lịch họp số ${i}` });
    createDocument(store.db, 'incoming', { subject: 'Giấy mời dự hội nghị', organName: 'Bộ Nội vụ', codeNumber: '12', codeNotation: 'BNV-VP' });
    const first = await ok('documents.list', { view: 'drafts', limit: 3 });
    expect(first.total).toBe(8); // 7 + the composed draft (the signed one is not a draft)
    expect(first.items).toHaveLength(3);
    expect(first.items[0]?.subject).toBe('Thông báo lịch họp số 6');
    const seen = [...first.items];
    let cursor = first.nextCursor;
    while (cursor !== null) {
      const next = await ok('documents.list', { view: 'drafts', limit: 3, cursor });
      expect(next.total).toBeUndefined();
      seen.push(...next.items);
      cursor = next.nextCursor;
    }
    expect(seen.map((s) => s.id)).toEqual([...seen.map((s) => s.id)].sort((a, b) => b - a));
    expect(seen).toHaveLength(8);
    // A jump: the page at position 4 without the pages before it, then on by cursor.
    const jumped = await ok('documents.list', { view: 'drafts', limit: 3, offset: 4 });
    expect(jumped.total).toBeUndefined();
    expect(jumped.items.map((s) => s.id)).toEqual(seen.slice(4, 7).map((s) => s.id));
    expect((await ok('documents.list', { view: 'drafts', limit: 3, cursor: jumped.nextCursor })).items.map((s) => s.id)).toEqual([seen[7]!.id]);
    expect((await ok('documents.list', { view: 'drafts', offset: 8 })).items).toEqual([]);
    expect((await ok('documents.list', { view: 'drafts', query: 'lich hop', limit: 2, offset: 5 })).items).toHaveLength(2);
    expect(seen.find((s) => s.id === draftId)?.recipients).toEqual([{ organId: 'G01.05', organName: 'Bộ Nội vụ', status: null }]);

    const incoming = await ok('documents.list', { view: 'incoming' });
    expect(incoming.items.map((s) => s.subject)).toEqual(['Giấy mời dự hội nghị']);
    const outgoing = await ok('documents.list', { view: 'outgoing', state: 'signed_by_leader' });
    expect(outgoing.items.map((s) => s.subject)).toEqual(['Đã ký']);
    expect((await ok('documents.list', { view: 'sent' })).total).toBe(0);
    expect((await ok('documents.list', { view: 'outbox' })).total).toBe(0);
  });

  it('searches without diacritics, within the view, and treats operators as text', async () => {
    const found = await ok('documents.list', { view: 'drafts', query: 'trien khai chu ky so' });
    expect(found.items.map((s) => s.id)).toEqual([draftId]);
    expect(found.total).toBe(1);
    expect((await ok('documents.list', { view: 'incoming', query: 'trien khai' })).items).toEqual([]);
    expect((await ok('documents.list', { view: 'incoming', query: 'giay moi' })).total).toBe(1);
    expect((await ok('documents.list', { view: 'drafts', query: 'lich hop', limit: 5 })).total).toBe(7);
    expect((await ok('documents.list', { view: 'drafts', query: '" OR * (' })).items).toEqual([]);
  });

  it('refuses malformed list requests without running them', async () => {
    expect((await refused('documents.list', { view: 'everything' })).code).toBe('BAD_INPUT');
    expect((await refused('documents.list', { view: 'drafts', limit: 501 })).code).toBe('BAD_INPUT');
    expect((await refused('documents.list', { view: 'drafts', query: 'x'.repeat(201) })).code).toBe('BAD_INPUT');
    expect((await refused('documents.list', { view: 'drafts', extra: 1 })).code).toBe('BAD_INPUT');
  });

  it('searches the cached directory by name without diacritics or by organ id prefix', async () => {
    const names = async (query?: string) => (await ok('directory.list', query === undefined ? {} : { query })).agencies.map((a) => a.organId);
    expect(await names()).toEqual(['G01.05', 'H09.01', 'H09.02', 'H32.10']);
    expect(await names('cao bang')).toEqual(['H09.01', 'H09.02']);
    expect(await names('uy ban da nang')).toEqual(['H32.10']);
    expect(await names('Sở tài CHÍNH')).toEqual(['H09.02']);
    expect(await names('h09')).toEqual(['H09.01', 'H09.02']);
    expect(await names('H09.02')).toEqual(['H09.02']);
    expect(await names('không có')).toEqual([]);
  });
});
