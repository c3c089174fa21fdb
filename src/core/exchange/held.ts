// Incoming documents held "cần kiểm tra lại": judging their files, flagging them, and re-checking them with capped backoff (never returning them automatically).
import { isVanthuError } from '../../shared/errors.js';
import { backoffCeiling } from '../outbox/backoff.js';
import { canTransition } from '../../shared/document.js';
import { getDocument, listFiles, readLatest, SqliteRevocationCache, transition, type Db, type Store } from '../store/index.js';
import type { RevocationCache, TrustStore } from '../trust/index.js';
import { validatePdf, type ValidatePdf } from '../validation/index.js';
import type { ExchangeClient } from './client.js';
import { acceptAsIs, decideIncoming, notPdf, type IncomingDecision } from './verdict-policy.js';

export interface JudgeOptions {
  trust: TrustStore;
  /** Fetch OCSP/CRL when a file carries none. */
  online?: boolean;
  /** Kept OCSP answers and CRLs; the store's own when judging for a store (see `withStoreCache`). */
  revocationCache?: RevocationCache;
  /** Where files are validated: inline by default; the app passes its worker threads (threadedValidator) to keep its main process free. */
  validate?: ValidatePdf;
}

/** The options with the store's revocation cache unless the caller gave one: every pull and re-check shares what was fetched. */
export const withStoreCache = <T extends JudgeOptions>(store: Store, options: T): T =>
  options.revocationCache ? options : { ...options, revocationCache: new SqliteRevocationCache(store.db) };

/** First wait before re-checking a held document, and the longest one (Vietnam's OCSP/TSA can be down for hours). */
export const RECHECK_BASE_MS = 2 * 60_000;
export const RECHECK_MAX_MS = 6 * 3600_000;

/** Capped exponential backoff: 2 min, 4, 8, … up to 6 h after `attempts` re-checks that were still indeterminate. */
export const recheckDelay = (attempts: number): number => backoffCeiling(attempts + 1, { baseMs: RECHECK_BASE_MS, maxMs: RECHECK_MAX_MS });

const looksLikePdf = (bytes: Uint8Array): boolean => Buffer.from(bytes.subarray(0, 1024)).toString('latin1').includes('%PDF-');

/** One file: validated when it is a PDF (a file named .pdf that is not one is returned); other attachments pass as they are. */
export async function judgeFile(bytes: Uint8Array, name: string, options: JudgeOptions): Promise<IncomingDecision> {
  if (!looksLikePdf(bytes)) return name.toLowerCase().endsWith('.pdf') ? notPdf(name) : acceptAsIs;
  return decideIncoming(name, await (options.validate ?? validatePdf)(bytes, { trust: options.trust, online: options.online ?? false, ...(options.revocationCache ? { revocationCache: options.revocationCache } : {}) }));
}

/** A document's decision from its files': any return wins, then any hold (reasons joined), else accept. */
export async function judgeFiles(files: { bytes: Uint8Array; name: string }[], options: JudgeOptions): Promise<IncomingDecision> {
  const held: string[] = [];
  for (const file of files) {
    const decision = await judgeFile(file.bytes, file.name, options);
    if (decision.action === 'return') return decision;
    if (decision.action === 'hold') held.push(decision.reason);
  }
  return held.length > 0 ? { action: 'hold', reason: held.join('; ') } : acceptAsIs;
}

/** The document follows the 03 its sender now has, unless the clerk has moved it on meanwhile. */
export function followAcceptance(db: Db, documentId: number, now: number): void {
  if (canTransition('incoming', getDocument(db, documentId).state, 'accepted')) transition(db, documentId, 'accepted', { now });
}

export interface HeldDocument {
  documentId: number;
  messageId: string;
  /** 'indeterminate': re-checked automatically; 'invalid': a re-check found it invalid, the clerk decides. */
  outcome: 'indeterminate' | 'invalid';
  reason: string;
  attempts: number;
  nextCheckAt: number | null;
  flaggedAt: number;
  checkedAt: number | null;
}

interface HeldRow {
  document_id: number;
  message_id: string;
  outcome: 'indeterminate' | 'invalid';
  reason: string;
  attempts: number;
  next_check_at: number | null;
  flagged_at: number;
  checked_at: number | null;
}

const heldOf = (r: HeldRow): HeldDocument => ({
  documentId: r.document_id, messageId: r.message_id, outcome: r.outcome, reason: r.reason, attempts: r.attempts, nextCheckAt: r.next_check_at, flaggedAt: r.flagged_at, checkedAt: r.checked_at,
});

/** Flags a just-stored document (call inside the transaction that stores it). */
export function flagHeld(db: Db, held: { documentId: number; messageId: string; reason: string }, now = Date.now()): void {
  db.prepare(
    `INSERT INTO incoming_checks (document_id, message_id, outcome, reason, attempts, next_check_at, flagged_at) VALUES (?, ?, 'indeterminate', ?, 0, ?, ?)
     ON CONFLICT (document_id) DO NOTHING`,
  ).run(held.documentId, held.messageId, held.reason.slice(0, 2000), now + recheckDelay(0), now);
}

/** Every flagged document, soonest check first (the clerk's list; invalid ones last). */
export function listHeld(db: Db): HeldDocument[] {
  return db.prepare<[], HeldRow>('SELECT * FROM incoming_checks ORDER BY next_check_at IS NULL, next_check_at, document_id').all().map(heldOf);
}

export function heldDocument(db: Db, documentId: number): HeldDocument | undefined {
  const row = db.prepare<[number], HeldRow>('SELECT * FROM incoming_checks WHERE document_id = ?').get(documentId);
  return row ? heldOf(row) : undefined;
}

/** Why a re-check pass runs: its timer (only due documents), or a change that may decide them all at once. */
export type RecheckTrigger = 'timer' | 'network-back' | 'trust-changed';

export interface RecheckOptions extends JudgeOptions {
  trigger?: RecheckTrigger;
  /** For the automatic 03 once a document turns out valid (autoReply 'accepted'); without it the flag is only cleared. */
  client?: ExchangeClient;
  autoReply?: 'none' | 'arrived' | 'accepted';
  now?: () => number;
}

export interface RecheckResult {
  /** Valid now: flag cleared (and 03 sent, document accepted, with autoReply 'accepted'). */
  cleared: { documentId: number; messageId: string; accepted: boolean }[];
  /** Still indeterminate: next check pushed back. */
  stillHeld: { documentId: number; reason: string; nextCheckAt: number }[];
  /** Invalid on re-check: marked for the clerk, nothing sent. */
  markedInvalid: { documentId: number; reason: string }[];
  /** A re-check that could not finish (the 03 not delivered, a missing file): left as it was for the next pass. */
  failed: { documentId: number; reason: string }[];
}

/** 409: the sender recalled the document meanwhile; the 03 is moot. */
const overtaken = (error: unknown): boolean => isVanthuError(error, 'EXCHANGE_REFUSED') && Number(error.params.status) === 409;

/**
 * Re-validates held documents: the due ones on the timer, every indeterminate one when the network came
 * back or the trust list changed. Never sends 02: a document found invalid waits for the clerk.
 */
export async function recheckHeld(store: Store, options: RecheckOptions): Promise<RecheckResult> {
  const { db } = store;
  const now = options.now ?? Date.now;
  const result: RecheckResult = { cleared: [], stillHeld: [], markedInvalid: [], failed: [] };
  const due = (options.trigger ?? 'timer') === 'timer'
    ? db.prepare<[number], HeldRow>("SELECT * FROM incoming_checks WHERE outcome = 'indeterminate' AND next_check_at <= ? ORDER BY next_check_at").all(now())
    : db.prepare<[], HeldRow>("SELECT * FROM incoming_checks WHERE outcome = 'indeterminate' ORDER BY next_check_at").all();
  for (const row of due.map(heldOf)) {
    try {
      const files = listFiles(db, row.documentId).map((f) => ({ name: f.name, bytes: new Uint8Array(readLatest(db, store.blobs, f.id)) }));
      const decision = await judgeFiles(files, withStoreCache(store, options));
      const at = now();
      if (decision.action === 'hold') {
        const next = at + recheckDelay(row.attempts + 1);
        db.prepare('UPDATE incoming_checks SET attempts = attempts + 1, reason = ?, next_check_at = ?, checked_at = ? WHERE document_id = ?').run(decision.reason.slice(0, 2000), next, at, row.documentId);
        result.stillHeld.push({ documentId: row.documentId, reason: decision.reason, nextCheckAt: next });
      } else if (decision.action === 'return') {
        db.prepare("UPDATE incoming_checks SET outcome = 'invalid', attempts = attempts + 1, reason = ?, next_check_at = NULL, checked_at = ? WHERE document_id = ?").run(decision.reason.slice(0, 2000), at, row.documentId);
        result.markedInvalid.push({ documentId: row.documentId, reason: decision.reason });
      } else {
        // The 03 goes first: if it fails the flag stays and the next pass tries again.
        const accepted = await sendAccepted(options, row);
        db.transaction(() => {
          db.prepare('DELETE FROM incoming_checks WHERE document_id = ?').run(row.documentId);
          if (accepted) followAcceptance(db, row.documentId, at);
        })();
        result.cleared.push({ documentId: row.documentId, messageId: row.messageId, accepted });
      }
    } catch (error) {
      result.failed.push({ documentId: row.documentId, reason: isVanthuError(error) ? `${error.code}: ${error.messageEn}` : String(error) });
    }
  }
  return result;
}

async function sendAccepted(options: RecheckOptions, row: HeldDocument): Promise<boolean> {
  if (options.autoReply !== 'accepted' || !options.client) return false;
  try {
    await options.client.postStatus(row.messageId, '03');
    return true;
  } catch (error) {
    if (overtaken(error)) return false;
    throw error;
  }
}
