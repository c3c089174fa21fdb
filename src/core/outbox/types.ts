// Outbox records and the payload of each job kind; payloads are JSON and never hold a PIN.
import type { DocumentState } from '../../shared/document.js';
import type { SigningLevel, UpgradeLevel } from '../signing/index.js';
import type { FailureReason } from './classify.js';

export type JobState = 'pending' | 'running' | 'waiting' | 'needs_attention' | 'done' | 'cancelled';
export const liveStates: readonly JobState[] = ['pending', 'running', 'waiting', 'needs_attention'];
export const finalStates: readonly JobState[] = ['done', 'cancelled'];
export type WaitingFor = 'login' | 'token';

/** Which token and certificate to sign with: what the user chose, without the PIN. */
export interface TokenChoice {
  /** PKCS#11 module path. */
  module: string;
  label?: string;
  serial?: string;
  /** Certificate CKA_ID (hex), label or subject CN; the first with a key when absent. */
  cert?: string;
}

export type SignAppearance = 'leader' | 'seal' | 'attachment';

export interface SignJobPayload {
  documentId: number;
  fileId: number;
  /** The revision that was current when the job was queued: the signature goes on that one only. */
  baseRevision: number;
  /** Which signature of Decree 30 this is (recorded with the revision). */
  appearance: SignAppearance;
  /** No widget on the page (the signature is still recorded as this appearance's). */
  invisible?: boolean;
  level: SigningLevel;
  tsaUrl?: string;
  token: TokenChoice;
  /** The PNG (leader's signature or agency seal) kept in the blob store. */
  imageSha256?: string;
  /** Leader without an image: the text-only stamp. */
  textOnly?: boolean;
  page?: number;
  rect?: [number, number, number, number];
  /** Leader: the printed name under the signature, to place the image automatically. */
  signerName?: string;
  /** Attachment stamp: number and notation of the main document. */
  documentNotation?: string;
  reason?: string;
  location?: string;
  /** The document's state after the signature; null keeps it. Default by appearance (leader: signed_by_leader, seal: issued). */
  transitionTo?: DocumentState | null;
}

export interface UpgradeJobPayload {
  documentId: number;
  fileId: number;
  level: UpgradeLevel;
  tsaUrl: string;
  /** Queued so the document goes out with its revocation data (see exchange/long-term-before-send): the send waits for it. */
  beforeSend?: boolean;
}

/** What the sync engine's hooks will carry; opaque to the outbox. */
export type HookPayload = Record<string, string | number | boolean | null | string[] | number[]>;

export interface JobPayloads {
  sign: SignJobPayload;
  upgrade: UpgradeJobPayload;
  upload: HookPayload;
  submit: HookPayload;
  /** A status (04/05/06) owed to the sender of an incoming document. */
  status: HookPayload;
}
export type KnownKind = keyof JobPayloads;
export type PayloadOf<K extends string> = K extends KnownKind ? JobPayloads[K] : unknown;

export interface NewJob<K extends string = string> {
  kind: K;
  payload: PayloadOf<K>;
  /** The document the job works on; its lane is `document:<id>` unless `lane` says otherwise. */
  documentId?: number;
  lane?: string;
  batchId?: number;
  maxAttempts?: number;
  /** Not before this time (ms since the epoch). */
  runAfter?: number;
}

export interface JobRecord<P = unknown> {
  id: number;
  kind: string;
  lane: string;
  documentId: number | null;
  batchId: number | null;
  payload: P;
  state: JobState;
  waitingFor: WaitingFor | null;
  attempts: number;
  maxAttempts: number;
  runAfter: number;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  cancelRequested: boolean;
  lastError: FailureReason | null;
  result: unknown;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

export type JobEvent =
  | 'enqueued'
  | 'leased'
  | 'lease_expired'
  | 'released'
  | 'succeeded'
  | 'retry'
  | 'waiting'
  | 'resumed'
  | 'needs_attention'
  | 'cancel_requested'
  | 'cancelled'
  | 'retried_by_user';

export interface JobHistoryEntry {
  jobId: number;
  at: number;
  event: JobEvent;
  attempt: number | null;
  worker: string | null;
  detail: unknown;
}
