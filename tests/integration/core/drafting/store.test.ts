// Drafts in the store: versions on each edit, stale edits refused, a PDF made elsewhere imported as the main file, .docx without LibreOffice.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertDocxToPdf, documentMetadataFromDraft, findSoffice, importDraftDocx, importDraftPdf, renderDraft } from '../../../../src/core/drafting/index.js';
import { createDocument, getDocument, open } from '../../../../src/core/store/index.js';
import { createDraft, getDraft, linkDraftToDocument, listDraftVersions, listDrafts, saveDraft } from '../../../../src/core/store/drafts.js';
import { draftSchema } from '../../../../src/shared/draft.js';
import { isVanthuError, VanthuError } from '../../../../src/shared/errors.js';
import { fixture } from '../../../kit/pdf-tools.js';
import { samples } from '../../../fixtures/drafting/samples.js';
import { tempDir } from '../store/kit.js';

const caught = async (fn: () => unknown): Promise<VanthuError> => {
  try {
    await fn();
  } catch (error) {
    if (error instanceof VanthuError) return error;
    throw error;
  }
  throw new Error('expected a VanthuError');
};

describe('drafts in the store', () => {
  it('keeps every version, reads any of them, and lists drafts newest first', () => {
    const store = open(tempDir(), { integrity: 'skip' });
    try {
      const { id, version } = createDraft(store.db, samples['cong-van'], { now: 1000 });
      expect(version).toBe(1);
      const edited = { ...samples['cong-van'], subject: 'triển khai ký số văn bản điện tử năm 2026' };
      expect(saveDraft(store.db, id, edited, 1, { now: 2000, note: 'sửa trích yếu' }).version).toBe(2);
      const other = createDraft(store.db, samples['quyet-dinh'], { now: 1500 });

      const latest = getDraft(store.db, id);
      expect(latest).toMatchObject({ version: 2, currentVersion: 2, type: 'cong-van', subject: 'triển khai ký số văn bản điện tử năm 2026', mainSource: 'render', note: 'sửa trích yếu' });
      expect(latest.draft).toEqual(draftSchema.parse(edited));
      expect(getDraft(store.db, id, 1).draft.subject).toBe('triển khai ký số văn bản điện tử');
      expect(listDraftVersions(store.db, id).map((v) => v.version)).toEqual([1, 2]);
      expect(listDrafts(store.db).map((d) => d.id)).toEqual([id, other.id]);
      expect(isVanthuError(caughtSync(() => getDraft(store.db, id, 3)), 'STORE_NOT_FOUND')).toBe(true);
    } finally {
      store.close();
    }
  });

  it('refuses an edit made from an older version, and an invalid draft', () => {
    const store = open(tempDir(), { integrity: 'skip' });
    try {
      const { id } = createDraft(store.db, samples['to-trinh']);
      saveDraft(store.db, id, samples['to-trinh'], 1);
      const stale = caughtSync(() => saveDraft(store.db, id, samples['to-trinh'], 1));
      expect(stale).toMatchObject({ code: 'DRAFT_VERSION_CONFLICT', params: { id, expected: 1, current: 2 } });
      expect((stale as VanthuError).messageVi).toMatch(/phiên bản 2/);
      const invalid = caughtSync(() => createDraft(store.db, { ...samples['to-trinh'], signer: { authority: 'KT.', position: 'Phó Giám đốc', fullName: 'A' } }));
      expect(invalid).toMatchObject({ code: 'BAD_INPUT' });
      expect((invalid as VanthuError).messageEn).toMatch(/onBehalfOf/);
      expect(getDraft(store.db, id).version).toBe(2);
    } finally {
      store.close();
    }
  });

  it('imports a PDF made elsewhere as the main file of a new version, stored as a blob the integrity check keeps', async () => {
    const dir = tempDir();
    const store = open(dir, { integrity: 'skip' });
    try {
      const { id } = createDraft(store.db, samples['bao-cao']);
      const word = fixture('decree30/cong-van-khoang-trong.pdf');
      const imported = await importDraftPdf({ db: store.db, blobs: store.blobs, draftId: id, expectedVersion: 1 }, word, 'cong-van-word.pdf');
      expect(imported).toMatchObject({ version: 2, pages: 2 });
      const latest = getDraft(store.db, id);
      expect(latest).toMatchObject({ mainSource: 'pdf', mainName: 'cong-van-word.pdf', mainSha256: imported.sha256 });
      expect(latest.draft.subject).toBe(samples['bao-cao'].subject);
      expect(Buffer.from(store.blobs.read(imported.sha256)).equals(Buffer.from(word))).toBe(true);
      expect(store.checkIntegrity({ verifyHashes: true })).toMatchObject({ orphansQuarantined: [], needsAttention: [] });

      const notPdf = await caught(() => importDraftPdf({ db: store.db, blobs: store.blobs, draftId: id, expectedVersion: 2 }, new TextEncoder().encode('PK\u0003\u0004 not a pdf'), 'x.docx'));
      expect(notPdf.code).toBe('DRAFT_IMPORT_NOT_PDF');
      const encrypted = await caught(() => importDraftPdf({ db: store.db, blobs: store.blobs, draftId: id, expectedVersion: 2 }, fixture('encrypted.pdf'), 'encrypted.pdf'));
      expect(encrypted.code).toBe('DRAFT_IMPORT_NOT_PDF');
      expect(encrypted.messageVi).toMatch(/mã hóa/);
      const stale = await caught(() => importDraftPdf({ db: store.db, blobs: store.blobs, draftId: id, expectedVersion: 1 }, word, 'again.pdf'));
      expect(stale.code).toBe('DRAFT_VERSION_CONFLICT');
      expect(getDraft(store.db, id).version).toBe(2);
    } finally {
      store.close();
    }
  });

  it('says clearly, in both languages, that .docx needs LibreOffice when it is not installed', async () => {
    const dir = tempDir();
    const docx = path.join(dir, 'du-thao.docx');
    writeFileSync(docx, 'PK\u0003\u0004');
    expect(findSoffice({ searchPath: dir })).toBeUndefined();
    const error = await caught(() => convertDocxToPdf(docx, { searchPath: dir }));
    expect(error.code).toBe('DRAFT_DOCX_CONVERTER_MISSING');
    expect(error.messageVi).toBe('Chưa cài LibreOffice nên không chuyển được tệp .docx sang PDF. Hãy cài LibreOffice (lệnh soffice) hoặc xuất tệp sang PDF từ Word rồi nhập tệp PDF.');
    expect(error.messageEn).toMatch(/LibreOffice is not installed.*export the file to PDF from Word and import the PDF/);
    // LibreOffice is not on this machine's PATH either: the import refuses before touching the store.
    const store = open(tempDir(), { integrity: 'skip' });
    try {
      const { id } = createDraft(store.db, samples['giay-moi']);
      if (findSoffice() === undefined) {
        expect((await caught(() => importDraftDocx({ db: store.db, blobs: store.blobs, draftId: id, expectedVersion: 1 }, docx))).code).toBe('DRAFT_DOCX_CONVERTER_MISSING');
        expect(getDraft(store.db, id).version).toBe(1);
      }
    } finally {
      store.close();
    }
  });

  it('becomes an outgoing document: Appendix VI metadata from the draft, the rendered PDF, and the link back', async () => {
    const store = open(tempDir(), { integrity: 'skip' });
    try {
      const { id } = createDraft(store.db, samples['quyet-dinh']);
      const draft = getDraft(store.db, id).draft;
      const pdf = await renderDraft(draft);
      const document = createDocument(store.db, 'outgoing', documentMetadataFromDraft(draft, 1));
      linkDraftToDocument(store.db, id, document.id);
      expect(getDraft(store.db, id).documentId).toBe(document.id);
      expect(getDocument(store.db, document.id)).toMatchObject({
        state: 'draft',
        typeName: 'Quyết định',
        codeNotation: 'QĐ-UBND',
        subject: draft.subject,
        signerPosition: 'KT. CHỦ TỊCH PHÓ CHỦ TỊCH',
        signerFullName: 'Trần Văn Bình',
        pageAmount: 1,
      });
      expect(pdf.length).toBeGreaterThan(1000);
    } finally {
      store.close();
    }
  });
});

function caughtSync(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
