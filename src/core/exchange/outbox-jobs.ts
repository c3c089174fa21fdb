// The outbox's 'upload' and 'submit' jobs: queue a document with its stable message id, upload then submit in its lane.
import type { DocumentMetadata as ProtocolMetadata } from '../../shared/exchange-protocol.js';
import { VanthuError } from '../../shared/errors.js';
import type { HookPayload, JobHandler, JobRecord } from '../outbox/index.js';
import { enqueue } from '../outbox/index.js';
import { getDocument, listFiles, readLatest, transition, type DocumentRecord, type Store } from '../store/index.js';
import type { ExchangeClient } from './client.js';
import { uuidV7 } from './ids.js';
import { verifyReceipt, type ServerKey } from './receipt.js';
import { recordMessage } from './records.js';
import { envelopeOf, uploadFiles, type OutgoingFile, type OutgoingMessage } from './send.js';

export interface SendPayload extends HookPayload {
  documentId: number;
  /** UUIDv7 made at queueing: the Idempotency-Key of every submit attempt, through crashes. */
  messageId: string;
}

/**
 * Queues an issued document for sending: its message id, the move to `queued` and both jobs in one
 * transaction, so a crash leaves either all of it or none.
 */
export function enqueueSend(store: Store, documentId: number, now = Date.now()): { messageId: string; jobs: [JobRecord, JobRecord] } {
  const db = store.db;
  return db.transaction(() => {
    const messageId = uuidV7(now);
    // From issued (or back from failed / needs_attention); anything else is refused by the workflow table.
    transition(db, documentId, 'queued', { now });
    recordMessage(db, { messageId, direction: 'outgoing', documentId, receipt: null }, now);
    const payload: SendPayload = { documentId, messageId };
    const upload = enqueue(db, { kind: 'upload', documentId, payload }, now);
    const submit = enqueue(db, { kind: 'submit', documentId, payload }, now);
    return { messageId, jobs: [upload, submit] as [JobRecord, JobRecord] };
  }).immediate();
}

const payloadOf = (job: JobRecord<HookPayload>): SendPayload => {
  const { documentId, messageId } = job.payload;
  if (typeof documentId !== 'number' || typeof messageId !== 'string') throw new VanthuError('BAD_INPUT', { detail: `job ${job.id}: not a send payload` });
  return { documentId, messageId };
};

function filesOf(store: Store, documentId: number): OutgoingFile[] {
  return listFiles(store.db, documentId).map((f) => ({ bytes: new Uint8Array(readLatest(store.db, store.blobs, f.id)), name: f.name, role: f.role }));
}

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
}

export function exchangeHooks(options: ExchangeHooksOptions): { upload: JobHandler<HookPayload>; submit: JobHandler<HookPayload> } {
  const { client } = options;
  // Failures go to the outbox as they are: it knows which exchange errors wait for login or retry.
  const upload: JobHandler<HookPayload> = async ({ job, store }) => {
    await uploadFiles(client, filesOf(store, payloadOf(job).documentId));
    return undefined;
  };
  const submit: JobHandler<HookPayload> = async ({ job, store }) => {
    const { documentId, messageId } = payloadOf(job);
    const document = getDocument(store.db, documentId);
    const files = filesOf(store, documentId);
    const message: OutgoingMessage = { messageId, recipients: document.recipients.map((r) => r.organId), metadata: protocolMetadata(document), files, documentId };
    // The blobs are on the server (the upload job ran first in this lane); this only hashes them again.
    const uploaded = await uploadFiles(client, files);
    const sender = client.agency?.organId ?? (await client.login()).organId;
    const envelope = envelopeOf(sender, message, uploaded.files);
    const receipt = await client.submit(messageId, envelope);
    verifyReceipt(await options.serverKey(), receipt, { messageId, envelope, files: uploaded.files });
    return (db) => {
      recordMessage(db, { messageId, direction: 'outgoing', documentId, receipt });
      const state = getDocument(db, documentId).state;
      if (state === 'queued') transition(db, documentId, 'sending');
      if (state === 'queued' || state === 'sending') transition(db, documentId, 'sent', { receipt: JSON.stringify(receipt) });
    };
  };
  return { upload, submit };
}
