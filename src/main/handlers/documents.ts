// Handlers of the document registers: lists, search, compose, and the cached agency directory.
import { addFile, createDocument, getDocument, getHistory, listFiles, updateMetadata, type Store } from '../../core/store/index.js';
import { attentionOf, backToSigning, cancelAttention, contactsOf, listAttention, resendTo, retryAttention } from '../../core/exchange/index.js';
import { VanthuError } from '../../shared/errors.js';
import type { DOCUMENTS_CHANNEL_NAMES } from '../../shared/ipc/names.js';
import type { FeatureHandlers, ServiceContext } from './context.js';
import { searchDirectory } from './documents/directory.js';
import { convertUploadedDocx, draftOfDocument, renderForPreview, saveComposedDraft } from './documents/drafting.js';
import { exportRegisterFile, verificationReportFile } from './documents/exports.js';
import { listView } from './documents/queries.js';
import { checkMainFile, decodeUploads, type DecodedFile } from './documents/uploads.js';

export function documentsHandlers(context: ServiceContext): FeatureHandlers<(typeof DOCUMENTS_CHANNEL_NAMES)[number]> {
  const store = (): Store => {
    const runtime = context.options.runtime;
    // The bare preview (tokens only) has no store: say so in both languages instead of an internal error.
    if (!runtime) throw new VanthuError('BAD_USAGE', { detail: 'no document store is open' });
    return runtime.store;
  };

  const afterAction = (state: string): { state: string } => {
    context.options.runtime?.worker?.poke();
    return { state };
  };

  /** Adds files inside the caller's transaction, so a failure leaves no half-made document. */
  const addAll = (s: Store, documentId: number, files: readonly DecodedFile[]): number[] =>
    files.map((f) => addFile(s.db, s.blobs, documentId, { role: f.role, name: f.name, bytes: f.bytes }).fileId);

  return {
    'documents.list': async (request) => listView(store().db, request),
    'documents.get': async ({ id }) => {
      const { db } = store();
      const document = getDocument(db, id);
      const files = listFiles(db, id).map(({ documentId: _documentId, ...file }) => file);
      const history = getHistory(db, id).map(({ documentId: _documentId, ...entry }) => entry);
      return { document, files, history };
    },
    'documents.create': async ({ metadata, files }) => {
      const s = store();
      // Everything is checked before the first write: a refused compose stores nothing.
      const decoded = decodeUploads(files);
      checkMainFile(decoded, 0);
      // better-sqlite3 nests the store's own transactions as savepoints inside this one.
      return s.db.transaction(() => {
        const created = createDocument(s.db, 'outgoing', metadata);
        addAll(s, created.id, decoded);
        return { id: created.id, duplicates: created.duplicates };
      })();
    },
    'documents.updateMetadata': async ({ id, metadata }) => {
      const { db } = store();
      const document = getDocument(db, id);
      if (document.state !== 'draft' && document.state !== 'received') throw new VanthuError('DOCUMENT_NOT_EDITABLE', { id, state: document.state });
      return updateMetadata(db, id, metadata);
    },
    'documents.addFiles': async ({ id, files }) => {
      const s = store();
      const document = getDocument(s.db, id);
      if (document.state !== 'draft') throw new VanthuError('DOCUMENT_NOT_EDITABLE', { id, state: document.state });
      const decoded = decodeUploads(files);
      const existingMain = listFiles(s.db, id).filter((f) => f.role === 'main').length;
      if (decoded.some((f) => f.role === 'main')) checkMainFile(decoded, existingMain);
      return { fileIds: s.db.transaction(() => addAll(s, id, decoded))() };
    },
    'attention.list': async () => ({ items: listAttention(store().db) }),
    'attention.get': async ({ id }) => {
      const { db } = store();
      return { attention: attentionOf(db, id), contacts: contactsOf(db, id) };
    },
    // Each action changes the store, then wakes the worker so a queued send goes now, not at the next poll.
    'attention.retry': async ({ id }) => afterAction(retryAttention(store(), id)),
    'attention.cancel': async ({ id }) => afterAction(cancelAttention(store(), id)),
    'attention.resign': async ({ id }) => afterAction(backToSigning(store(), id)),
    'attention.resend': async ({ id, recipients }) => afterAction(resendTo(store(), id, recipients).state),
    'directory.list': async ({ query, limit }) => searchDirectory(store().db, query, limit),
    // Rendering needs no store: the preview works in the bare preview too.
    'drafting.render': async ({ draft }) => renderForPreview(draft),
    'drafting.save': async (request) => saveComposedDraft(store(), request),
    'drafting.forDocument': async ({ documentId }) => draftOfDocument(store(), documentId),
    'drafting.convertDocx': async ({ name, contentBase64 }) => convertUploadedDocx(name, contentBase64),
    'registers.export': async (request) => exportRegisterFile(store(), request),
    'reports.verification': async (request) =>
      verificationReportFile(store(), request, { trust: context.options.trust ?? { roots: [] }, aiaCacheDir: context.options.runtime?.aiaCacheDir }),
  };
}
