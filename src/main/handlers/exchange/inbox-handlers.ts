// inbox.*: incoming documents with their verification, the incoming number, the answer (03 accepted, 02 returned), and the processing after it (leader, assignment, in progress, done: 04/05/06).
import { currentAssignment, getDocument, getHistory, type Db, inboxFilterCounts, listDocuments, listInboxFiltered, listFiles, listSteps, readLatest, registerIncoming, SqliteRevocationCache, type DocumentRecord } from '../../../core/store/index.js';
import { heldDocument, pendingStatuses, recheckHeld, sameNumberReceived, type ProcessingStep } from '../../../core/exchange/index.js';
import { VanthuError } from '../../../shared/errors.js';
import type { HeldView, InboxDetail, InboxItemView } from '../../../shared/ipc/exchange.js';
import type { AppRuntime } from '../../runtime.js';
import type { ServiceContext } from '../context.js';
import { verifyBytes } from './verify-view.js';

const heldOf = (db: Db, documentId: number): HeldView | null => {
  const held = heldDocument(db, documentId);
  return held ? { outcome: held.outcome, reason: held.reason, nextCheckAt: held.nextCheckAt, attempts: held.attempts } : null;
};

const itemOf = (d: DocumentRecord, viaExchange: boolean, held: HeldView | null, deadline: string | null = null): InboxItemView => ({
  documentId: d.id,
  state: d.state as InboxItemView['state'],
  subject: d.subject,
  organName: d.organName ?? null,
  codeNumber: d.codeNumber ?? null,
  codeNotation: d.codeNotation ?? null,
  issuedDate: d.issuedDate ?? null,
  priority: d.priority ?? 0,
  arrivalNumber: d.arrivalNumber ?? null,
  arrivalDate: d.arrivalDate ?? null,
  receivedAt: d.createdAt,
  // A held document came through the exchange but did not verify: it is not shown as verified.
  verifiedOnArrival: viaExchange && held === null,
  held,
  deadline,
});

const deadlineOf = (db: Db, documentId: number): string | null => currentAssignment(db, documentId)?.deadline ?? null;

const messageOf = (db: Db, documentId: number): string | null =>
  db.prepare<[number], string>("SELECT message_id FROM exchange_messages WHERE document_id = ? AND direction = 'incoming'").pluck().get(documentId) ?? null;

export function inboxHandlers(context: ServiceContext) {
  const runtime = (): AppRuntime => {
    if (!context.options.runtime) throw new VanthuError('BAD_INPUT', { detail: 'chưa mở kho dữ liệu / no data folder open' });
    return context.options.runtime;
  };
  const incoming = (documentId: number): DocumentRecord => {
    const document = getDocument(runtime().store.db, documentId);
    if (document.direction !== 'incoming') throw new VanthuError('STORE_NOT_FOUND', { what: 'incoming document', id: documentId });
    return document;
  };
  const step = (documentId: number, input: ProcessingStep) => {
    incoming(documentId);
    const { statusQueued } = runtime().exchange.recordStep(documentId, input);
    return { state: incoming(documentId).state as InboxItemView['state'], statusQueued };
  };
  return {
    'inbox.list': async ({ after, limit, filter, offset }: { after?: number; limit?: number; filter?: 'all' | 'tracking' | 'held'; offset?: number }) => {
      const db = runtime().store.db;
      const view = (id: number): InboxItemView => itemOf(getDocument(db, id), messageOf(db, id) !== null, heldOf(db, id), deadlineOf(db, id));
      if (filter === 'tracking' || filter === 'held') {
        // The filter runs in SQL over the whole store: a document beyond the loaded page is found too.
        const start = offset ?? 0;
        const { ids, total } = listInboxFiltered(db, filter, { limit: limit ?? 100, offset: start });
        return { items: ids.map(view), nextCursor: start + ids.length < total ? start + ids.length : null, counts: inboxFilterCounts(db) };
      }
      const page = listDocuments(db, { direction: 'incoming', ...(after ? { after } : {}), limit: limit ?? 100 });
      return { items: page.items.map((s) => view(s.id)), nextCursor: page.nextCursor, counts: inboxFilterCounts(db) };
    },
    'inbox.get': async ({ documentId }: { documentId: number }): Promise<InboxDetail> => {
      const { store } = runtime();
      const document = incoming(documentId);
      const messageId = messageOf(store.db, documentId);
      const files = [];
      for (const file of listFiles(store.db, documentId)) {
        const latest = file.revisions.at(-1);
        const bytes = new Uint8Array(readLatest(store.db, store.blobs, file.id));
        const isPdf = Buffer.from(bytes.subarray(0, 1024)).toString('latin1').includes('%PDF-');
        files.push({ name: file.name, role: file.role, size: latest?.size ?? bytes.length, report: isPdf ? await verifyBytes(file.name, bytes, context.options.trust, context.options.runtime?.aiaCacheDir, new SqliteRevocationCache(store.db)) : null });
      }
      const reason = ['rejected', 'recalled'].includes(document.state) ? (getHistory(store.db, documentId).findLast((h) => h.kind === 'state' && h.reason)?.reason ?? null) : null;
      return {
        ...itemOf(document, messageId !== null, heldOf(store.db, documentId), deadlineOf(store.db, documentId)),
        organId: document.organId ?? null,
        typeName: document.typeName ?? null,
        signer: document.signerFullName ? [document.signerPosition, document.signerFullName].filter(Boolean).join(' ') : null,
        messageId,
        reason,
        files,
        steps: listSteps(store.db, documentId),
        pendingStatuses: pendingStatuses(store.db, documentId),
        sameNumberReceived: sameNumberReceived(store.db, documentId),
      };
    },
    'inbox.register': async ({ documentId }: { documentId: number }) => {
      const { store, exchange } = runtime();
      const document = incoming(documentId);
      if (document.arrivalNumber !== undefined && document.arrivalDate !== undefined) return { arrivalNumber: document.arrivalNumber, arrivalDate: document.arrivalDate };
      const organId = exchange.state().agency?.organId;
      if (!organId) throw new VanthuError('EXCHANGE_NEEDS_LOGIN');
      const registered = registerIncoming(store.db, documentId, { organId });
      return { arrivalNumber: registered.arrivalNumber, arrivalDate: registered.arrivalDate };
    },
    'inbox.recheck': async ({ documentId }: { documentId: number }) => {
      const { store, exchange } = runtime();
      incoming(documentId);
      // Through the engine when connected (it sends the 03 a cleared document is owed); otherwise only the flag is decided.
      const engine = exchange.engine;
      if (engine) await engine.recheck('network-back');
      else await recheckHeld(store, { trust: context.options.trust ?? { roots: [] }, online: true, trigger: 'network-back' });
      return { held: heldOf(store.db, documentId), state: incoming(documentId).state as InboxItemView['state'] };
    },
    'inbox.accept': async ({ documentId }: { documentId: number }) => {
      incoming(documentId);
      await runtime().exchange.reply(documentId, { code: '03' });
      return { state: incoming(documentId).state as InboxItemView['state'] };
    },
    'inbox.reject': async ({ documentId, reason }: { documentId: number; reason: string }) => {
      incoming(documentId);
      await runtime().exchange.reply(documentId, { code: '02', reason });
      return { state: incoming(documentId).state as InboxItemView['state'] };
    },
    'inbox.submit': async ({ documentId, leader }: { documentId: number; leader: string }) => step(documentId, { step: 'submitted', leader }),
    'inbox.assign': async ({ documentId, ...assignment }: { documentId: number; leader?: string; handler: string; deadline: string; opinion?: string }) =>
      step(documentId, { step: 'assigned', ...assignment }),
    'inbox.progress': async ({ documentId, note }: { documentId: number; note?: string }) => step(documentId, { step: 'processing', ...(note ? { note } : {}) }),
    'inbox.retryStatus': async ({ documentId }: { documentId: number }) => {
      incoming(documentId);
      return { retried: runtime().exchange.retryStatuses(documentId) };
    },
    'inbox.done': async ({ documentId, result }: { documentId: number; result?: string }) => step(documentId, { step: 'done', ...(result ? { result } : {}) }),
  };
}
