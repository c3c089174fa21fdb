// Accepting a submission: idempotency by message id, recipients and files checked, every PDF verified, routed and audited in one transaction.
import { createHash } from 'node:crypto';
import { expressionBuilder, sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { CertificateInfo } from '../../shared/certificate.js';
import { backoffCeiling, type BackoffPolicy } from '../../core/outbox/backoff.js';
import { canonicalJson, type MessageEnvelope, type SignedReceipt } from '../../shared/exchange-protocol.js';
import { VanthuError } from '../../shared/errors.js';
import type { AuthenticatedAgency } from '../auth/sessions.js';
import { appendAudit, appendAuditAndDeliver, auditAndDeliveryCtes, auditStatementArgs, type AuditEntry, type AuditStatementArgs } from '../audit/audit-log.js';
import { POKE_CHANNEL, pokePayload } from '../events/poke.js';
import { readableBlobBytes, storeVerified } from '../blobs/blob-store.js';
import type { ResolvedConfig } from '../config.js';
import { isUniqueViolation } from '../db/connect.js';
import { isOrganizationCertificate } from '../../core/x509/certificate-holder.js';
import { recognise } from '../directory/agencies.js';
import type { SqlDialectName } from '../db/dialect.js';
import { queryTemplate } from '../db/query-template.js';
import type { MessageTable, ServerSchema } from '../db/schema.js';
import { SubmissionRefused, type Reason } from '../http-errors.js';
import { duplicateCandidatesQuery, duplicateWarningFrom, numberedDocument, type NumberedDocument, type SubmissionWarning } from './duplicates.js';
import { checkPdf } from './pdf-checks.js';
import { signReceipt } from './receipts.js';

export interface SubmitOptions {
  /**
   * Files that come with the submission (an imported edXML package) instead of being uploaded first, by hash:
   * verified like any other, and stored only in the transaction that accepts the message, so a refusal stores nothing.
   */
  inline?: ReadonlyMap<string, Uint8Array>;
  /** Where the submission came from, when not the API (recorded in the audit entry). */
  source?: string;
  /** An edXML package's DocumentId and trace list, written with the message (kept with it while held). */
  edxml?: EdxmlRecord;
}

export interface EdxmlRecord {
  documentId: string;
  traces: { organId: string; timestamp: string }[];
}

/** What the audit records for files sealed by an organization not bound here, its sender known only through the axis. */
export const SEAL_NOT_BOUND_NOTE = 'seal not bound: sender known through the axis';

/** Held, not refused: a file's revocation could not be checked yet; re-checked in the background (pending.ts). */
export interface HeldSubmission {
  state: 'pending';
  messageId: string;
  /** Why it waits (the revocation findings). */
  reasons: Reason[];
  /** When the next re-check is due, from now. */
  retryAfterSeconds: number;
}

const secondsUntil = (iso: string | null, now: Date): number => (iso ? Math.max(0, Math.ceil((Date.parse(iso) - now.getTime()) / 1000)) : 0);

export interface SubmissionResult {
  state?: 'accepted';
  /** False when the same submission was accepted before and its receipt is returned again. */
  created: boolean;
  receipt: SignedReceipt;
  /** Accepted with a warning: the same number and ký hiệu of this agency came before under another id (new submissions only). */
  warnings: SubmissionWarning[];
  /** The recipients were poked by the accepting statement itself (PostgreSQL NOTIFY, delivered at its commit): no poke after. */
  poked?: boolean;
}

const TYPE_VI = { new: 'gửi mới', recall: 'thu hồi', update: 'cập nhật', replace: 'thay thế' } as const;

const envelopeHash = (envelope: MessageEnvelope): string => createHash('sha256').update(canonicalJson(envelope)).digest('hex');

/** The stored receipt when `id` was used before with this very envelope; 422 when with another. */
async function replay(config: ResolvedConfig, id: string, sender: string, hash: string): Promise<SignedReceipt | undefined> {
  const existing = await config.database.db.selectFrom('messages').select(['sender', 'envelope_sha256', 'receipt']).where('id', '=', id).executeTakeFirst();
  if (!existing) return undefined;
  if (existing.sender !== sender || existing.envelope_sha256 !== hash) throw new VanthuError('SERVER_IDEMPOTENCY_CONFLICT', { id });
  return JSON.parse(existing.receipt) as SignedReceipt;
}

/** A held submission under `id`: the same answer again (pending), or its refusal once a re-check refused it. */
async function replayHeld(config: ResolvedConfig, id: string, sender: string, hash: string): Promise<HeldSubmission | undefined> {
  const held = await config.database.db.selectFrom('pending_submissions').select(['sender', 'envelope_sha256', 'state', 'reasons', 'next_check_at']).where('id', '=', id).executeTakeFirst();
  if (!held) return undefined;
  if (held.sender !== sender || held.envelope_sha256 !== hash) throw new VanthuError('SERVER_IDEMPOTENCY_CONFLICT', { id });
  return heldAnswer(config, id, held);
}

/** What a held submission answers again: pending with its reasons, or its refusal once a re-check refused it. */
function heldAnswer(config: ResolvedConfig, id: string, held: { state: string | null; reasons: string; next_check_at: string | null }): HeldSubmission {
  const reasons = JSON.parse(held.reasons) as Reason[];
  if (held.state === 'refused') throw new SubmissionRefused(reasons);
  return { state: 'pending', messageId: id, reasons, retryAfterSeconds: secondsUntil(held.next_check_at, config.clock()) };
}

/**
 * No seal (nor seal rule) of `sender` is bound here. Agencies of this server keep the strict rule (their bound seal);
 * one known only through the axis directory has no seal bound here, so an organization certificate bound to none of
 * ours, in a chain to our roots, stands for it. Once the administrator binds an axis agency's seal (or a rule for it),
 * the strict rule applies to it too.
 */
function noSealBoundHere(sender: string): Expression<SqlBool> {
  const eb = expressionBuilder<ServerSchema, never>();
  return eb.and([
    eb.not(eb.exists(eb.selectFrom('certificate_bindings').select('organ_id').where('organ_id', '=', sender).where('role', '=', 'agency'))),
    eb.not(eb.exists(eb.selectFrom('certificate_rules').select('organ_id').where('organ_id', '=', sender).where('role', '=', 'agency'))),
  ]);
}

/** What a new submission asks the database before its files are verified, read in one round trip (lookUpSubmission). */
export interface SubmissionLookup {
  /** The message accepted earlier under this id, and (when the submission may be held) the held one. */
  earlier: { kind: 'accepted' | 'held'; sender: string; envelope_sha256: string; body: string; state: string | null; next_check_at: string | null }[];
  /** Which of the envelope's recipients are agencies of this server. */
  knownRecipients: ReadonlySet<string>;
  /** The sender is known only through the axis directory (no seal or rule of it bound here). */
  viaAxis: boolean;
  /** Hashes of the certificates bound to the sender as its seal (role agency): a signer among them is the sender's seal. */
  senderSeals: ReadonlySet<string>;
}

type LookupRow = { kind: string; a: string | null; b: string | null; body: string | null; state: string | null; next_check_at: string | null };

/**
 * The replay (accepted, held), the recipients known, whether the sender is known only through the axis, and its bound
 * seals: one statement (a UNION ALL, a row kind each) instead of four round trips per submission.
 */
async function lookUpSubmission(config: ResolvedConfig, id: string, sender: string, recipients: string[], mayHold: boolean): Promise<SubmissionLookup> {
  const rows: LookupRow[] = await submissionLookup.rows(config.database.db, { id, sender, recipients, mayHold });
  const of = (kind: string): LookupRow[] => rows.filter((row) => row.kind === kind);
  return {
    earlier: rows
      .filter((row) => row.kind === 'accepted' || row.kind === 'held')
      .map((row) => ({ kind: row.kind as 'accepted' | 'held', sender: row.a!, envelope_sha256: row.b!, body: row.body!, state: row.state, next_check_at: row.next_check_at })),
    knownRecipients: new Set(of('recipient').map((row) => row.a!)),
    viaAxis: of('axis-only').length > 0,
    senderSeals: new Set(of('seal').map((row) => row.a!)),
  };
}

/** lookUpSubmission's one statement, each part answered from an index (a primary key, certificate_bindings_organ, certificate_rules_organ). */
export function submissionLookupQuery(db: Kysely<ServerSchema>, id: string, sender: string, recipients: readonly string[], mayHold: boolean) {
  const text = sql<string | null>`null`;
  let query = db
    .selectFrom('messages')
    .select((eb) => [sql<string>`'accepted'`.as('kind'), eb.ref('sender').$castTo<string | null>().as('a'), eb.ref('envelope_sha256').$castTo<string | null>().as('b'), eb.ref('receipt').$castTo<string | null>().as('body'), text.as('state'), text.as('next_check_at')])
    .where('id', '=', id)
    .unionAll(
      db
        .selectFrom('certificate_bindings')
        .select((eb) => [sql<string>`'seal'`.as('kind'), eb.ref('cert_sha256').$castTo<string | null>().as('a'), text.as('b'), text.as('body'), text.as('state'), text.as('next_check_at')])
        .where('organ_id', '=', sender)
        .where('role', '=', 'agency'),
    )
    .unionAll(
      db
        .selectFrom('axis_agencies')
        .select([sql<string>`'axis-only'`.as('kind'), text.as('a'), text.as('b'), text.as('body'), text.as('state'), text.as('next_check_at')])
        .where('organ_id', '=', sender)
        .where(noSealBoundHere(sender)),
    );
  if (recipients.length > 0) {
    query = query.unionAll(
      db.selectFrom('agencies').select((eb) => [sql<string>`'recipient'`.as('kind'), eb.ref('organ_id').$castTo<string | null>().as('a'), text.as('b'), text.as('body'), text.as('state'), text.as('next_check_at')]).where('organ_id', 'in', recipients),
    );
  }
  if (mayHold) {
    query = query.unionAll(
      db
        .selectFrom('pending_submissions')
        .select((eb) => [sql<string>`'held'`.as('kind'), eb.ref('sender').$castTo<string | null>().as('a'), eb.ref('envelope_sha256').$castTo<string | null>().as('b'), eb.ref('reasons').$castTo<string | null>().as('body'), eb.ref('state').$castTo<string | null>().as('state'), 'next_check_at'])
        .where('id', '=', id),
    );
  }
  return query;
}

const submissionLookup = queryTemplate((db, { id, sender, recipients, mayHold }: { id: string; sender: string; recipients: readonly string[]; mayHold: boolean }) =>
  submissionLookupQuery(db, id, sender, recipients, mayHold),
);

// accept's statements (SQLite, and a recall on PostgreSQL), each built once (query-template.ts).
const messageInserted = queryTemplate((db, message: MessageTable) => db.insertInto('messages').values(message));
/** The messages row among a statement's other arguments (typed: a column the table gains must be given here too). */
const messageRow = (a: MessageTable): MessageTable => ({ id: a.id, sender: a.sender, type: a.type, in_reply_to: a.in_reply_to, envelope: a.envelope, envelope_sha256: a.envelope_sha256, receipt: a.receipt, created_at: a.created_at });
/** A message's files as a template takes them (one array per column, query-template.ts), and back as message_files rows. */
interface FileColumns {
  id: string;
  sha256: readonly string[];
  role: readonly string[];
  name: readonly string[];
}
const fileRows = (a: FileColumns) => a.sha256.map((sha256, position) => ({ message_id: a.id, position, sha256, role: a.role[position]!, name: a.name[position]! }));
const filesInserted = queryTemplate((db, a: FileColumns) => db.insertInto('message_files').values(fileRows(a)));
const deliveriesInserted = queryTemplate((db, a: { id: string; recipients: readonly string[] }) =>
  db.insertInto('deliveries').values(a.recipients.map((recipient) => ({ message_id: a.id, recipient, status: null, status_before_recall: null, first_delivered_at: null, delivery_count: 0, acked_at: null }))),
);
const numberedEarlierOnSqlite = queryTemplate((db, numbered: NumberedDocument) => duplicateCandidatesQuery(db, 'sqlite', numbered));
const numberedEarlierOnPostgres = queryTemplate((db, numbered: NumberedDocument) => duplicateCandidatesQuery(db, 'postgres', numbered));

/** accept's one statement on PostgreSQL (a submission that recalls nothing): see there. */
const acceptedInOneStatement = queryTemplate((db, a: MessageTable & FileColumns & AuditStatementArgs & { pokes: readonly string[] }) => {
  const files = a.sha256.length > 0 ? sql`files as (${db.insertInto('message_files').values(fileRows(a))}),` : sql``;
  const pokes = a.pokes.length > 0 ? sql`, poked as (select pg_notify(${POKE_CHANNEL}, p.payload) from (values ${sql.join(a.pokes.map((p) => sql`(${p})`))}) as p (payload))` : sql``;
  // A SELECT in WITH runs only if read: the last column reads the pokes.
  return sql<{ seq: string | number }>`
    with message as (${db.insertInto('messages').values(messageRow(a))}),
    ${files}
    ${auditAndDeliveryCtes(a)}
    ${pokes}
    select seq${a.pokes.length > 0 ? sql`, (select count(*) from poked) as poked` : sql``} from entry`;
});

/** The answer to a submission seen before under its id (accepted, or held), from its lookup; undefined when it is new. */
function replayFrom(config: ResolvedConfig, lookup: SubmissionLookup, id: string, sender: string, hash: string): SubmissionResult | HeldSubmission | undefined {
  // An accepted message wins over a held row (its re-check accepted it).
  const row = lookup.earlier.find((r) => r.kind === 'accepted') ?? lookup.earlier[0];
  if (!row) return undefined;
  if (row.sender !== sender || row.envelope_sha256 !== hash) throw new VanthuError('SERVER_IDEMPOTENCY_CONFLICT', { id });
  if (row.kind === 'accepted') return { created: false, receipt: JSON.parse(row.body) as SignedReceipt, warnings: [] };
  return heldAnswer(config, id, { state: row.state, reasons: row.body, next_check_at: row.next_check_at });
}

/** Refuses at once what the server will never accept, holds only what could not be checked yet. */
export async function submitMessage(config: ResolvedConfig, agency: AuthenticatedAgency, id: string, envelope: MessageEnvelope, options: SubmitOptions = {}): Promise<SubmissionResult> {
  const outcome = await submit(config, agency, id, envelope, options, false);
  return outcome as SubmissionResult;
}

/**
 * The API's submission: like submitMessage, but a submission whose only problem is a revocation status not
 * reachable yet is held as pending (stored, not delivered) instead of refused; the idempotent replay answers the same.
 */
export async function submitOrHold(config: ResolvedConfig, agency: AuthenticatedAgency, id: string, envelope: MessageEnvelope, options: SubmitOptions = {}): Promise<SubmissionResult | HeldSubmission> {
  return submit(config, agency, id, envelope, options, true);
}

async function submit(config: ResolvedConfig, agency: AuthenticatedAgency, id: string, envelope: MessageEnvelope, options: SubmitOptions, mayHold: boolean): Promise<SubmissionResult | HeldSubmission> {
  if (envelope.sender !== agency.organId) throw new VanthuError('SERVER_SENDER_MISMATCH', { sender: envelope.sender, agency: agency.organId });
  const hash = envelopeHash(envelope);
  const recipients = [...new Set(envelope.recipients)];
  const lookup = await lookUpSubmission(config, id, agency.organId, recipients, mayHold);
  const earlier = replayFrom(config, lookup, id, agency.organId, hash);
  if (earlier) return earlier;
  await checkRouting(config, agency, envelope, recipients, lookup.knownRecipients);
  const now = config.clock();
  const checked = await checkFiles(config, agency, envelope, options.inline, now, lookup);
  if (checked.refusals.length > 0) throw new SubmissionRefused(checked.refusals);
  if (checked.waiting.length > 0) {
    if (!mayHold) throw new SubmissionRefused(checked.waiting);
    return hold(config, agency, id, envelope, hash, checked.waiting, now, options);
  }
  return accept(config, agency, id, envelope, { hash, recipients, sizes: checked.sizes, sealNotBound: checked.sealNotBound, now, options });
}

/** Recipients known (`known`: which of them are agencies here), and a recall/update/replacement only of our own message and only to whom it reached. */
async function checkRouting(config: ResolvedConfig, agency: AuthenticatedAgency, envelope: MessageEnvelope, recipients: string[], known: ReadonlySet<string>): Promise<void> {
  const { db } = config.database;
  const unknown = recipients.find((r) => !known.has(r));
  if (unknown) throw new VanthuError('SERVER_UNKNOWN_RECIPIENT', { organId: unknown });

  if (envelope.inReplyTo !== undefined || envelope.type !== 'new') {
    const original = envelope.inReplyTo ? await db.selectFrom('messages').select(['id', 'sender']).where('id', '=', envelope.inReplyTo).executeTakeFirst() : undefined;
    if (!original || original.sender !== agency.organId) {
      throw new VanthuError('SERVER_IN_REPLY_TO_INVALID', { id: envelope.inReplyTo ?? '—', type: envelope.type, typeVi: TYPE_VI[envelope.type] });
    }
    // A recall, update or replacement goes only where the original went: others never had it and have no business learning of it.
    const reached = await db.selectFrom('deliveries').select('recipient').where('message_id', '=', original.id).execute();
    const stranger = recipients.find((r) => !reached.some((d) => d.recipient === r));
    if (stranger) throw new VanthuError('SERVER_RECIPIENT_NOT_ORIGINAL', { organId: stranger, id: original.id, type: envelope.type, typeVi: TYPE_VI[envelope.type] });
  }
  if (envelope.files.length === 0 && envelope.type !== 'recall') throw new VanthuError('SERVER_BAD_REQUEST', { detail: 'files: at least one file / cần ít nhất một tệp' });
}

/**
 * Every file present (uploaded by the sender, or inline) and checked: refusals, reasons to wait, and sizes for the receipt.
 * `lookup`: the sender's seals and axis standing as the submission's lookup read them (asked here when absent).
 */
export async function checkFiles(
  config: ResolvedConfig,
  agency: Pick<AuthenticatedAgency, 'organId'>,
  envelope: MessageEnvelope,
  inline: ReadonlyMap<string, Uint8Array> | undefined,
  now: Date,
  lookup?: Pick<SubmissionLookup, 'viaAxis' | 'senderSeals'>,
): Promise<{ refusals: Reason[]; waiting: Reason[]; sizes: { sha256: string; size: number }[]; sealNotBound: string[] }> {
  const { db } = config.database;
  const isSenderSeal = async (signer: CertificateInfo): Promise<boolean> => {
    // A certificate's hash is bound to one agency at most: one of the sender's seals needs no further question.
    if (lookup?.senderSeals.has(signer.sha256)) return true;
    const binding = await recognise(db, signer);
    return binding?.organId === agency.organId && binding.role === 'agency';
  };
  const viaAxis = lookup ? lookup.viaAxis : await db
    .selectNoFrom((eb) => eb.and([eb.exists(eb.selectFrom('axis_agencies').select('organ_id').where('organ_id', '=', agency.organId)), noSealBoundHere(agency.organId)]).as('yes'))
    .executeTakeFirstOrThrow()
    .then((row) => Boolean(Number(row.yes)));
  const isUnboundOrganizationSeal = async (signer: CertificateInfo): Promise<boolean> => isOrganizationCertificate(signer) && (await recognise(db, signer)) === undefined;
  const refusals: Reason[] = [];
  const waiting: Reason[] = [];
  const sealNotBound: string[] = [];
  const sizes: { sha256: string; size: number }[] = [];
  for (const file of envelope.files) {
    const given = inline?.get(file.sha256);
    if (given && createHash('sha256').update(given).digest('hex') !== file.sha256) {
      throw new VanthuError('SERVER_BLOB_HASH_MISMATCH', { expected: file.sha256, actual: createHash('sha256').update(given).digest('hex') });
    }
    // "Not uploaded" and "uploaded by someone else" look the same: the sender must have uploaded it.
    const bytes = given ?? (await readableBlobBytes(config.database, agency.organId, file.sha256, config.recentBlobs));
    if (!bytes) {
      const error = new VanthuError('SERVER_FILE_MISSING', { name: file.name, sha256: file.sha256 });
      refusals.push({ file: file.sha256, code: error.code, messageVi: error.messageVi, messageEn: error.messageEn });
      continue;
    }
    sizes.push({ sha256: file.sha256, size: bytes.length });
    const started = performance.now();
    const check = await checkPdf(
      { name: file.name, sha256: file.sha256, bytes },
      { trust: config.trust, verifier: config.verifier, online: config.revocation.online, now, sender: agency.organId, isSenderSeal, ...(viaAxis ? { isUnboundOrganizationSeal } : {}) },
    );
    config.metrics?.pdfChecked?.(performance.now() - started);
    refusals.push(...check.refusals);
    waiting.push(...check.waiting);
    if (check.sealNotBound) sealNotBound.push(file.sha256);
  }
  return { refusals, waiting, sizes, sealNotBound };
}

/**
 * Stored as pending, its first re-check scheduled; a concurrent copy of the same submission answers the same.
 * Files that came inline (an edXML package) are stored with it, granted to the sender, so the re-check finds them.
 */
async function hold(config: ResolvedConfig, agency: AuthenticatedAgency, id: string, envelope: MessageEnvelope, hash: string, reasons: Reason[], now: Date, options: SubmitOptions): Promise<HeldSubmission> {
  try {
    await config.database.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('pending_submissions')
        .values({
          id, sender: agency.organId, envelope: JSON.stringify(envelope), envelope_sha256: hash, state: 'pending', reasons: JSON.stringify(reasons),
          attempts: 0, next_check_at: new Date(now.getTime() + pendingRecheckDelay(0, config.pendingRecheck)).toISOString(), created_at: now.toISOString(), checked_at: null,
          edxml: options.edxml ? JSON.stringify(options.edxml) : null,
        })
        .execute();
      for (const [sha256, bytes] of options.inline ?? []) {
        if (envelope.files.some((f) => f.sha256 === sha256)) await storeVerified(trx, agency.organId, sha256, bytes, now);
      }
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const held = await replayHeld(config, id, agency.organId, hash);
    if (held) return held;
    throw error;
  }
  config.metrics?.submissionHeld?.(id);
  return { state: 'pending', messageId: id, reasons, retryAfterSeconds: pendingRecheckDelay(0, config.pendingRecheck) / 1000 };
}

/** How long a pending submission waits before its re-check after `attempts` earlier ones: the backoff's ceiling, no jitter. */
export const pendingRecheckDelay = (attempts: number, backoff: BackoffPolicy): number => backoffCeiling(attempts + 1, backoff);

export interface Acceptance {
  hash: string;
  recipients: string[];
  sizes: { sha256: string; size: number }[];
  /** Files sealed by an organization not bound here (sender known only through the axis): the audit says so. */
  sealNotBound?: string[];
  now: Date;
  options?: SubmitOptions;
  /** Runs in the accepting transaction (a held submission removes its pending row there). */
  alsoInTransaction?: (trx: Transaction<ServerSchema>) => Promise<void>;
}

/** Receipt signed; audit, message, files, deliveries (and a recall's effects) in one transaction. */
export async function accept(config: ResolvedConfig, agency: Pick<AuthenticatedAgency, 'organId'>, id: string, envelope: MessageEnvelope, acceptance: Acceptance): Promise<SubmissionResult> {
  const { db } = config.database;
  const { hash, recipients, sizes, sealNotBound = [], now, options = {} } = acceptance;
  const receipt = signReceipt(config.receiptKey, {
    version: 'vanthu-receipt-v1',
    messageId: id,
    sender: agency.organId,
    recipients,
    envelopeSha256: hash,
    files: sizes,
    acceptedAt: now.toISOString(),
    serverKeyId: config.receiptKey.keyId,
  });
  const warnings: SubmissionWarning[] = [];
  const { dialect } = config.database;
  // On PostgreSQL a submission that recalls nothing is written in one statement, which also pokes its recipients.
  const oneStatement = dialect === 'postgres' && envelope.type !== 'recall';
  try {
    await db.transaction().execute(async (trx) => {
      // First the files that came with it (an imported package's), in hash order, so two imports sharing files never
      // wait on each other crosswise. (A racing copy of this submission fails on the message's id, then answers with
      // the winner's receipt.)
      const inline = [...(options.inline ?? [])].filter(([sha256]) => envelope.files.some((f) => f.sha256 === sha256)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [sha256, bytes] of inline) await storeVerified(trx, agency.organId, sha256, bytes, now);
      const message = { id, sender: agency.organId, type: envelope.type, in_reply_to: envelope.inReplyTo ?? null, envelope: JSON.stringify(envelope), envelope_sha256: hash, receipt: JSON.stringify(receipt), created_at: now.toISOString() };
      const sealNote = sealNotBound.length > 0 ? { seal: SEAL_NOT_BOUND_NOTE, sealNotBound } : {};
      const submitted: AuditEntry = {
        kind: 'submit', organId: agency.organId, messageId: id, at: now.toISOString(),
        detail: { envelopeSha256: hash, type: envelope.type, recipients, files: sizes, ...(options.source ? { source: options.source } : {}), ...sealNote },
      };
      // A recall changes the original's delivery rows before the audit head is locked (the lock order audit-log.ts states).
      let recalled: { recipient: string; status: string | null }[] = [];
      const recall = async (): Promise<void> => {
        if (envelope.type === 'recall' && envelope.inReplyTo) recalled = await recallDeliveries(trx, dialect, envelope.inReplyTo, recipients);
      };
      const fileColumns: FileColumns = { id, sha256: envelope.files.map((f) => f.sha256), role: envelope.files.map((f) => f.role), name: envelope.files.map((f) => f.name) };
      if (oneStatement) {
        // The message, its files, the audit entry (the head locked from here to commit: every submission, delivery and
        // status of every server process waits for it), the deliveries numbered after the lock, and the recipients'
        // pokes (a NOTIFY is delivered at commit, and only if it commits).
        await acceptedInOneStatement.first(trx, {
          ...message,
          ...fileColumns,
          ...auditStatementArgs(submitted, recipients.length > 0 ? id : undefined, recipients),
          pokes: recipients.map((organId) => pokePayload(organId, 'inbox')),
        });
      } else {
        // SQLite: one writer at a time, and the statements run without waiting on the network. PostgreSQL: a recall
        // changes the original's delivery rows here, before the audit head is locked.
        await messageInserted.run(trx, message);
        if (fileColumns.sha256.length > 0) await filesInserted.run(trx, fileColumns);
        await recall();
        // The audit head is locked before the deliveries are numbered, so delivery numbers are handed out in commit
        // order and a reader paging by cursor never skips one that commits late (PostgreSQL: one statement does both).
        if (dialect === 'postgres') await appendAuditAndDeliver(trx, submitted, id, recipients);
        else {
          await appendAudit(trx, submitted, dialect);
          if (recipients.length > 0) await deliveriesInserted.run(trx, { id, recipients });
        }
      }
      if (options.edxml) await trx.insertInto('edxml_documents').values({ message_id: id, document_id: options.edxml.documentId, traces: JSON.stringify(options.edxml.traces) }).execute();
      await acceptance.alsoInTransaction?.(trx);
      // Checked under the audit head's lock (SQLite: the write lock), in a statement after the one that took it: a
      // submission of the same numbered document that committed before is seen (it held the lock until its commit),
      // and one still to come waits for this one's commit and sees it. No lock of its own is needed.
      const numbered = numberedDocument(agency.organId, id, envelope);
      const earlier = numbered ? await (dialect === 'postgres' ? numberedEarlierOnPostgres : numberedEarlierOnSqlite).rows(trx, numbered) : [];
      if (envelope.inReplyTo) await auditRecalled(trx, dialect, recalled, envelope.inReplyTo, agency.organId, id, now);
      const duplicate = duplicateWarningFrom(earlier, agency.organId, envelope);
      if (duplicate) {
        await appendAudit(trx, { kind: 'duplicate-number', organId: agency.organId, messageId: id, at: now.toISOString(), detail: { codeNumber: envelope.metadata.codeNumber, codeNotation: envelope.metadata.codeNotation, earlier: duplicate.earlier } }, dialect);
        warnings.push(duplicate);
      }
    });
  } catch (error) {
    // Two copies of one submission racing: the loser answers with the winner's receipt.
    if (isUniqueViolation(error)) {
      const winner = await replay(config, id, agency.organId, hash);
      if (winner) return { created: false, receipt: winner, warnings: [] };
    }
    throw error;
  }
  return { created: true, receipt, warnings, poked: oneStatement };
}

/**
 * A recall message puts the original into "recall requested" (13) at each recipient it still lives with: the rows
 * locked (PostgreSQL) and changed in seq order; returns them with the status each had, for auditRecalled.
 */
async function recallDeliveries(trx: Transaction<ServerSchema>, dialect: SqlDialectName, originalId: string, recipients: string[]): Promise<{ recipient: string; status: string | null }[]> {
  const query = trx.selectFrom('deliveries').select(['seq', 'recipient', 'status']).where('message_id', '=', originalId).where('recipient', 'in', recipients).orderBy('seq');
  // Read under the row lock, so the status kept as "before the recall" is the one it replaces (SQLite has one writer).
  const deliveries = await (dialect === 'postgres' ? query.forUpdate() : query).execute();
  const changed: { recipient: string; status: string | null }[] = [];
  for (const delivery of deliveries) {
    if (delivery.status === '02' || delivery.status === '13' || delivery.status === '15') continue;
    await trx.updateTable('deliveries').set({ status: '13', status_before_recall: delivery.status }).where('seq', '=', delivery.seq).execute();
    changed.push({ recipient: delivery.recipient, status: delivery.status });
  }
  return changed;
}

/** The audit entries and status events (13) of the deliveries a recall changed, after its own submission's entry. */
async function auditRecalled(trx: Transaction<ServerSchema>, dialect: SqlDialectName, deliveries: { recipient: string; status: string | null }[], originalId: string, sender: string, recallId: string, now: Date): Promise<void> {
  for (const delivery of deliveries) {
    const eventId = `recall:${recallId}:${delivery.recipient}`;
    await appendAudit(trx, { kind: 'status', organId: sender, messageId: originalId, at: now.toISOString(), detail: { eventId, recipient: delivery.recipient, code: '13', from: delivery.status } }, dialect);
    await trx.insertInto('status_events').values({ event_id: eventId, message_id: originalId, sender, recipient: delivery.recipient, by_organ: sender, code: '13', reason: `recall ${recallId}`, created_at: now.toISOString() }).execute();
  }
}
