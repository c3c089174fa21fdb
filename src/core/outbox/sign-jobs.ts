// The sign and upgrade jobs: sign a document's file on the token, store the revision and move the document in one transaction; raise a level later.
import { canTransition, type DocumentState, type SignatureLevel } from '../../shared/document.js';
import { VanthuError, isVanthuError } from '../../shared/errors.js';
import { decree30Widget, upgradeSignatures } from '../signing/index.js';
import type { BlobStore } from '../store/blobs.js';
import type { Db } from '../store/db-types.js';
import { getState } from '../store/documents.js';
import { addRevision, listFiles, recordBlob, type FileRecord } from '../store/files.js';
import { prepared } from '../store/statements.js';
import type { Store } from '../store/store.js';
import { transition } from '../store/workflow.js';
import type { TrustStore } from '../trust/index.js';
import type { KeySource } from './keys.js';
import { enqueue } from './queue.js';
import { readForSigning, readGrowing, signIntoStore } from './signed-blob.js';
import type { JobRecord, SignAppearance, SignJobPayload, TokenChoice, UpgradeJobPayload } from './types.js';
import type { JobHandler } from './worker.js';

const LEVEL_RANK: Readonly<Record<SignatureLevel, number>> = { none: 0, 'B-B': 1, 'B-T': 2, 'B-LT': 3, 'B-LTA': 4 };

/** Where each signature moves the document when the job does not say: Decree 30's order of leader, then seal at issuing. */
export const defaultTransition: Readonly<Record<SignAppearance, DocumentState | null>> = {
  leader: 'signed_by_leader',
  seal: 'issued',
  attachment: null,
};

export interface SignRequest extends Omit<SignJobPayload, 'fileId' | 'baseRevision' | 'imageSha256' | 'token'> {
  token: TokenChoice;
  /** Default: the document's main file. */
  fileId?: number;
  /** The PNG for the leader or seal appearance; kept in the blob store, referenced by the job. */
  image?: Uint8Array;
  batchId?: number;
  maxAttempts?: number;
}

/** Writes the image file (durable) before any transaction; pass the result to enqueueSign. */
export function storeImage(blobs: BlobStore, image: Uint8Array): { sha256: string; size: number } {
  return blobs.put(image);
}

function fileToSign(db: Db, documentId: number, fileId: number | undefined): FileRecord {
  const files = listFiles(db, documentId);
  const file = fileId === undefined ? files.find((f) => f.role === 'main') : files.find((f) => f.id === fileId);
  if (file === undefined) {
    if (fileId === undefined) throw new VanthuError('OUTBOX_NO_MAIN_FILE', { document: documentId });
    throw new VanthuError('STORE_NOT_FOUND', { what: `file of document ${documentId}`, id: fileId });
  }
  return file;
}

/**
 * Queues a signature of the document's file as it is now. Usable inside the caller's transaction
 * (with the domain change that asks for it). The image, when given, is written before the rows.
 */
export function enqueueSign(store: Store, request: SignRequest, now = Date.now()): JobRecord<SignJobPayload> {
  const image = request.image ? storeImage(store.blobs, request.image) : undefined;
  return store.db
    .transaction(() => {
      const file = fileToSign(store.db, request.documentId, request.fileId);
      const base = file.revisions.at(-1);
      if (base === undefined) throw new VanthuError('STORE_NOT_FOUND', { what: 'revision of file', id: file.id });
      if (image) recordBlob(store.db, image.sha256, image.size, now);
      const { image: _image, batchId, maxAttempts, fileId: _fileId, ...rest } = request;
      const payload: SignJobPayload = { ...rest, fileId: file.id, baseRevision: base.revision, ...(image ? { imageSha256: image.sha256 } : {}) };
      return enqueue(store.db, { kind: 'sign', documentId: request.documentId, payload, batchId, maxAttempts }, now);
    })
    .immediate();
}

/**
 * The appearance's widget. Placement parses the PDF with pdf-lib, whose errors are plain ones: any
 * that is not already ours means the file cannot be read, which is permanent and the user's to fix.
 */
async function placement(pdf: Uint8Array, request: Parameters<typeof decree30Widget>[1]): ReturnType<typeof decree30Widget> {
  try {
    return await decree30Widget(pdf, request);
  } catch (error) {
    if (isVanthuError(error)) throw error;
    throw new VanthuError('PDF_INVALID', { detail: error instanceof Error ? error.message : String(error) }, { cause: error });
  }
}

/**
 * Whether a revision after `base` came from somewhere else than this document's finished outbox jobs.
 * Steps queued together (leader, then seal) each find the file as the step before left it; a file
 * someone replaced meanwhile is not signed blindly.
 */
function changedOutsideOutbox(db: Db, p: { documentId: number; fileId: number }, base: number, latest: number): boolean {
  if (latest === base) return false;
  if (latest < base) return true;
  const ours = new Set(
    prepared<number | null>(db,
      `SELECT json_extract(result, '$.revision') FROM outbox_jobs
        WHERE document_id = ? AND state = 'done' AND kind IN ('sign', 'upgrade') AND json_extract(payload, '$.fileId') = ?`,
    ).pluck().all(p.documentId, p.fileId),
  );
  for (let revision = base + 1; revision <= latest; revision++) if (!ours.has(revision)) return true;
  return false;
}

export interface SignHandlerOptions {
  keys: KeySource;
  /** Roots for B-LT/B-LTA validation data. */
  trust?: TrustStore;
  tsaTimeoutMs?: number;
  revocationTimeoutMs?: number;
  /** Attempts of the upgrade job queued when the TSA could not be reached. */
  upgradeMaxAttempts?: number;
}

export interface SignJobResult {
  revision: number;
  level: SignatureLevel;
  pendingLevel: SignatureLevel | null;
  upgradeJobId: number | null;
}

/** The sign job: the slow part (placement, token, TSA) outside any transaction; the stored result in the completing one. */
export function signHandler(options: SignHandlerOptions): JobHandler<SignJobPayload> {
  return async ({ job, store, signal }) => {
    const p = job.payload;
    const file = fileToSign(store.db, p.documentId, p.fileId);
    const latest = file.revisions.at(-1);
    if (latest === undefined || changedOutsideOutbox(store.db, p, p.baseRevision, latest.revision)) {
      throw new VanthuError('OUTBOX_FILE_CHANGED', { document: p.documentId, expected: p.baseRevision, found: latest?.revision ?? 0 });
    }
    const target = p.transitionTo === undefined ? defaultTransition[p.appearance] : p.transitionTo;
    // A signature the document could not move on with is refused before the token spends one.
    const document = getState(store.db, p.documentId);
    if (target !== null && document.state !== target && !canTransition(document.direction, document.state, target)) {
      throw new VanthuError('STORE_TRANSITION_NOT_ALLOWED', { id: p.documentId, from: document.state, to: target });
    }
    // The seal is put at issuing, which the register's number must come before (workflow.ts checks the same).
    if (target === 'issued' && document.state !== 'issued' && document.codeNumber === null) {
      throw new VanthuError('STORE_TRANSITION_NOT_ALLOWED', { id: p.documentId, from: `${document.state} (no number)`, to: target });
    }
    const { pdf, input } = readForSigning(store.blobs, latest.sha256, p.level);
    const image = p.imageSha256 === undefined ? undefined : store.blobs.read(p.imageSha256);
    const { key, subject } = await options.keys.key(p.token);
    const signingTime = new Date();
    const widget = await placement(pdf, {
      appearance: p.invisible ? 'none' : p.appearance,
      ...(image ? { image } : {}),
      ...(p.textOnly ? { textOnly: true } : {}),
      ...(p.page === undefined ? {} : { page: p.page }),
      ...(p.rect === undefined ? {} : { rect: p.rect }),
      signerName: p.signerName ?? subject,
      ...(p.documentNotation === undefined ? {} : { documentNotation: p.documentNotation }),
      signingTime,
    });
    // Signed straight into a file in the blob store's temp folder, then adopted: the signed file is
    // never held whole beside its input (item 5 of issue 14: a 100 MB file within 2x in memory).
    // The file is durable before the transaction; addRevision then finds it and only records the row.
    const { signed, blob } = await signIntoStore(store.blobs, input, key, {
      level: p.level,
      tsaUrl: p.tsaUrl,
      tsaTimeoutMs: options.tsaTimeoutMs,
      trust: options.trust,
      revocationTimeoutMs: options.revocationTimeoutMs,
      widget,
      reason: p.reason,
      location: p.location,
      signingTime,
      signal,
    });
    return (db: Db): SignJobResult => {
      const current = fileToSign(db, p.documentId, p.fileId).revisions.at(-1);
      // The bytes signed are those of `latest`: anything stored since then would be overwritten.
      if (current?.revision !== latest.revision) {
        throw new VanthuError('OUTBOX_FILE_CHANGED', { document: p.documentId, expected: latest.revision, found: current?.revision ?? 0 });
      }
      const revision = addRevision(db, store.blobs, p.fileId, { blob, signatureLevel: signed.level, signatureKind: p.appearance, signer: subject });
      if (target !== null && getState(db, p.documentId).state !== target) {
        transition(db, p.documentId, target, { reason: `${p.appearance} ${signed.level}` });
      }
      let upgradeJobId: number | null = null;
      const pendingLevel = signed.pending?.level;
      if (pendingLevel !== undefined && pendingLevel !== 'B-B' && p.tsaUrl) {
        // Signed B-B while the TSA was away: raising it later is the next step of this document's lane.
        const payload: UpgradeJobPayload = { documentId: p.documentId, fileId: p.fileId, level: pendingLevel, tsaUrl: p.tsaUrl };
        upgradeJobId = enqueue(db, { kind: 'upgrade', documentId: p.documentId, payload, maxAttempts: options.upgradeMaxAttempts ?? 20 }).id;
      }
      return { revision: revision.revision, level: signed.level, pendingLevel: pendingLevel ?? null, upgradeJobId };
    };
  };
}

export interface UpgradeHandlerOptions {
  trust?: TrustStore;
  tsaTimeoutMs?: number;
  revocationTimeoutMs?: number;
}

/** The upgrade job: raises the file's latest revision to the level (a timestamp for B-T, DSS for B-LT), as a new revision. */
export function upgradeHandler(options: UpgradeHandlerOptions = {}): JobHandler<UpgradeJobPayload> {
  return async ({ job, store, signal }) => {
    const p = job.payload;
    const latest = fileToSign(store.db, p.documentId, p.fileId).revisions.at(-1);
    if (latest === undefined) throw new VanthuError('STORE_NOT_FOUND', { what: 'revision of file', id: p.fileId });
    if (LEVEL_RANK[latest.signatureLevel] >= LEVEL_RANK[p.level]) return () => ({ revision: latest.revision, level: latest.signatureLevel, already: true });
    if (p.level !== 'B-T' && options.trust === undefined) throw new VanthuError('BAD_INPUT', { detail: `${p.level} needs trust roots` });
    // Each step's update is appended in the room after the file: the file is held once, never copied.
    const file = readGrowing(store.blobs, latest.sha256);
    const bytes = await upgradeSignatures(file, p.level, {
      tsaUrl: p.tsaUrl,
      tsaTimeoutMs: options.tsaTimeoutMs,
      // B-T only adds a timestamp: no chain is built, so no roots are needed.
      trust: options.trust ?? { roots: [] },
      revocationTimeoutMs: options.revocationTimeoutMs,
      signal,
    });
    // Durable before the transaction (hashed in place, written once); the row then only points at it.
    const blob = store.blobs.put(bytes);
    return (db: Db) => {
      const current = fileToSign(db, p.documentId, p.fileId).revisions.at(-1);
      if (current?.revision !== latest.revision) {
        throw new VanthuError('OUTBOX_FILE_CHANGED', { document: p.documentId, expected: latest.revision, found: current?.revision ?? 0 });
      }
      // The new revision adds a timestamp or validation data, not a signature: its kind is none.
      const revision = addRevision(db, store.blobs, p.fileId, { blob, signatureLevel: p.level, signatureKind: 'none', signer: latest.signer ?? undefined });
      return { revision: revision.revision, level: p.level, already: false };
    };
  };
}
