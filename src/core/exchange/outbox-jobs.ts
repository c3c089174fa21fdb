// The outbox's 'upload' and 'submit' jobs: queue a document (or its recall, update, replacement) with its stable message id, upload then submit in its lane.
import type { DocumentMetadata as ProtocolMetadata } from '../../shared/exchange-protocol.js';
import { isVanthuError, VanthuError } from '../../shared/errors.js';
import { safeBaseName } from '../../shared/safe-text.js';
import type { HookPayload, JobHandler, JobRecord } from '../outbox/index.js';
import { enqueue } from '../outbox/index.js';
import { getDocument, listFiles, transition, type DocumentRecord, type FileRecord, type RevisionRecord, type Store } from '../store/index.js';
import type { ExchangeClient } from './client.js';
import { DUPLICATE_NUMBER_REASON, warnsDuplicateNumber } from './duplicate-number.js';
import { sendMessageId, uuidV7 } from './ids.js';
import { verifyReceipt, type ServerKey } from './receipt.js';
import { findMessage, recordMessage } from './records.js';
import { notify, type ProgressListener } from './progress.js';
import { envelopeOf, uploadFiles, type EnvelopeSource, type OutgoingFile } from './send.js';

export interface SendPayload extends HookPayload {
  documentId: number;
  /** Derived from the send at queueing (sendMessageId; UUIDv7 for a new sending): the Idempotency-Key of every submit attempt, through crashes. */
  messageId: string;
  /** new (default), or a recall/update/replacement of the message inReplyTo. */
  type: 'new' | 'recall' | 'update' | 'replace';
  inReplyTo: string | null;
  /** A recall's reason, shown to the recipient. */
  reason: string | null;
}

/**
 * Attempts of a send job. More than the outbox default: a provincial link can be down for hours, and
 * a job only spends attempts on real failures (an open circuit gives its attempt back).
 */
export const SEND_MAX_ATTEMPTS = 20;

export interface EnqueueSendOptions {
  /** Update or replace the message we sent before (its message id). */
  revises?: { type: 'update' | 'replace'; messageId: string };
  /**
   * 'document' (default): after every earlier job of the document, a signature upgrade included.
   * 'own': not behind an upgrade (see sendLaneFor): the document goes out at its current level.
   */
  lane?: 'document' | 'own';
  /**
   * A new sending of files these recipients already received (the user confirmed "Gửi lại lần nữa?"): a
   * fresh message id. Without it the id is derived from the send, so a retry is the same sending.
   */
  again?: boolean;
  now?: number;
}

/** The lane of the send jobs of a document that does not wait for its other jobs. */
export const sendLane = (documentId: number): string => `send:${documentId}`;

/**
 * Queues an issued document for sending: its message id, the move to `queued` and both jobs in one
 * transaction, so a crash leaves either all of it or none.
 */
export function enqueueSend(store: Store, documentId: number, options: EnqueueSendOptions | number = {}): { messageId: string; jobs: [JobRecord, JobRecord] } {
  const { revises, lane, again = false, now = Date.now() } = typeof options === 'number' ? { now: options } : options;
  const db = store.db;
  return db.transaction(() => {
    const messageId = again ? uuidV7(now) : derivedMessageId(store, documentId, revises);
    const earlier = findMessage(db, messageId);
    // The same files already reached the same recipients: sending them again is a new sending, asked for.
    if (earlier?.receipt) throw new VanthuError('EXCHANGE_ALREADY_SENT', { id: documentId, messageId });
    // From issued (or back from failed / needs_attention); anything else is refused by the workflow table.
    transition(db, documentId, 'queued', { now });
    recordMessage(db, { messageId, direction: 'outgoing', documentId, receipt: null }, now);
    const payload: SendPayload = { documentId, messageId, type: revises?.type ?? 'new', inReplyTo: revises?.messageId ?? null, reason: null };
    const common = { documentId, payload, maxAttempts: SEND_MAX_ATTEMPTS, ...(lane === 'own' ? { lane: sendLane(documentId) } : {}) };
    const upload = enqueue(db, { kind: 'upload', ...common }, now);
    const submit = enqueue(db, { kind: 'submit', ...common }, now);
    return { messageId, jobs: [upload, submit] as [JobRecord, JobRecord] };
  }).immediate();
}

/** The id a send of the document's current files would have (sendMessageId): the same for every retry of it. */
function derivedMessageId(store: Store, documentId: number, revises: EnqueueSendOptions['revises']): string {
  const document = getDocument(store.db, documentId);
  return sendMessageId({
    sender: document.organId ?? '',
    fileSha256s: listFiles(store.db, documentId).map((f) => f.revisions.at(-1)!.sha256),
    recipients: document.recipients.map((r) => r.organId),
    type: revises?.type ?? 'new',
    inReplyTo: revises?.messageId ?? null,
  });
}

/**
 * Queues the recall of a document we sent: a 'recall' message naming the original, to the same
 * recipients, durable and idempotent like a send. The document itself stays `sent`; its recipients
 * move to 13 (and 15/16 when they answer) through the status feed.
 */
export function enqueueRecall(store: Store, documentId: number, reason: string, now = Date.now()): { messageId: string; job: JobRecord } {
  const db = store.db;
  return db.transaction(() => {
    const original = db
      .prepare<[number], { message_id: string }>("SELECT message_id FROM exchange_messages WHERE document_id = ? AND direction = 'outgoing' AND receipt IS NOT NULL ORDER BY created_at DESC LIMIT 1")
      .get(documentId);
    if (!original || getDocument(db, documentId).state !== 'sent') throw new VanthuError('EXCHANGE_NOT_SENT', { id: documentId });
    const messageId = uuidV7(now);
    // Not linked to the document: the link stays the original message's, which the status feed follows.
    recordMessage(db, { messageId, direction: 'outgoing', documentId: null, receipt: null }, now);
    const payload: SendPayload = { documentId, messageId, type: 'recall', inReplyTo: original.message_id, reason: reason.slice(0, 1000) };
    // Its own lane: a recall does not wait behind anything else of the document.
    const job = enqueue(db, { kind: 'submit', documentId, lane: `recall:${documentId}`, payload, maxAttempts: SEND_MAX_ATTEMPTS }, now);
    return { messageId, job };
  }).immediate();
}

const payloadOf = (job: JobRecord<HookPayload>): SendPayload => {
  const { documentId, messageId, type, inReplyTo, reason } = job.payload;
  if (typeof documentId !== 'number' || typeof messageId !== 'string') throw new VanthuError('BAD_INPUT', { detail: `job ${job.id}: not a send payload` });
  // Jobs queued before recall/update existed carry neither field: they are plain sends.
  const kind = type === 'recall' || type === 'update' || type === 'replace' ? type : 'new';
  return { documentId, messageId, type: kind, inReplyTo: typeof inReplyTo === 'string' ? inReplyTo : null, reason: typeof reason === 'string' ? reason : null };
};

/** A file's latest revision (the one a send carries). */
function latestRevision(file: FileRecord): RevisionRecord {
  const latest = file.revisions.at(-1);
  if (!latest) throw new VanthuError('STORE_NOT_FOUND', { what: 'file revision', id: file.id });
  return latest;
}

function filesOf(store: Store, documentId: number): OutgoingFile[] {
  // The server takes plain base names only: a name imported with a folder in it goes out as its last part.
  // The bytes are read hash-checked against the revision's hash: the upload need not hash them again.
  return listFiles(store.db, documentId).map((f) => {
    const { sha256 } = latestRevision(f);
    return { bytes: store.blobs.read(sha256), name: safeBaseName(f.name), role: f.role, sha256 };
  });
}

/** Each file's name and role for the envelope, and the sha256 and size of its latest revision as the store recorded them when it kept the bytes. */
function storedFiles(store: Store, documentId: number): { names: { name: string; role: OutgoingFile['role'] }[]; hashes: { sha256: string; size: number }[] } {
  const files = listFiles(store.db, documentId);
  const hashes = files.map((f) => {
    const { sha256, size } = latestRevision(f);
    return { sha256, size };
  });
  return { names: files.map((f) => ({ name: safeBaseName(f.name), role: f.role })), hashes };
}

/** The server refused only because files were not there (every per-file reason SERVER_FILE_MISSING). */
const filesMissingOnServer = (error: unknown): boolean => isVanthuError(error) && error.code === 'EXCHANGE_REFUSED' && error.params.reasonCodes === 'SERVER_FILE_MISSING';

/** The envelope's Decree 30 metadata from the stored document (the store's limits are within the protocol's). */
export function protocolMetadata(d: DocumentRecord): ProtocolMetadata {
  const m: ProtocolMetadata = {
    subject: d.subject,
    codeNumber: d.codeNumber,
    codeNotation: d.codeNotation,
    issuedDate: d.issuedDate,
    typeName: d.typeName,
    organName: d.organName,
    language: d.language,
    pageAmount: d.pageAmount,
    description: d.description,
    priority: d.priority,
    issuedAmount: d.issuedAmount,
    dueDate: d.dueDate,
    fileCatalog: d.fileCatalog,
    fileNotation: d.fileNotation,
    docOrdinal: d.docOrdinal,
    ...(d.signerPosition && d.signerFullName ? { signerInfo: { position: d.signerPosition, fullName: d.signerFullName } } : {}),
  };
  return Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined && v !== null)) as ProtocolMetadata;
}

export interface ExchangeHooksOptions {
  client: ExchangeClient;
  /** Fetched once and kept: receipts are checked against it. */
  serverKey: () => Promise<ServerKey>;
  /** Upload bytes and sent documents, for the UI. */
  onProgress?: ProgressListener;
}

export function exchangeHooks(options: ExchangeHooksOptions): { upload: JobHandler<HookPayload>; submit: JobHandler<HookPayload> } {
  const { client } = options;
  // Failures go to the outbox as they are: it knows which exchange errors wait for login or retry.
  const upload: JobHandler<HookPayload> = async ({ job, store }) => {
    const { documentId, messageId, type } = payloadOf(job);
    if (type === 'recall') return undefined;
    // A first run has nothing on the server yet (one PUT per small file); a rerun asks first what got there.
    await uploadFiles(client, filesOf(store, documentId), { listener: options.onProgress, documentId, messageId }, { firstTime: job.attempts <= 1 });
    return undefined;
  };
  const submit: JobHandler<HookPayload> = async ({ job, store }) => {
    const { documentId, messageId, type, inReplyTo, reason } = payloadOf(job);
    const document = getDocument(store.db, documentId);
    // A recall carries no file: the recipients delete what they hold. Names and roles only: the bytes stay in the store.
    const stored = type === 'recall' ? { names: [], hashes: [] } : storedFiles(store, documentId);
    const metadata = protocolMetadata(document);
    const message: EnvelopeSource = {
      messageId,
      recipients: document.recipients.map((r) => r.organId),
      metadata: type === 'recall' && reason ? { ...metadata, description: reason } : metadata,
      files: stored.names,
      documentId,
      type,
      ...(inReplyTo ? { inReplyTo } : {}),
    };
    // The upload job put the latest revision of each file on the server (it ran first in this lane): the store's
    // hashes name those very bytes, so they are not read and hashed again, nor asked for one by one. Should the
    // server not have one after all (its upload commit lost in a power cut), it says so and they go up again.
    const sender = client.agency?.organId ?? (await client.login()).organId;
    const submitWith = async (hashes: { sha256: string; size: number }[]) => {
      const envelope = envelopeOf(sender, message, hashes);
      return { envelope, hashes, ...(await client.submitWithWarnings(messageId, envelope)) };
    };
    const { envelope, hashes, receipt, warnings } = await submitWith(stored.hashes).catch(async (error: unknown) => {
      if (!filesMissingOnServer(error)) throw error;
      return submitWith((await uploadFiles(client, filesOf(store, documentId), { listener: options.onProgress, documentId, messageId }, { firstTime: true })).files);
    });
    verifyReceipt(await options.serverKey(), receipt, { messageId, envelope, files: hashes });
    return (db) => {
      if (type === 'recall') {
        recordMessage(db, { messageId, direction: 'outgoing', documentId: null, receipt });
      } else {
        recordMessage(db, { messageId, direction: 'outgoing', documentId, receipt });
        const state = getDocument(db, documentId).state;
        if (state === 'queued') transition(db, documentId, 'sending');
        // The server's duplicate-number warning stays with the move to sent: the document page says it in words.
        const reason = warnsDuplicateNumber(warnings) ? { reason: DUPLICATE_NUMBER_REASON } : {};
        if (state === 'queued' || state === 'sending') transition(db, documentId, 'sent', { receipt: JSON.stringify(receipt), ...reason });
      }
      // After the commit this runs in: the UI hears of a document sent only once it is stored as sent.
      queueMicrotask(() => notify(options.onProgress, { type: 'sent', documentId, messageId, kind: type }));
    };
  };
  return { upload, submit };
}
