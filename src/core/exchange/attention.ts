// Documents that need a person: why (from the outbox job's recorded failure) and the actions that fit, and those actions (retry, change recipients and resend, back to signing, cancel, contact).
import { formatNumberNotation, type DocumentState, type Recipient } from '../../shared/document.js';
import { VanthuError } from '../../shared/errors.js';
import { cancelJob, listJobs, retryJob, type FailureReason, type JobRecord } from '../outbox/index.js';
import { addRevision, getDocument, getHistory, listFiles, transition, type Db, type Store } from '../store/index.js';
import { recordHistory } from '../store/documents.js';
import { shortLine, wordsFor, type AttentionAction, type CauseId } from './attention-words.js';
import { enqueueSend } from './outbox-jobs.js';
import { cachedDirectory } from './records.js';

export interface AttentionView {
  documentId: number;
  subject: string;
  /** "05/UBND-VP", or null before the register numbered it. */
  numberNotation: string | null;
  state: DocumentState;
  /** needs_attention: a person must act; retrying: vanthu tries again by itself; waiting: for the token's PIN. */
  kind: 'needs_attention' | 'retrying' | 'waiting';
  cause: CauseId;
  vi: string;
  en: string;
  shortVi: string;
  shortEn: string;
  actions: AttentionAction[];
  /** When it went wrong (ms since the epoch). */
  since: number;
  /** When vanthu tries again by itself, if it will. */
  nextRetryAt: number | null;
  recipients: { organId: string; organName: string }[];
}

const LIVE = new Set(['pending', 'running', 'waiting', 'needs_attention']);
const SEND_KINDS = new Set(['upload', 'submit']);

/** The job that explains the document: one needing attention, else a live one that failed before, else the last failed one. */
function explainingJob(jobs: JobRecord[]): JobRecord | undefined {
  const newestFirst = [...jobs].reverse();
  return (
    newestFirst.find((j) => j.state === 'needs_attention') ??
    newestFirst.find((j) => LIVE.has(j.state) && j.lastError !== null) ??
    newestFirst.find((j) => j.lastError !== null)
  );
}

/** Why the document needs attention and what fits, or null when nothing is wrong with it. */
export function attentionOf(db: Db, documentId: number, now = Date.now()): AttentionView | null {
  const document = getDocument(db, documentId);
  const jobs = listJobs(db, { documentId });
  const job = explainingJob(jobs);
  let kind: AttentionView['kind'];
  if (document.state === 'needs_attention' || job?.state === 'needs_attention') kind = 'needs_attention';
  else if (job && LIVE.has(job.state) && job.state === 'waiting') kind = 'waiting';
  else if (job && LIVE.has(job.state) && job.lastError !== null && job.attempts + (job.state === 'pending' ? 1 : 0) > 0) kind = 'retrying';
  else return null;

  const reason: FailureReason = job?.lastError ?? { code: 'OUTBOX_INTERNAL', messageVi: '', messageEn: '' };
  const nextRetryAt = kind === 'retrying' && job && job.state === 'pending' ? Math.max(job.runAfter, now) : null;
  const words = wordsFor(reason, { nextRetryAt: nextRetryAt ?? undefined });
  // A job that is sleeping before its next try can be started now; one already queued has nothing to retry.
  let actions = words.actions;
  if (kind !== 'needs_attention' && !actions.includes('retry')) actions = ['retry', ...actions];
  if (document.direction !== 'outgoing') actions = actions.filter((a) => a === 'contact' || a === 'retry');
  const intoAttention = getHistory(db, documentId).filter((h) => h.kind === 'state' && h.to === 'needs_attention').at(-1);
  const since = kind === 'needs_attention' ? (intoAttention?.at ?? job?.updatedAt ?? document.updatedAt) : (job?.updatedAt ?? document.updatedAt);
  return {
    documentId,
    subject: document.subject,
    numberNotation: document.codeNumber ? (document.codeNotation ? formatNumberNotation(document.codeNumber, document.codeNotation) : document.codeNumber) : null,
    state: document.state,
    kind,
    cause: words.cause,
    vi: words.vi,
    en: words.en,
    shortVi: shortLine(words.vi),
    shortEn: shortLine(words.en),
    actions,
    since,
    nextRetryAt,
    recipients: document.recipients.map((r) => ({ organId: r.organId, organName: r.organName })),
  };
}

/**
 * The ids listAttention shows. Both directions are named so documents_by_state (direction, state, id) answers: a
 * year of documents is not read each time the list is opened.
 */
export const ATTENTION_IDS_SQL = `SELECT id FROM documents WHERE direction IN ('outgoing', 'incoming') AND state = 'needs_attention'
       UNION
       SELECT document_id FROM outbox_jobs
        WHERE document_id IS NOT NULL AND state IN ('pending', 'running', 'waiting', 'needs_attention') AND last_error IS NOT NULL
       LIMIT ?`;

/** Every document that needs attention or whose sending is being retried, the newest trouble first. */
export function listAttention(db: Db, now = Date.now(), limit = 200): AttentionView[] {
  const ids = db.prepare<[number], number>(ATTENTION_IDS_SQL).pluck().all(limit);
  return ids
    .map((id) => attentionOf(db, id, now))
    .filter((v): v is AttentionView => v !== null)
    .sort((a, b) => b.since - a.since);
}

/** The short reasons of these documents, for register rows. */
export function shortReasons(db: Db, documentIds: readonly number[], now = Date.now()): Map<number, { vi: string; en: string }> {
  if (documentIds.length === 0) return new Map();
  const ids = db
    .prepare<[{ ids: string }], number>(
      `SELECT id FROM documents WHERE id IN (SELECT value FROM json_each(@ids)) AND state = 'needs_attention'
       UNION
       SELECT document_id FROM outbox_jobs WHERE document_id IN (SELECT value FROM json_each(@ids))
          AND state IN ('pending', 'running', 'waiting', 'needs_attention') AND last_error IS NOT NULL`,
    )
    .pluck()
    .all({ ids: JSON.stringify(documentIds) });
  const out = new Map<number, { vi: string; en: string }>();
  for (const id of ids) {
    const view = attentionOf(db, id, now);
    if (view) out.set(id, { vi: view.shortVi, en: view.shortEn });
  }
  return out;
}

/** The state the document was in before it needed attention (a send in progress counts as queued). */
function stateBefore(db: Db, documentId: number): DocumentState | undefined {
  const into = getHistory(db, documentId).filter((h) => h.kind === 'state' && h.to === 'needs_attention').at(-1);
  const from = into?.from as DocumentState | undefined;
  return from === 'sending' || from === 'failed' ? 'queued' : from;
}

function liveJobs(db: Db, documentId: number): JobRecord[] {
  return listJobs(db, { documentId }).filter((j) => LIVE.has(j.state));
}

/** A job running now (an upload or a submit on the wire) cannot be taken back: the user waits for its outcome. */
function refuseWhileRunning(db: Db, documentId: number, to: string): void {
  if (liveJobs(db, documentId).some((j) => j.state === 'running')) {
    throw new VanthuError('ATTENTION_SENDING_NOW', { to });
  }
}

/**
 * Retry: the jobs needing attention run again with fresh attempts and the document goes back to where it
 * was (needs_attention -> queued for a send); a send sleeping before its next try runs now.
 */
export function retryAttention(store: Store, documentId: number, now = Date.now()): DocumentState {
  const db = store.db;
  return db
    .transaction(() => {
      const jobs = liveJobs(db, documentId);
      const stuck = jobs.filter((j) => j.state === 'needs_attention');
      if (stuck.length === 0 && getDocument(db, documentId).state !== 'needs_attention' && !jobs.some((j) => j.state === 'pending' || j.state === 'waiting')) {
        throw new VanthuError('ATTENTION_NOTHING_TO_DO');
      }
      for (const job of stuck) retryJob(db, job.id, now);
      // Sleeping in backoff or waiting for the token: due now (the token's wait ends at its login anyway).
      db.prepare("UPDATE outbox_jobs SET run_after = ?, updated_at = ? WHERE document_id = ? AND state = 'pending' AND run_after > ?").run(now, now, documentId, now);
      if (getDocument(db, documentId).state === 'needs_attention') {
        const back = stateBefore(db, documentId) ?? (jobs.some((j) => SEND_KINDS.has(j.kind)) ? 'queued' : undefined);
        if (back === undefined) throw new VanthuError('ATTENTION_NOTHING_TO_DO');
        transition(db, documentId, back, { reason: 'Người dùng bấm thử lại / retried by the user', now });
      }
      return getDocument(db, documentId).state;
    })
    .immediate();
}

/** Takes the document's live jobs out of the outbox and moves it to `to` (through needs_attention when it is queued). */
function withdraw(db: Db, documentId: number, to: DocumentState, reason: string, now: number): void {
  refuseWhileRunning(db, documentId, to);
  const current = getDocument(db, documentId).state;
  // Nothing in the outbox and nothing stuck: there is nothing to take back (the screen was out of date).
  if (liveJobs(db, documentId).length === 0 && current !== 'needs_attention' && current !== 'queued' && current !== 'failed') {
    if (current === to) return;
    throw new VanthuError('ATTENTION_NOTHING_TO_DO');
  }
  for (const job of liveJobs(db, documentId)) cancelJob(db, job.id, { reason, now });
  const state = getDocument(db, documentId).state;
  if (state === to) return;
  // queued has no way back to issued but through needs_attention: the history shows both moves with the reason.
  if (state === 'queued') transition(db, documentId, 'needs_attention', { reason, now });
  transition(db, documentId, to, { reason, now });
}

/**
 * Cancel: the sending leaves the outbox; the document and its history stay. A send goes back to issued
 * (numbered and sealed, not queued); anything else back to the state it was in before.
 */
export function cancelAttention(store: Store, documentId: number, now = Date.now()): DocumentState {
  const db = store.db;
  return db
    .transaction(() => {
      const document = getDocument(db, documentId);
      const sending = listJobs(db, { documentId }).some((j) => SEND_KINDS.has(j.kind) && LIVE.has(j.state));
      const before = stateBefore(db, documentId);
      const to: DocumentState = sending || before === 'queued' || document.state === 'queued' ? 'issued' : (before ?? document.state);
      withdraw(db, documentId, to, 'Người dùng hủy gửi / cancelled by the user', now);
      return getDocument(db, documentId).state;
    })
    .immediate();
}

/**
 * Edit and resend: new recipients (the refused or wrong ones replaced), then queued again as a new
 * sending, all in one transaction; the old jobs are cancelled, the history keeps both.
 */
export function resendTo(store: Store, documentId: number, recipients: readonly Recipient[], now = Date.now()): { state: DocumentState; messageId: string } {
  const db = store.db;
  if (recipients.length === 0) throw new VanthuError('SIGNING_NO_RECIPIENTS', { id: documentId });
  if (new Set(recipients.map((r) => r.organId)).size !== recipients.length) throw new VanthuError('BAD_INPUT', { detail: 'recipients: an agency is listed twice' });
  return db
    .transaction(() => {
      const document = getDocument(db, documentId);
      if (document.direction !== 'outgoing' || !['needs_attention', 'queued', 'failed', 'issued'].includes(document.state)) {
        throw new VanthuError('ATTENTION_NOTHING_TO_DO');
      }
      withdraw(db, documentId, 'issued', 'Sửa nơi nhận và gửi lại / recipients changed, sent again', now);
      db.prepare('DELETE FROM document_recipients WHERE document_id = ?').run(documentId);
      const add = db.prepare('INSERT INTO document_recipients (document_id, position, organ_id, organ_name) VALUES (?, ?, ?, ?)');
      recipients.forEach((r, position) => add.run(documentId, position, r.organId.trim(), r.organName.trim()));
      recordHistory(db, { documentId, at: now, kind: 'edited', reason: `Nơi nhận / recipients: ${recipients.map((r) => r.organId).join(', ')}` });
      const { messageId } = enqueueSend(store, documentId, { now });
      return { state: getDocument(db, documentId).state, messageId };
    })
    .immediate();
}

/**
 * Back to signing (the server refused the file): the send leaves the outbox and the document goes back to
 * draft, keeping its number and date (the register stays gap-free; issuing again reuses them). Signing
 * again over a refused file cannot heal it (a change after a signature leaves that signature broken), so
 * each file that was signed here gets back, as a new revision, the content it had before its first
 * signature; every earlier revision stays in the history. The leader signs again, the clerk issues again.
 */
export function backToSigning(store: Store, documentId: number, now = Date.now()): DocumentState {
  const db = store.db;
  return db
    .transaction(() => {
      withdraw(db, documentId, 'draft', 'Ký lại vì tệp bị từ chối / back to signing: the file was refused', now);
      for (const file of listFiles(db, documentId)) {
        const firstSigned = file.revisions.findIndex((r) => r.signatureKind !== 'none');
        // Never signed here, or received already signed (nothing unsigned to go back to: the draft lets the user replace it).
        if (firstSigned <= 0) continue;
        const unsigned = file.revisions[firstSigned - 1]!;
        if (file.revisions.at(-1)!.sha256 === unsigned.sha256) continue;
        addRevision(db, store.blobs, file.id, { bytes: store.blobs.read(unsigned.sha256), now });
        recordHistory(db, {
          documentId,
          at: now,
          kind: 'edited',
          reason: `Tệp ${file.name} trở lại bản chưa ký (bản ${unsigned.revision}) để ký lại / ${file.name} back to its unsigned revision ${unsigned.revision} to be signed again`,
        });
      }
      return getDocument(db, documentId).state;
    })
    .immediate();
}

export interface RecipientContact {
  organId: string;
  name: string;
  /** The parent agency's name (or its organ id when the directory lacks it). */
  parent: string | null;
  /** Whether the exchange server's directory knows this organ id. */
  inDirectory: boolean;
}

/** The recipients of the document as the cached directory knows them: name, organ id, parent agency. */
export function contactsOf(db: Db, documentId: number): RecipientContact[] {
  const directory = new Map(cachedDirectory(db).map((e) => [e.organId, e]));
  return getDocument(db, documentId).recipients.map((r) => {
    const entry = directory.get(r.organId);
    const parent = entry?.parent ? (directory.get(entry.parent)?.name ?? entry.parent) : null;
    return { organId: r.organId, name: entry?.name ?? r.organName, parent, inDirectory: entry !== undefined };
  });
}
