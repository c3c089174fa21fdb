// The compose form's drafting channels: render a draft to PDF, save it as a draft and the outgoing document it is, reopen it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkImportedPdf, convertDocxToPdf, documentMetadataFromDraft, renderDraftDetailed } from '../../../core/drafting/index.js';
import {
  addFile,
  addRevision,
  createDocument,
  createDraft,
  findDraftForDocument,
  getDocument,
  linkDraftToDocument,
  listFiles,
  saveDraft,
  updateMetadata,
  type Store,
} from '../../../core/store/index.js';
import type { DocumentMetadataInput, Recipient } from '../../../shared/document.js';
import type { Draft } from '../../../shared/draft.js';
import { VanthuError } from '../../../shared/errors.js';

/** The main file's name: the type and the trích yếu, folded to plain letters, as a clerk would name it. */
export function draftFileName(draft: Draft): string {
  const words = `${draft.type} ${draft.subject}`
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${words.slice(0, 80).replace(/-$/, '')}.pdf`;
}

export async function renderForPreview(draft: Draft): Promise<{ contentBase64: string; pageCount: number; closingPage: number }> {
  const rendered = await renderDraftDetailed(draft);
  return { contentBase64: Buffer.from(rendered.pdf).toString('base64'), pageCount: rendered.pageCount, closingPage: rendered.closingPage };
}

export interface SaveDraftRequest {
  documentId?: number | undefined;
  draft: Draft;
  recipients: Recipient[];
  dueDate?: string | undefined;
}

/**
 * One save of the compose form: the PDF is rendered first (a draft the engine refuses stores
 * nothing), then the document's metadata, its main file (a new unsigned revision when it had
 * one) and the draft's next version commit together.
 */
export async function saveComposedDraft(store: Store, request: SaveDraftRequest, now = Date.now()): Promise<{ id: number; draftId: number; version: number; pageCount: number }> {
  const { draft } = request;
  const rendered = await renderDraftDetailed(draft, { now: new Date(now) });
  const metadata: DocumentMetadataInput = {
    ...documentMetadataFromDraft(draft, rendered.pageCount),
    recipients: request.recipients,
    ...(request.dueDate ? { dueDate: request.dueDate } : {}),
  };
  const name = draftFileName(draft);
  const { db, blobs } = store;
  return db.transaction(() => {
    if (request.documentId === undefined) {
      const id = createDocument(db, 'outgoing', metadata, now).id;
      addFile(db, blobs, id, { role: 'main', name, bytes: rendered.pdf, now });
      const saved = createDraft(db, draft, { now, note: 'soạn trên máy' });
      linkDraftToDocument(db, saved.id, id, now);
      return { id, draftId: saved.id, version: saved.version, pageCount: rendered.pageCount };
    }
    const id = request.documentId;
    const document = getDocument(db, id);
    if (document.direction !== 'outgoing' || document.state !== 'draft') throw new VanthuError('DOCUMENT_NOT_EDITABLE', { id, state: document.state });
    updateMetadata(db, id, metadata, now);
    const main = listFiles(db, id).find((f) => f.role === 'main');
    if (main === undefined) addFile(db, blobs, id, { role: 'main', name, bytes: rendered.pdf, now });
    else if (main.revisions.some((r) => r.signatureKind !== 'none')) throw new VanthuError('DOCUMENT_NOT_EDITABLE', { id, state: document.state });
    else addRevision(db, blobs, main.id, { bytes: rendered.pdf, now });
    const existing = findDraftForDocument(db, id);
    if (existing === undefined) {
      const saved = createDraft(db, draft, { now });
      linkDraftToDocument(db, saved.id, id, now);
      return { id, draftId: saved.id, version: saved.version, pageCount: rendered.pageCount };
    }
    const saved = saveDraft(db, existing.draftId, draft, existing.currentVersion, { now });
    return { id, draftId: saved.id, version: saved.version, pageCount: rendered.pageCount };
  })();
}

export function draftOfDocument(store: Store, documentId: number): { draftId: number; version: number; draft: Draft } | null {
  getDocument(store.db, documentId);
  const found = findDraftForDocument(store.db, documentId);
  return found === undefined ? null : { draftId: found.draftId, version: found.version, draft: found.draft };
}

/** A .docx sent by the compose screen, converted to a checked PDF; its temporary copy is removed whatever happens. */
export async function convertUploadedDocx(name: string, contentBase64: string): Promise<{ name: string; contentBase64: string }> {
  const bytes = Buffer.from(contentBase64, 'base64');
  // A .docx is a ZIP: anything else is refused before LibreOffice starts.
  if (bytes.subarray(0, 4).toString('latin1') !== 'PK\x03\x04') throw new VanthuError('DRAFT_DOCX_CONVERSION_FAILED', { name, detail: 'not a .docx file / không phải tệp .docx' });
  const dir = await mkdtemp(path.join(tmpdir(), 'vanthu-docx-in-'));
  try {
    // The user's name stays only in what is shown: the file on disk has a fixed, safe name.
    const file = path.join(dir, `${path.basename(name).replace(/\.docx$/i, '').replace(/[^\p{L}\p{N}_-]+/gu, '-') || 'van-ban'}.docx`);
    await writeFile(file, bytes);
    const converted = await convertDocxToPdf(file);
    await checkImportedPdf(converted.pdf, converted.name);
    return { name: `${path.basename(name).replace(/\.docx$/i, '')}.pdf`, contentBase64: Buffer.from(converted.pdf).toString('base64') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
