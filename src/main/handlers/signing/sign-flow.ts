// One signature from the document page: the leader's and the attachment stamp through the outbox's sign job (waited for), the seal at issuing and the copy stamp signed here.
import { readFile } from 'node:fs/promises';
import { formatNumberNotation, type DocumentState, type SignatureKind, type SignatureLevel } from '../../../shared/document.js';
import { VanthuError, isVanthuError, type ErrorCode, errorCatalogue } from '../../../shared/errors.js';
import { cancelJob, enqueue, enqueueSign, getJob, readForSigning, signIntoStore, type JobRecord, type KeySource, type SignJobResult, type TokenChoice, type UpgradeJobPayload } from '../../../core/outbox/index.js';
import { decree30Widget, type AppearanceRequest, type SigningLevel } from '../../../core/signing/index.js';
import { addRevision, assignOutgoingNumber, getDocument, listFiles, transition, type FileRecord, type Store } from '../../../core/store/index.js';
import type { SettingsStore } from '../../../core/store/index.js';
import type { TrustStore } from '../../../core/trust/index.js';
import type { AppRuntime } from '../../runtime.js';

export type ImageKind = 'signature' | 'seal';

/** The leader's signature or the agency's seal PNG chosen in Settings. */
export async function settingsImage(settings: SettingsStore | undefined, what: ImageKind): Promise<Uint8Array> {
  const current = settings?.get();
  const file = what === 'seal' ? current?.sealImagePath : current?.signatureImagePath;
  if (!file) throw new VanthuError('SIGNING_IMAGE_MISSING', { what });
  try {
    return new Uint8Array(await readFile(file));
  } catch {
    throw new VanthuError('SIGNING_IMAGE_MISSING', { what });
  }
}

export function tsaFor(settings: SettingsStore | undefined, level: SigningLevel): string | undefined {
  if (level === 'B-B') return undefined;
  const url = settings?.get().tsaUrl;
  if (!url) throw new VanthuError('SIGNING_TSA_NOT_SET', { level });
  return url;
}

export function fileOf(store: Store, documentId: number, fileId: number | undefined): FileRecord {
  const files = listFiles(store.db, documentId);
  const file = fileId === undefined ? files.find((f) => f.role === 'main') : files.find((f) => f.id === fileId);
  if (file === undefined) throw new VanthuError('STORE_NOT_FOUND', { what: `file of document ${documentId}`, id: fileId ?? 'main' });
  return file;
}

/** The stored revision a signature made: its file is named by hash, never handed over whole (a 100 MB file is read only where needed). */
export interface SignOutcome {
  revision: number;
  level: SignatureLevel;
  pendingLevel: SignatureLevel | null;
  sha256: string;
  size: number;
}

const FINISHED = new Set(['done', 'cancelled', 'needs_attention', 'waiting']);

async function waitForJob(store: Store, jobId: number, timeoutMs: number): Promise<JobRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = getJob(store.db, jobId);
    // A pending job that already failed once is retrying with backoff: the user hears now, not in an hour.
    if (FINISHED.has(job.state) || (job.state === 'pending' && job.lastError !== null) || Date.now() > deadline) return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const failed = (reason: { code: string; messageVi: string; messageEn: string } | null): VanthuError => {
  // A code of the catalogue is rethrown as itself (the UI may know it); anything else is wrapped.
  if (reason && reason.code in errorCatalogue && reason.code !== 'SIGNING_FAILED') {
    const error = new VanthuError(reason.code as ErrorCode);
    return Object.assign(error, { messageVi: reason.messageVi, messageEn: reason.messageEn });
  }
  return new VanthuError('SIGNING_FAILED', { detailVi: reason?.messageVi ?? 'quá thời gian chờ', detailEn: reason?.messageEn ?? 'timed out' });
};

export interface OutboxSignRequest {
  documentId: number;
  fileId?: number;
  choice: TokenChoice;
  appearance: 'leader' | 'attachment';
  level: SigningLevel;
  tsaUrl?: string;
  image?: Uint8Array;
  textOnly?: boolean;
  page?: number;
  rect?: [number, number, number, number];
  documentNotation?: string;
  timeoutMs?: number;
}

/**
 * Queues the outbox's sign job and waits for it: the job is durable, so a crash mid-signature
 * leaves it to the next start. A failed job is taken back (cancelled, the document returned to the
 * state it had) so the user can correct and sign again from the dialog.
 */
export async function signThroughOutbox(runtime: AppRuntime, request: OutboxSignRequest): Promise<SignOutcome> {
  const { store } = runtime;
  const before: DocumentState = getDocument(store.db, request.documentId).state;
  const job = enqueueSign(store, {
    documentId: request.documentId,
    ...(request.fileId === undefined ? {} : { fileId: request.fileId }),
    token: request.choice,
    appearance: request.appearance,
    level: request.level,
    ...(request.tsaUrl ? { tsaUrl: request.tsaUrl } : {}),
    ...(request.image ? { image: request.image } : {}),
    ...(request.textOnly ? { textOnly: true } : {}),
    ...(request.page === undefined ? {} : { page: request.page }),
    ...(request.rect === undefined ? {} : { rect: request.rect }),
    ...(request.documentNotation === undefined ? {} : { documentNotation: request.documentNotation }),
    // One try: the user is waiting at the dialog, and a second try would need the token again.
    maxAttempts: 1,
  });
  runtime.worker.poke();
  const finished = await waitForJob(store, job.id, request.timeoutMs ?? 10 * 60_000);
  if (finished.state === 'done') {
    const result = finished.result as SignJobResult;
    const file = fileOf(store, request.documentId, job.payload.fileId);
    const stored = file.revisions.find((r) => r.revision === result.revision)!;
    return { revision: result.revision, level: result.level, pendingLevel: result.pendingLevel, sha256: stored.sha256, size: stored.size };
  }
  if (finished.state !== 'cancelled') {
    try {
      cancelJob(store.db, job.id, { reason: 'signature from the document page failed' });
    } catch {
      // Finished meanwhile: the document state below is what counts.
    }
  }
  const now = getDocument(store.db, request.documentId).state;
  if (now === 'needs_attention' && before !== 'needs_attention') {
    try {
      transition(store.db, request.documentId, before, { reason: 'signature failed, back to the signer' });
    } catch {
      // Left in needs_attention with the job's reason: the registers show it.
    }
  }
  throw failed(finished.lastError);
}

export interface DirectSignRequest {
  store: Store;
  documentId: number;
  file: FileRecord;
  choice: TokenChoice;
  /** What of the runtime a signature here uses: the token's key, and the worker to wake for a pending upgrade. */
  runtime: { keys: KeySource; worker: Pick<AppRuntime['worker'], 'poke'> };
  level: SigningLevel;
  tsaUrl?: string;
  trust?: TrustStore;
  kind: SignatureKind;
  appearance: Omit<AppearanceRequest, 'signingTime'>;
  transitionTo: DocumentState | null;
  reason?: string;
}

/**
 * Signs on the token here (for the appearances the outbox job cannot describe: the seal with the
 * number and date written in, the copy stamp). As the outbox's sign job does, the file is signed
 * straight into the blob store's temp folder and adopted: the signed file is never held whole beside
 * its input (issue 14 item 5: a 100 MB file within 2x in memory). It is durable before its row; the
 * row and the state move commit together, and only if nobody stored another revision meanwhile.
 */
export async function signDirectly(request: DirectSignRequest): Promise<SignOutcome> {
  const { store } = request;
  const latest = request.file.revisions.at(-1);
  if (latest === undefined) throw new VanthuError('STORE_NOT_FOUND', { what: 'revision of file', id: request.file.id });
  // Read once, as a Node Buffer (pdf-lib views it; pdf.js, reading the page text for placement, takes its own copy).
  const { pdf, input } = readForSigning(store.blobs, latest.sha256, request.level);
  const { key, subject } = await request.runtime.keys.key(request.choice);
  const signingTime = new Date();
  let widget;
  try {
    widget = await decree30Widget(pdf, { ...request.appearance, signingTime } as AppearanceRequest);
  } catch (error) {
    if (isVanthuError(error)) throw error;
    throw new VanthuError('PDF_INVALID', { detail: error instanceof Error ? error.message : String(error) }, { cause: error });
  }
  const { signed, blob } = await signIntoStore(store.blobs, input, key, {
    level: request.level,
    ...(request.tsaUrl ? { tsaUrl: request.tsaUrl } : {}),
    ...(request.trust ? { trust: request.trust } : {}),
    ...(widget ? { widget } : {}),
    ...(request.reason ? { reason: request.reason } : {}),
    signingTime,
  });
  // A failure from here leaves the adopted file without a row: the next open's integrity check quarantines it, never deletes it.
  const revision = store.db
    .transaction(() => {
      const current = fileOf(store, request.documentId, request.file.id).revisions.at(-1);
      if (current?.revision !== latest.revision) {
        throw new VanthuError('OUTBOX_FILE_CHANGED', { document: request.documentId, expected: latest.revision, found: current?.revision ?? 0 });
      }
      const stored = addRevision(store.db, store.blobs, request.file.id, { blob, signatureLevel: signed.level, signatureKind: request.kind, signer: subject });
      if (request.transitionTo !== null && getDocument(store.db, request.documentId).state !== request.transitionTo) {
        transition(store.db, request.documentId, request.transitionTo, { reason: `${request.kind} ${signed.level}` });
      }
      const pending = signed.pending?.level;
      if (pending !== undefined && pending !== 'B-B' && request.tsaUrl) {
        // As the outbox's sign job does: the level the TSA could not give now is raised later.
        const payload: UpgradeJobPayload = { documentId: request.documentId, fileId: request.file.id, level: pending, tsaUrl: request.tsaUrl };
        enqueue(store.db, { kind: 'upgrade', documentId: request.documentId, payload, maxAttempts: 20 });
      }
      return stored;
    })
    .immediate();
  if (signed.pending) request.runtime.worker.poke();
  return { revision: revision.revision, level: signed.level, pendingLevel: signed.pending?.level ?? null, sha256: blob.sha256, size: blob.size };
}

/** The clerk's number for an issue: the one given earlier (an issue that failed after numbering), or the register's next. */
export function numberFor(store: Store, documentId: number): { codeNumber: string; issuedDate: string; notation: string } {
  const document = getDocument(store.db, documentId);
  if (document.codeNumber && document.issuedDate) {
    return { codeNumber: document.codeNumber, issuedDate: document.issuedDate, notation: notationOf(document.codeNumber, document.codeNotation) };
  }
  const assigned = assignOutgoingNumber(store.db, documentId);
  return { codeNumber: assigned.codeNumber, issuedDate: assigned.issuedDate, notation: notationOf(assigned.codeNumber, document.codeNotation) };
}

const notationOf = (codeNumber: string, codeNotation: string | undefined): string => (codeNotation ? formatNumberNotation(codeNumber, codeNotation) : codeNumber);
