// Imports a main file made elsewhere into a draft: a PDF as it is (checked), a .docx converted by LibreOffice.
import { PDFDocument } from '@cantoo/pdf-lib';
import { VanthuError } from '../../shared/errors.js';
import type { BlobStore } from '../store/blobs.js';
import type { Db } from '../store/db-types.js';
import { attachDraftMain } from '../store/drafts.js';
import { convertDocxToPdf, type DocxOptions } from './docx.js';

/** Refuses what cannot be the main file of a document to sign: not a PDF, encrypted, or without pages. */
export async function checkImportedPdf(bytes: Uint8Array, name: string): Promise<{ pages: number }> {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (!head.includes('%PDF-')) throw new VanthuError('DRAFT_IMPORT_NOT_PDF', { name, detail: 'no %PDF- header / thiếu phần đầu %PDF-' });
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false });
  } catch (error) {
    const encrypted = error instanceof Error && /encrypt/i.test(error.message);
    const detail = encrypted ? 'encrypted (password-protected) / tệp bị mã hóa (có mật khẩu)' : error instanceof Error ? error.message : String(error);
    throw new VanthuError('DRAFT_IMPORT_NOT_PDF', { name, detail }, { cause: error });
  }
  if (doc.isEncrypted) throw new VanthuError('DRAFT_IMPORT_NOT_PDF', { name, detail: 'encrypted (password-protected) / tệp bị mã hóa (có mật khẩu)' });
  const pages = doc.getPageCount();
  if (pages === 0) throw new VanthuError('DRAFT_IMPORT_NOT_PDF', { name, detail: 'no pages / không có trang nào' });
  return { pages };
}

export interface ImportTarget {
  db: Db;
  blobs: BlobStore;
  draftId: number;
  /** The version the user was looking at: a draft edited meanwhile is not overwritten. */
  expectedVersion: number;
  now?: number;
}

/** Makes a PDF exported from Word (or any producer) the draft's main file, as a new version. */
export async function importDraftPdf(target: ImportTarget, bytes: Uint8Array, name: string): Promise<{ version: number; pages: number; sha256: string }> {
  const { pages } = await checkImportedPdf(bytes, name);
  const saved = attachDraftMain(target.db, target.blobs, target.draftId, { bytes, name, source: 'pdf' }, target.expectedVersion, { now: target.now, note: `nhập tệp PDF ${name}` });
  return { version: saved.version, pages, sha256: saved.sha256 };
}

/** Converts a .docx with LibreOffice (refused with a clear message when it is not installed) and imports the PDF. */
export async function importDraftDocx(target: ImportTarget, docxFile: string, options: DocxOptions = {}): Promise<{ version: number; pages: number; sha256: string }> {
  const { pdf, name } = await convertDocxToPdf(docxFile, options);
  const { pages } = await checkImportedPdf(pdf, name);
  const saved = attachDraftMain(target.db, target.blobs, target.draftId, { bytes: pdf, name, source: 'docx' }, target.expectedVersion, { now: target.now, note: `chuyển từ ${docxFile}` });
  return { version: saved.version, pages, sha256: saved.sha256 };
}
