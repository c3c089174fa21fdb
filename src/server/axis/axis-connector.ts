// The exchange server's connector to the national axis: messages to agencies known only through the axis go out as edXML, packages the axis holds for us come in, the axis directory fills ours.
// Everything it must not lose or double is in the server database: a package to send is one row (inserted once), a package taken is imported idempotently before it is acknowledged.
import { sql, type Kysely } from 'kysely';
import { ORGAN_ID_PATTERN, STATUS_CODES } from '../../shared/exchange-protocol.js';
import { isVanthuError } from '../../shared/errors.js';
import type { ResolvedConfig } from '../config.js';
import type { ServerSchema } from '../db/schema.js';
import { exportMessage, exportStatus } from '../edxml/export-message.js';
import { importEdxml } from '../edxml/import-package.js';
import { SubmissionRefused } from '../http-errors.js';
import { AxisClient, type AxisSettings } from './axis-client.js';

export interface AxisConnectorOptions extends AxisSettings {
  /** Between two rounds of sending and polling. */
  pollIntervalMs?: number;
  /** Between two directory syncs. */
  directoryIntervalMs?: number;
  /** A package the axis keeps refusing is given up after this many attempts (and stays in axis_outgoing with its error). */
  maxSendAttempts?: number;
  /** First wait after a failed send; doubled each time, at most maxBackoffMs. */
  sendBackoffMs?: number;
  maxBackoffMs?: number;
  /** Where the connector says what it did (never the secret). */
  log?: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
}

export interface RoundReport {
  queued: number;
  sent: number;
  sendFailures: number;
  imported: number;
  refused: number;
  /** Taken in but held: a signature's revocation could not be checked yet (the axis is told "processing"). */
  held: number;
  /** Held ones decided since: accepted (told "done") or refused on a re-check (told "fail"). */
  settled: number;
  /** Left on the axis, unanswered, until the held original they answer is decided (taken in a later round). */
  deferred: number;
}

/** Codes a recipient here reports and the sender over the axis should hear. */
const OUR_CODES = STATUS_CODES.filter((c) => c !== '13');

/** The newest delivery and status event numbers committed so far. */
async function newestNumbers(db: Kysely<ServerSchema>): Promise<{ delivery: number; status: number }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('deliveries').select((inner) => inner.fn.max('seq').as('n')).as('delivery'),
      eb.selectFrom('status_events').select((inner) => inner.fn.max('seq').as('n')).as('status'),
    ])
    .executeTakeFirstOrThrow();
  return { delivery: Number(row.delivery ?? 0), status: Number(row.status ?? 0) };
}

/** Messages with a delivery numbered in (after, through] to an axis agency, not from the axis, not queued yet: a range of the primary key. */
export function documentsForAxis(db: Kysely<ServerSchema>, after: number, through: number) {
  return db
    .selectFrom('deliveries')
    .innerJoin('axis_agencies', 'axis_agencies.organ_id', 'deliveries.recipient')
    .innerJoin('messages', 'messages.id', 'deliveries.message_id')
    .select('deliveries.message_id')
    .distinct()
    .where('deliveries.seq', '>', after)
    .where('deliveries.seq', '<=', through)
    // A package that came from the axis is not sent back to it.
    .where('messages.sender', 'not in', db.selectFrom('axis_agencies').select('organ_id'))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('axis_outgoing').select('key').whereRef('axis_outgoing.key', '=', sql<string>`'edoc:' || deliveries.message_id`))));
}

/** Our agencies' statuses numbered in (after, through] on documents from the axis, not queued yet: a range of the primary key. */
export function statusesForAxis(db: Kysely<ServerSchema>, after: number, through: number) {
  return db
    .selectFrom('status_events')
    .innerJoin('axis_agencies', 'axis_agencies.organ_id', 'status_events.sender')
    .select(['status_events.event_id', 'status_events.message_id'])
    .where('status_events.seq', '>', after)
    .where('status_events.seq', '<=', through)
    .where('status_events.by_organ', 'not in', db.selectFrom('axis_agencies').select('organ_id'))
    .where('status_events.code', 'in', OUR_CODES)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('axis_outgoing').select('key').whereRef('axis_outgoing.key', '=', sql<string>`'status:' || status_events.event_id`))));
}

/** Packages from the axis held for the server's re-check, oldest first: read every round, through axis_incoming_state (migration 0011). */
export function heldFromAxis(db: Kysely<ServerSchema>) {
  return db.selectFrom('axis_incoming').select(['axis_doc_id', 'message_id']).where('state', '=', 'held').orderBy('updated_at');
}

export class AxisConnector {
  private readonly client: AxisClient;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private lastDirectorySync = 0;
  private stopped = false;
  /**
   * The highest delivery and status event numbers queue() has looked at: each round reads only what came after
   * (0 at start: the first round after a start reads everything once, and what is queued already is skipped).
   */
  private readonly queuedThrough = { delivery: 0, status: 0 };

  constructor(
    private readonly config: ResolvedConfig,
    private readonly options: AxisConnectorOptions,
  ) {
    this.client = new AxisClient(options, config.clock);
  }

  private log(level: 'info' | 'warn', message: string, fields?: Record<string, unknown>): void {
    this.options.log?.(level, message, fields);
  }

  /** Fills the directory with the axis's agencies that are not on this server (ids the exchange cannot carry are skipped). */
  async syncDirectory(): Promise<{ added: number; updated: number; skipped: number }> {
    const db = this.config.database.db;
    const now = this.config.clock().toISOString();
    let added = 0;
    let updated = 0;
    let skipped = 0;
    for (const agency of await this.client.agencies()) {
      const name = agency.name.trim().slice(0, 200);
      if (!ORGAN_ID_PATTERN.test(agency.code) || name === '') {
        skipped += 1;
        continue;
      }
      const local = await db.selectFrom('agencies').leftJoin('axis_agencies', 'axis_agencies.organ_id', 'agencies.organ_id').select(['agencies.organ_id', 'axis_agencies.organ_id as axis']).where('agencies.organ_id', '=', agency.code).executeTakeFirst();
      // An agency on this server stays ours: the axis listing it too does not send its mail away.
      if (local && !local.axis) continue;
      await db.transaction().execute(async (trx) => {
        if (!local) {
          await trx.insertInto('agencies').values({ organ_id: agency.code, name, parent: null, created_at: now }).onConflict((c) => c.column('organ_id').doNothing()).execute();
          await trx.insertInto('axis_agencies').values({ organ_id: agency.code, name, synced_at: now }).onConflict((c) => c.column('organ_id').doNothing()).execute();
          added += 1;
        } else {
          await trx.updateTable('agencies').set({ name }).where('organ_id', '=', agency.code).execute();
          await trx.updateTable('axis_agencies').set({ name, synced_at: now }).where('organ_id', '=', agency.code).execute();
          updated += 1;
        }
      });
    }
    this.log('info', 'axis directory synced', { added, updated, skipped });
    return { added, updated, skipped };
  }

  /**
   * Rows for what must go to the axis and has none yet: documents to axis agencies, our recipients' statuses on axis
   * documents. Only what was numbered since the last round: delivery and status event numbers are handed out under the
   * audit head's lock, held to commit (audit-log.ts), so a row that commits later has a higher number than every row
   * committed before it, and none is passed over. Each round was a read of every delivery and status event ever made.
   */
  private async queue(): Promise<number> {
    const db = this.config.database.db;
    const now = this.config.clock().toISOString();
    const latest = await newestNumbers(db);
    const documents = await documentsForAxis(db, this.queuedThrough.delivery, latest.delivery).execute();
    const statuses = await statusesForAxis(db, this.queuedThrough.status, latest.status).execute();
    const rows = [
      ...documents.map((d) => ({ key: `edoc:${d.message_id}`, kind: 'edoc', message_id: d.message_id, event_id: null })),
      ...statuses.map((s) => ({ key: `status:${s.event_id}`, kind: 'status', message_id: s.message_id, event_id: s.event_id })),
    ];
    for (const row of rows) {
      await db.insertInto('axis_outgoing').values({ ...row, state: 'pending', attempts: 0, next_attempt_at: now, axis_doc_id: null, last_error: null, created_at: now }).onConflict((c) => c.column('key').doNothing()).execute();
    }
    // Only once every row is queued: a round that failed half-way reads the same numbers again.
    Object.assign(this.queuedThrough, latest);
    return rows.length;
  }

  /** The package of one row; built the same way every time (our trace stamped with the message's or event's time), so a resend is the same file. */
  private async packageOf(row: { kind: string; message_id: string; event_id: string | null }): Promise<{ bytes: Uint8Array; from: string }> {
    const db = this.config.database.db;
    const message = await db.selectFrom('messages').select(['sender', 'created_at']).where('id', '=', row.message_id).executeTakeFirstOrThrow();
    if (row.kind === 'edoc') return { bytes: (await exportMessage(db, row.message_id)).bytes, from: message.sender };
    const event = await db.selectFrom('status_events').select(['recipient', 'created_at']).where('event_id', '=', row.event_id!).executeTakeFirstOrThrow();
    return { bytes: (await exportStatus(db, row.message_id, event.recipient, new Date(event.created_at), row.event_id!)).bytes, from: event.recipient };
  }

  private async send(): Promise<{ sent: number; failures: number }> {
    const db = this.config.database.db;
    const now = this.config.clock();
    const due = await db.selectFrom('axis_outgoing').selectAll().where('state', '=', 'pending').where('next_attempt_at', '<=', now.toISOString()).orderBy('created_at').orderBy('key').limit(100).execute();
    let sent = 0;
    let failures = 0;
    for (const row of due) {
      if (this.stopped) break;
      try {
        const { bytes, from } = await this.packageOf(row);
        const docId = await this.client.sendEdoc(bytes, from, row.kind === 'edoc' ? 'edoc' : 'status');
        await db.updateTable('axis_outgoing').set({ state: 'sent', axis_doc_id: docId, attempts: row.attempts + 1, last_error: null }).where('key', '=', row.key).execute();
        sent += 1;
        this.log('info', 'sent to the axis', { key: row.key, docId });
      } catch (error) {
        failures += 1;
        const attempts = row.attempts + 1;
        const wait = Math.min((this.options.sendBackoffMs ?? 5_000) * 2 ** (attempts - 1), this.options.maxBackoffMs ?? 15 * 60_000);
        const detail = isVanthuError(error) ? error.messageEn : String(error);
        const gaveUp = attempts >= (this.options.maxSendAttempts ?? 20);
        await db
          .updateTable('axis_outgoing')
          .set({ attempts, state: gaveUp ? 'failed' : 'pending', next_attempt_at: new Date(now.getTime() + wait).toISOString(), last_error: detail.slice(0, 500) })
          .where('key', '=', row.key)
          .execute();
        this.log('warn', 'sending to the axis failed', { key: row.key, attempts, gaveUp, detail });
      }
    }
    return { sent, failures };
  }

  /**
   * Held packages the server's re-check has decided since (pending.ts): accepted ones are acknowledged "done", refused
   * ones "fail". The axis hears first and the row changes after, so a lost answer is given again next round.
   */
  private async settleHeld(): Promise<number> {
    const db = this.config.database.db;
    let settled = 0;
    for (const row of await heldFromAxis(db).execute()) {
      if (this.stopped) break;
      const messageId = row.message_id ?? '';
      const accepted = await db.selectFrom('messages').select('id').where('id', '=', messageId).executeTakeFirst();
      const pending = accepted ? undefined : await db.selectFrom('pending_submissions').select(['state', 'reasons']).where('id', '=', messageId).executeTakeFirst();
      if (!accepted && pending?.state !== 'refused') continue;
      // The re-check's decision is on disk before the axis hears it (the axis forgets a package it is told is done).
      await this.config.database.durable();
      await this.client.updateStatus(row.axis_doc_id, accepted ? 'done' : 'fail');
      const lastError = pending ? (JSON.parse(pending.reasons) as { messageEn: string }[]).map((r) => r.messageEn).join('; ').slice(0, 500) : null;
      await db.updateTable('axis_incoming').set({ state: accepted ? 'done' : 'refused', last_error: lastError, updated_at: this.config.clock().toISOString() }).where('axis_doc_id', '=', row.axis_doc_id).execute();
      settled += 1;
      this.log(accepted ? 'info' : 'warn', accepted ? 'held package from the axis accepted' : 'held package from the axis refused', { docId: row.axis_doc_id, messageId, detail: lastError });
    }
    return settled;
  }

  /** Takes what the axis holds for us: import (idempotent), record, then acknowledge; a crash before the acknowledgement means the next round imports it again, to no effect. */
  private async receive(): Promise<{ imported: number; refused: number; held: number; deferred: number }> {
    const db = this.config.database.db;
    let imported = 0;
    let refused = 0;
    let held = 0;
    let deferred = 0;
    // Held ones wait for the re-check (settleHeld), however often the axis lists them meanwhile; refused ones the axis
    // lists as "fail" already have our answer. Anything else listed is imported (again, to no effect) and answered.
    const recorded = new Map((await db.selectFrom('axis_incoming').select(['axis_doc_id', 'state']).where('state', 'in', ['held', 'refused']).execute()).map((r) => [r.axis_doc_id, r.state]));
    // Documents first, so a status arriving with its document finds it.
    for (const messageType of ['edoc', 'status'] as const) {
      for (const item of await this.client.receivedList(messageType)) {
        if (this.stopped) return { imported, refused, held, deferred };
        const ours = recorded.get(item.docId);
        if (ours === 'held' || (ours === 'refused' && item.status === 'fail')) continue;
        const bytes = await this.client.getEdoc(item.docId);
        let state: 'done' | 'refused' | 'held';
        let messageId: string | null = null;
        let lastError: string | null = null;
        try {
          const result = await importEdxml(this.config, bytes);
          messageId = result.messageId;
          // Indeterminate only because a revocation responder did not answer: held and re-checked, like an API submission.
          if (result.kind === 'document' && result.state === 'pending') {
            state = 'held';
            lastError = result.reasons.map((r) => r.messageEn).join('; ').slice(0, 500);
          } else state = 'done';
        } catch (error) {
          // An update, recall or status of a document still held: not refused, not answered; taken once the original is decided.
          if (isVanthuError(error) && error.code === 'SERVER_EDXML_ORIGINAL_HELD') {
            deferred += 1;
            this.log('info', 'a package from the axis waits for its held original', { docId: item.docId, messageType });
            continue;
          }
          // A package that is bad, or whose documents fail the checks, is refused for good; anything else (the database) is retried.
          if (!(error instanceof SubmissionRefused) && !isVanthuError(error)) throw error;
          if (isVanthuError(error) && (error.code === 'SERVER_AXIS_UNREACHABLE' || error.code === 'SERVER_SHUTTING_DOWN')) throw error;
          state = 'refused';
          lastError = (error instanceof SubmissionRefused ? `${error.messageEn}: ${error.reasons.map((r) => r.messageEn).join('; ')}` : (error as Error).message).slice(0, 500);
        }
        const at = this.config.clock().toISOString();
        await db
          .insertInto('axis_incoming')
          .values({ axis_doc_id: item.docId, message_type: messageType, state, message_id: messageId, last_error: lastError, updated_at: at })
          .onConflict((c) => c.column('axis_doc_id').doUpdateSet({ state, message_id: messageId, last_error: lastError, updated_at: at }))
          .execute();
        // The import is on disk before the axis hears "done" and forgets the package.
        await this.config.database.durable();
        await this.client.updateStatus(item.docId, state === 'done' ? 'done' : state === 'held' ? 'processing' : 'fail');
        if (state === 'done') imported += 1;
        else if (state === 'held') held += 1;
        else refused += 1;
        const message = { done: 'taken from the axis', held: 'holding a package from the axis for a re-check', refused: 'refused a package from the axis' }[state];
        this.log(state === 'refused' ? 'warn' : 'info', message, { docId: item.docId, messageType, messageId, detail: lastError });
      }
    }
    return { imported, refused, held, deferred };
  }

  /** One round: the directory when due, then queue, send, settle what was held, receive. Network faults end the round; the next one carries on. */
  async round(): Promise<RoundReport> {
    const report: RoundReport = { queued: 0, sent: 0, sendFailures: 0, imported: 0, refused: 0, held: 0, settled: 0, deferred: 0 };
    const now = Date.now();
    if (now - this.lastDirectorySync >= (this.options.directoryIntervalMs ?? 6 * 3600_000)) {
      await this.syncDirectory();
      this.lastDirectorySync = now;
    }
    report.queued = await this.queue();
    const sent = await this.send();
    report.sent = sent.sent;
    report.sendFailures = sent.failures;
    report.settled = await this.settleHeld();
    const received = await this.receive();
    report.imported = received.imported;
    report.refused = received.refused;
    report.held = received.held;
    report.deferred = received.deferred;
    return report;
  }

  /** Rounds every pollIntervalMs until stop(); a failed round is logged and the next one tries again. */
  start(): void {
    this.stopped = false;
    const tick = (): void => {
      this.running = this.round()
        .catch((error: unknown) => this.log('warn', 'axis round failed', { detail: isVanthuError(error) ? error.messageEn : String(error) }))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.pollIntervalMs ?? 30_000);
        });
    };
    tick();
  }

  /** Stops after the package in hand (nothing is left half recorded: each step is its own write). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
