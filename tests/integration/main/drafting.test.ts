// The compose form's drafting channels through the IPC dispatcher: the engine's PDF (read back by pdftotext), saving as a document with its draft, reopening.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSoffice } from '../../../src/core/drafting/index.js';
import { getDocument, listFiles, open, readLatest, transition, type Store } from '../../../src/core/store/index.js';
import { documentsHandlers } from '../../../src/main/handlers/documents.js';
import { createDispatcher, type IpcHandlers } from '../../../src/main/ipc/dispatcher.js';
import type { AppRuntime } from '../../../src/main/runtime.js';
import type { DraftInput } from '../../../src/shared/draft.js';
import type { IpcChannel, IpcRequest, IpcResponse } from '../../../src/shared/ipc-contract.js';
import { writeTemp } from '../../kit/pdf-tools.js';

let store: Store;
let dispatch: ReturnType<typeof createDispatcher>;

const ok = async <C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResponse<C>> => {
  const result = await dispatch(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${JSON.stringify(result.error)}`);
  return result.value as IpcResponse<C>;
};
const text = (bytes: Uint8Array, name: string): string => execFileSync('pdftotext', ['-layout', writeTemp(name, bytes), '-'], { encoding: 'utf8' });

const DRAFT: DraftInput = {
  type: 'quyet-dinh',
  organName: 'Ủy ban nhân dân tỉnh Cao Bằng',
  organId: 'H09.01',
  codeNotation: 'QĐ-UBND',
  issuedPlace: 'Cao Bằng',
  issuedDate: '2026-12-07',
  subject: 'Về việc thành lập Tổ công tác chuyển đổi số',
  body: [
    { kind: 'paragraph', text: [{ text: 'Căn cứ ' }, { text: 'Nghị định số 30/2020/NĐ-CP', italic: true }, { text: ' của Chính phủ;' }] },
    { kind: 'list', style: 'numbered', items: [[{ text: 'Điều 1.', bold: true }, { text: ' Thành lập Tổ công tác.' }], 'Quyết định này có hiệu lực từ ngày ký./.'] },
  ],
  signer: { authority: 'KT.', onBehalfOf: 'Chủ tịch', position: 'Phó Chủ tịch', fullName: 'Hoàng Văn Thụ' },
  recipientsList: ['Như Điều 3', 'Lưu: VT, VP'],
};

beforeAll(() => {
  store = open(mkdtempSync(path.join(tmpdir(), 'vanthu-drafting-')));
  const runtime = { store } as unknown as AppRuntime;
  dispatch = createDispatcher(documentsHandlers({ options: { version: 'test', userModulePaths: () => [], runtime } }) as IpcHandlers);
});
afterAll(() => store?.close());

describe('drafting channels', () => {
  let documentId: number;

  it('renders the draft to a PDF holding the subject, the place and date with diacritics, and the signer', async () => {
    const rendered = await ok('drafting.render', { draft: DRAFT });
    const bytes = Buffer.from(rendered.contentBase64, 'base64');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(rendered.pageCount).toBe(1);
    const words = text(bytes, 'render.pdf');
    expect(words).toContain('Cao Bằng, ngày 07 tháng 12 năm 2026');
    expect(words).toContain('Về việc thành lập Tổ công tác chuyển đổi số');
    expect(words).toContain('Hoàng Văn Thụ');
    expect(words).toContain('KT. CHỦ TỊCH');
    expect(words).toMatch(/Số:\s+\/QĐ-UBND/);
  });

  it('refuses a draft without its required fields, naming them', async () => {
    const result = await dispatch('drafting.render', { draft: { ...DRAFT, subject: ' ', signer: { position: 'Chủ tịch', fullName: '' } } });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).toMatch(/subject/);
    expect(JSON.stringify(result)).toMatch(/fullName/);
  });

  it('saves the draft as an outgoing document in state draft: metadata from the draft, the rendered PDF as its main file', async () => {
    const saved = await ok('drafting.save', { draft: DRAFT, recipients: [{ organId: 'G01.05', organName: 'Bộ Nội vụ' }], dueDate: '2026-12-31' });
    documentId = saved.id;
    expect(saved.version).toBe(1);
    expect(getDocument(store.db, documentId)).toMatchObject({
      direction: 'outgoing',
      state: 'draft',
      organName: 'Ủy ban nhân dân tỉnh Cao Bằng',
      codeNotation: 'QĐ-UBND',
      typeName: 'Quyết định',
      subject: DRAFT.subject,
      signerFullName: 'Hoàng Văn Thụ',
      signerPosition: 'KT. CHỦ TỊCH PHÓ CHỦ TỊCH',
      issuedPlace: 'Cao Bằng',
      dueDate: '2026-12-31',
      pageAmount: 1,
    });
    expect(getDocument(store.db, documentId).recipients.map((r) => r.organId)).toEqual(['G01.05']);
    const [main] = listFiles(store.db, documentId);
    expect(main).toMatchObject({ role: 'main', name: 'quyet-dinh-ve-viec-thanh-lap-to-cong-tac-chuyen-doi-so.pdf' });
    expect(text(readLatest(store.db, store.blobs, main!.id), 'saved.pdf')).toContain('Hoàng Văn Thụ');
  });

  it('reopens the draft as saved, and a second save is a new version and a new unsigned revision of the same main file', async () => {
    const reopened = await ok('drafting.forDocument', { documentId });
    expect(reopened).toMatchObject({ version: 1, draft: { subject: DRAFT.subject, signer: { fullName: 'Hoàng Văn Thụ', authority: 'KT.' }, recipientsList: DRAFT.recipientsList } });
    const saved = await ok('drafting.save', { documentId, draft: { ...DRAFT, subject: 'Về việc kiện toàn Tổ công tác chuyển đổi số' }, recipients: [] });
    expect(saved).toMatchObject({ id: documentId, version: 2 });
    const files = listFiles(store.db, documentId);
    expect(files).toHaveLength(1);
    expect(files[0]!.revisions.map((r) => r.signatureKind)).toEqual(['none', 'none']);
    expect(text(readLatest(store.db, store.blobs, files[0]!.id), 'resaved.pdf')).toContain('kiện toàn');
    expect(getDocument(store.db, documentId).subject).toBe('Về việc kiện toàn Tổ công tác chuyển đổi số');
    expect((await ok('drafting.forDocument', { documentId }))?.version).toBe(2);
  });

  it('refuses to save over a document that is no longer a draft', async () => {
    transition(store.db, documentId, 'signed_by_leader');
    const result = await dispatch('drafting.save', { documentId, draft: DRAFT, recipients: [] });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('DOCUMENT_NOT_EDITABLE');
    expect(listFiles(store.db, documentId)[0]!.revisions).toHaveLength(2);
  });

  it('refuses a .docx that is not one before LibreOffice starts', async () => {
    const result = await dispatch('drafting.convertDocx', { name: 'to-trinh.docx', contentBase64: Buffer.from('%PDF-1.7 not a zip').toString('base64') });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'DRAFT_DOCX_CONVERSION_FAILED', messageVi: expect.stringContaining('không phải tệp .docx') });
  });

  // This machine has no LibreOffice: the clerk is told how to go on, in both languages.
  it.skipIf(findSoffice() !== undefined)('says LibreOffice is missing when a .docx cannot be converted here', async () => {
    const result = await dispatch('drafting.convertDocx', { name: 'to-trinh.docx', contentBase64: Buffer.from('PK\x03\x04 word').toString('base64') });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'DRAFT_DOCX_CONVERTER_MISSING', messageVi: expect.stringContaining('Chưa cài LibreOffice') });
  });
});
