// Inbox pull: download each file, check its hash and signatures locally, store and register it (held when indeterminate), reply its status, then ack; recalls, updates and replacements too.
import type { InboxItem } from '../../shared/exchange-protocol.js';
import { isVanthuError, VanthuError } from '../../shared/errors.js';
import { safeBaseName } from '../../shared/safe-text.js';
import { canTransition, type DocumentMetadataInput } from '../../shared/document.js';
import { addFile, createDocument, flushCommits, getDocument, registerIncoming, transition, withoutFsync, type BlobRef, type Store } from '../store/index.js';
import type { TrustStore } from '../trust/index.js';
import type { ValidatePdf } from '../validation/index.js';
import type { ExchangeClient } from './client.js';
import { flagHeld, followAcceptance, judgeFiles, recheckHeld, withStoreCache, type RecheckResult } from './held.js';
import { isTransient } from './http.js';
import type { IncomingDecision } from './verdict-policy.js';
import { notify, type ProgressListener } from './progress.js';
import { cachedDirectory, findMessage, recordMessage } from './records.js';

export interface PullOptions {
  trust: TrustStore;
  /** Fetch OCSP/CRL when a file carries none. */
  online?: boolean;
  /** Status sent once a document is stored: none (the user replies), 01 arrived, or 01 then 03 accepted. */
  autoReply: 'none' | 'arrived' | 'accepted';
  now?: () => number;
  /** Downloads and documents received, refused or recalled, for the UI. */
  onProgress?: ProgressListener;
  /** Re-check the held documents that are due before pulling (default true). */
  recheck?: boolean;
  /** Where files are validated (default inline). */
  validate?: ValidatePdf;
}

export interface PullResult {
  /** New documents; an update or replacement names the document it revises (when we hold it). */
  stored: { messageId: string; documentId: number; arrivalNumber: number; type: InboxItem['type']; revises?: number }[];
  /**
   * Recalls applied: status 15 sent on the original, the document moved to `recalled` where the
   * workflow allows (documentId null: we never stored the original).
   */
  recalled: { messageId: string; original: string; documentId: number | null; state: string | null }[];
  /** Refused with status 02 (an invalid file): acked, nothing stored. */
  rejected: { messageId: string; reason: string }[];
  /**
   * Stored and registered but flagged "cần kiểm tra lại" (verdict indeterminate: no trusted root here,
   * revocation unreachable, …): answered 01 only, re-checked later, never returned automatically.
   */
  held: { messageId: string; documentId: number; reason: string }[];
  /** The re-check pass over held documents that ran before the pull. */
  rechecked?: RecheckResult;
  /** Left on the server for the next pull (a download that did not match its hash, a network cut). */
  deferred: { messageId: string; reason: string }[];
}

const orUndefined = <T>(value: T | undefined, ok: (v: T) => boolean): T | undefined => (value !== undefined && ok(value) ? value : undefined);

/** The store's metadata from the envelope's; fields the store would refuse (zero counts, odd catalogues) are left out. */
function metadataOf(item: InboxItem, senderName: string | undefined): DocumentMetadataInput {
  const m = item.metadata;
  const input: DocumentMetadataInput = {
    organId: item.sender,
    organName: m.organName ?? senderName,
    codeNumber: m.codeNumber,
    codeNotation: m.codeNotation,
    issuedDate: m.issuedDate,
    typeName: m.typeName,
    subject: m.subject,
    language: orUndefined(m.language, (v) => v.trim().length >= 2),
    pageAmount: orUndefined(m.pageAmount, (v) => v >= 1),
    description: m.description,
    priority: (m.priority ?? 0) as 0 | 1 | 2 | 3 | 4,
    signerPosition: m.signerInfo?.position,
    signerFullName: m.signerInfo?.fullName,
    issuedAmount: orUndefined(m.issuedAmount, (v) => v >= 1),
    dueDate: m.dueDate,
    fileCatalog: orUndefined(m.fileCatalog, (v) => /^\d{4}$/.test(v)),
    fileNotation: m.fileNotation,
    docOrdinal: orUndefined(m.docOrdinal, (v) => v >= 1),
  };
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined && v !== '')) as DocumentMetadataInput;
}

/** 409: the delivery's status has moved where this step no longer applies (the sender recalled it meanwhile). */
const overtaken = (error: unknown): boolean => isVanthuError(error, 'EXCHANGE_REFUSED') && Number(error.params.status) === 409;

/**
 * The automatic receipt confirmation. A 409 means the sender recalled the document before we took it in:
 * the confirmation is moot, and the item must still be acked (else it is redelivered for ever).
 */
async function reply(client: ExchangeClient, messageId: string, autoReply: PullOptions['autoReply']): Promise<boolean> {
  if (autoReply === 'none') return false;
  try {
    await client.postStatus(messageId, '01');
    if (autoReply === 'accepted') await client.postStatus(messageId, '03');
    return true;
  } catch (error) {
    if (!overtaken(error)) throw error;
    return false;
  }
}

interface Fetched {
  files: { bytes: Uint8Array; name: string; role: InboxItem['files'][number]['role'] }[];
  decision: IncomingDecision;
  /** The files in the blob store (same order), written off the event loop; none for a document to return. */
  blobs: BlobRef[];
}

/**
 * An item's files downloaded, judged and, unless it is to be returned, written to the blob store (files only:
 * no row, so it may run ahead of the item's turn; a file whose row never comes is an orphan the integrity
 * check quarantines once old, and a redelivery finds it already there).
 */
async function fetchAndJudge(client: ExchangeClient, store: Store, item: InboxItem, options: PullOptions): Promise<Fetched> {
  const files: Fetched['files'] = [];
  for (const file of item.files) {
    // Stored under a safe base name whatever the server let through.
    files.push({ bytes: await client.download(file.sha256), name: safeBaseName(file.name), role: file.role });
    notify(options.onProgress, { type: 'download', messageId: item.messageId, name: file.name, sha256: file.sha256, bytes: file.size });
  }
  const decision = await judgeFiles(files, withStoreCache(store, options));
  const blobs = decision.action === 'return' ? [] : await Promise.all(files.map((file) => store.blobs.putAsync(file.bytes)));
  return { files, decision, blobs };
}

/** Items whose download and judgement start before their turn, and the bytes they may hold at most (besides the current one). */
export const LOOKAHEAD_ITEMS = 4;
export const LOOKAHEAD_BYTES = 32 * 1024 * 1024;

/**
 * One page's downloads and judgements, started ahead while earlier items are stored: the network waits and the
 * validation thread overlap instead of following one another. Only new documents (not recalls, not ones
 * already stored) are fetched ahead; storing, replies and acks stay in the page's order.
 */
function lookahead(client: ExchangeClient, store: Store, items: InboxItem[], options: PullOptions): (index: number) => Promise<Fetched> | undefined {
  const started = new Map<number, Promise<Fetched>>();
  const worthFetching = (item: InboxItem): boolean => item.type !== 'recall' && findMessage(store.db, item.messageId)?.direction !== 'incoming';
  const start = (index: number): void => {
    const item = items[index]!;
    if (started.has(index) || !worthFetching(item)) return;
    const fetched = fetchAndJudge(client, store, item, options);
    // Its failure is met when its turn comes (or never, once the page stopped): not an unhandled rejection.
    fetched.catch(() => undefined);
    started.set(index, fetched);
  };
  return (index) => {
    let bytes = 0;
    for (let next = index + 1; next < Math.min(items.length, index + 1 + LOOKAHEAD_ITEMS); next++) {
      bytes += items[next]!.files.reduce((sum, f) => sum + f.size, 0);
      if (bytes > LOOKAHEAD_BYTES) break;
      start(next);
    }
    return started.get(index);
  };
}

/** A stored document's reply on its way: whether the sender now has the 01 (and 03), and what to note once it does. */
interface Answer {
  answered: Promise<boolean>;
  record: (confirmed: boolean) => void;
}

/**
 * One item: stored (or found already stored) and replied to; the caller acks. `ready`: its files fetched and judged ahead.
 * A newly stored document's reply is not awaited here: the caller awaits `answered`, then `record`s it and acks it.
 */
async function takeIn(client: ExchangeClient, store: Store, item: InboxItem, options: PullOptions, result: PullResult, ready?: Promise<Fetched>): Promise<Answer | undefined> {
  const known = findMessage(store.db, item.messageId);
  if (known?.direction === 'incoming' && known.documentId !== null) {
    // Stored by an earlier pull whose ack (or reply) was lost: reply again (same event ids) and ack; a held one only 01.
    const held = store.db.prepare<[number], number>('SELECT 1 FROM incoming_checks WHERE document_id = ?').pluck().get(known.documentId) !== undefined;
    const confirmed = await reply(client, item.messageId, held && options.autoReply === 'accepted' ? 'arrived' : options.autoReply);
    // That pull may have stopped between its 03 and noting it: the document follows the 03 the sender has now.
    if (!held && confirmed && options.autoReply === 'accepted') followAcceptance(store.db, known.documentId, options.now?.() ?? Date.now());
    return undefined;
  }
  if (known?.direction === 'incoming') return undefined; // rejected earlier; only the ack was lost
  if (item.type === 'recall') {
    await takeRecall(client, store, item, options, result);
    return undefined;
  }
  const { files, decision, blobs } = await (ready ?? fetchAndJudge(client, store, item, options));
  if (decision.action === 'return') {
    await client.postStatus(item.messageId, '01');
    await client.postStatus(item.messageId, '02', decision.reason.slice(0, 1000));
    recordMessage(store.db, { messageId: item.messageId, direction: 'incoming', documentId: null, receipt: item.receipt });
    result.rejected.push({ messageId: item.messageId, reason: decision.reason });
    notify(options.onProgress, { type: 'rejected', messageId: item.messageId, reason: decision.reason });
    return undefined;
  }
  const hold = decision.action === 'hold' ? decision.reason : undefined;
  const now = options.now?.() ?? Date.now();
  const senderName = cachedDirectory(store.db).find((a) => a.organId === item.sender)?.name;
  const own = client.agency?.organId ?? item.receipt.receipt.recipients[0]!;
  // One transaction: a crash leaves either nothing (redelivered, stored then) or the document with its link (only acked then).
  // Without its own fsync: the page's ack waits for flushCommits, so until then a power cut that rolls it back
  // only means the server delivers it again (a 01 already sent is recorded once there).
  const stored = withoutFsync(store.db, () => store.db.transaction(() => {
    const { id } = createDocument(store.db, 'incoming', metadataOf(item, senderName), now);
    files.forEach((file, i) => addFile(store.db, store.blobs, id, { role: file.role, name: file.name, blob: blobs[i]!, now }));
    const registered = registerIncoming(store.db, id, { organId: own, now });
    recordMessage(store.db, { messageId: item.messageId, direction: 'incoming', documentId: id, receipt: item.receipt }, now);
    if (hold !== undefined) flagHeld(store.db, { documentId: id, messageId: item.messageId, reason: hold }, now);
    return { documentId: id, arrivalNumber: registered.arrivalNumber };
  }).immediate());
  // Heard as soon as it is stored: a reply that fails now is retried on the next delivery, which finds it stored.
  notify(options.onProgress, { type: 'received', messageId: item.messageId, ...stored, ...(hold !== undefined ? { heldFor: hold } : {}) });
  if (hold !== undefined) result.held.push({ messageId: item.messageId, documentId: stored.documentId, reason: hold });
  // A held document is answered "arrived" at most: 03 only once a re-check finds it valid.
  const answered = reply(client, item.messageId, hold !== undefined && options.autoReply === 'accepted' ? 'arrived' : options.autoReply);
  // Met when its turn comes (or never, once the page stopped): not an unhandled rejection.
  answered.catch(() => undefined);
  return {
    answered,
    record: (confirmed) => {
      if (hold === undefined && confirmed && options.autoReply === 'accepted') transition(store.db, stored.documentId, 'accepted', { now });
      const revised = item.inReplyTo ? findMessage(store.db, item.inReplyTo) : undefined;
      result.stored.push({ messageId: item.messageId, ...stored, type: item.type, ...(revised?.direction === 'incoming' && revised.documentId !== null ? { revises: revised.documentId } : {}) });
    },
  };
}

/** Replies to newly stored documents that may be on their way while the next documents are stored. */
export const REPLIES_IN_FLIGHT = 4;

/**
 * A recall (Decree 30: the recipient deletes the document and notifies the sender): agree with 15 on
 * the original, then mark our copy recalled. The status goes first and is idempotent, so a crash
 * between the two redoes both; the recall is recorded last, which makes the next delivery an ack only.
 */
async function takeRecall(client: ExchangeClient, store: Store, item: InboxItem, options: PullOptions, result: PullResult): Promise<void> {
  const original = item.inReplyTo ? findMessage(store.db, item.inReplyTo) : undefined;
  // The original comes before its recall in the inbox; if we have not taken it in yet (it was deferred),
  // the recall waits for it rather than being acked and forgotten.
  if (item.inReplyTo && original?.direction !== 'incoming') throw new VanthuError('EXCHANGE_RECALL_BEFORE_ORIGINAL', { messageId: item.messageId, original: item.inReplyTo });
  let state: string | null = null;
  if (original?.documentId != null) {
    try {
      await client.postStatus(original.messageId, '15');
    } catch (error) {
      // The server no longer holds it as "recall requested" (refused or already agreed): nothing to agree to.
      if (!overtaken(error)) throw error;
    }
    const document = getDocument(store.db, original.documentId);
    if (canTransition('incoming', document.state, 'recalled')) transition(store.db, original.documentId, 'recalled', { reason: item.metadata.description ?? 'recall' });
    state = getDocument(store.db, original.documentId).state;
  }
  recordMessage(store.db, { messageId: item.messageId, direction: 'incoming', documentId: null, receipt: item.receipt });
  result.recalled.push({ messageId: item.messageId, original: item.inReplyTo ?? '', documentId: original?.documentId ?? null, state });
  notify(options.onProgress, { type: 'recalled', messageId: item.messageId, documentId: original?.documentId ?? null });
}

/**
 * Re-checks the held documents that are due, then pulls until the inbox is empty, acking messages only
 * after they are stored (or rejected): one ack per page for those taken in (a round trip and a server
 * commit per document saved), sent also when the page stops on a network error. An ack that does not
 * arrive only means redelivery, which finds the message stored and acks it then.
 */
export async function pullInbox(client: ExchangeClient, store: Store, options: PullOptions): Promise<PullResult> {
  const result: PullResult = { stored: [], recalled: [], rejected: [], held: [], deferred: [] };
  if (options.recheck ?? true) {
    result.rechecked = await recheckHeld(store, { trust: options.trust, online: options.online ?? false, client, autoReply: options.autoReply, ...(options.now ? { now: options.now } : {}), ...(options.validate ? { validate: options.validate } : {}) });
  }
  let cursor = 0;
  for (;;) {
    const page = await client.inbox(cursor);
    if (page.items.length === 0) return result;
    const taken: string[] = [];
    /** The network gone: the page stops there, and the next pull starts over. */
    let broken = undefined as { error: unknown } | undefined;
    // An item's own problem (a hash mismatch, metadata the store refuses): it stays unacked and the others go on.
    const failed = (messageId: string, error: unknown): void => {
      if (isTransient(error) || !isVanthuError(error)) broken ??= { error };
      else result.deferred.push({ messageId, reason: `${error.code}: ${error.messageEn}` });
    };
    // Stored documents whose 01 is on its way, oldest first: the recipient stores the next one meanwhile instead of
    // waiting a round trip per document. Taken (acked) only once answered.
    const replying: { messageId: string; answer: Answer }[] = [];
    const settleOldest = async (): Promise<void> => {
      const { messageId, answer } = replying.shift()!;
      try {
        answer.record(await answer.answered);
        taken.push(messageId);
      } catch (error) {
        failed(messageId, error);
      }
    };
    const settleAll = async (): Promise<void> => {
      while (replying.length > 0) await settleOldest();
    };
    const ahead = lookahead(client, store, page.items, options);
    for (const [index, item] of page.items.entries()) {
      // A recall or a revision follows its original's answer, never overtakes it.
      if (item.inReplyTo) await settleAll();
      if (broken) break;
      try {
        const answer = await takeIn(client, store, item, options, result, ahead(index));
        if (answer) {
          replying.push({ messageId: item.messageId, answer });
          while (replying.length >= REPLIES_IN_FLIGHT) await settleOldest();
          continue;
        }
      } catch (error) {
        failed(item.messageId, error);
        continue;
      }
      taken.push(item.messageId);
    }
    await settleAll();
    if (broken) {
      // What was taken in is acked if it can be.
      if (taken.length > 0) await flushCommits(store.db).then(() => client.ack(taken)).catch(() => undefined);
      throw broken.error;
    }
    // Acked only once what was taken in is durable: the server forgets an acked message.
    if (taken.length > 0) {
      await flushCommits(store.db);
      await client.ack(taken);
    }
    cursor = page.nextCursor;
  }
}

/**
 * The user's reply on a stored incoming document: 03 accepted, or 02 rejected with a reason. Sent
 * first (with the arrival 01 before it, which the server needs and records once), then the store follows.
 */
export async function replyToSender(client: ExchangeClient, store: Store, documentId: number, reply: { code: '03' } | { code: '02'; reason: string }): Promise<void> {
  const messageId = store.db
    .prepare<[number], string>("SELECT message_id FROM exchange_messages WHERE document_id = ? AND direction = 'incoming'")
    .pluck()
    .get(documentId);
  if (messageId === undefined) throw new VanthuError('STORE_NOT_FOUND', { what: 'exchange message of document', id: documentId });
  await client.postStatus(messageId, '01');
  await client.postStatus(messageId, reply.code, reply.code === '02' ? reply.reason : undefined);
  store.db.transaction(() => {
    transition(store.db, documentId, reply.code === '03' ? 'accepted' : 'rejected', reply.code === '02' ? { reason: reply.reason } : {});
    // The clerk decided: a "cần kiểm tra lại" flag has done its work.
    store.db.prepare('DELETE FROM incoming_checks WHERE document_id = ?').run(documentId);
  })();
}
