// The exchange engine the app runs: the outbox hooks, inbox and status sync on server pokes (SSE) or by polling, the online signal and progress events.
import { EventEmitter } from 'node:events';
import { isVanthuError } from '../../shared/errors.js';
import { resumeWaiting, wakeUp, type HookPayload, type JobHandler } from '../outbox/index.js';
import type { Store } from '../store/index.js';
import type { TrustStore } from '../trust/index.js';
import type { ValidatePdf } from '../validation/index.js';
import type { ExchangeClient } from './client.js';
import { serverEvents } from './events.js';
import { isTransient } from './http.js';
import { recheckHeld, type RecheckResult, type RecheckTrigger } from './held.js';
import { pullInbox, replyToSender, type PullOptions, type PullResult } from './inbox.js';
import { enqueueRecall, enqueueSend, exchangeHooks, type EnqueueSendOptions } from './outbox-jobs.js';
import { recordProcessingStep, STATUS_JOB_KIND, statusHook, type ProcessingStep } from './processing-status.js';
import { notify, type ExchangeProgress } from './progress.js';
import type { ServerKey } from './receipt.js';
import { findMessage } from './records.js';
import { pollStatusFeed } from './status.js';
import { enqueueLongTermBeforeSend, type LongTermBeforeSend } from './long-term-before-send.js';
import { planSendLane, type SendLanePlan } from './upgrade-gate.js';

export interface ExchangeEngineOptions {
  client: ExchangeClient;
  store: Store;
  /** Roots incoming documents are checked against. */
  trust: TrustStore;
  /** Status sent for each stored document (settings): none, 01, or 01 then 03. Default 'arrived'. */
  autoReply?: PullOptions['autoReply'];
  /** Fetch OCSP/CRL for incoming documents that carry none. */
  revocationOnline?: boolean;
  /** Poll period while the event stream is down (default 30 s). */
  pollMs?: number;
  /** Poll period while the stream is up, to catch a lost poke (default 5 min). */
  idlePollMs?: number;
  /** Listen to the server's event stream (default true); false polls only. */
  useEvents?: boolean;
  /** Where the server's receipt key comes from (default: fetched from the server once). */
  serverKey?: () => Promise<ServerKey>;
  /** Settings: a send waits for the document's pending B-T/B-LT upgrade when the TSA answers (default true). */
  waitForUpgrade?: boolean;
  /** Settings: raise a document signed below B-LT to B-LT (with this TSA) before sending it; unset or null: sent as it is. */
  longTermBeforeSend?: LongTermBeforeSend | (() => LongTermBeforeSend | null);
  /** Longest wait before reconnecting the event stream (default 30 s). */
  maxReconnectMs?: number;
  random?: () => number;
  /** Where incoming files are validated: inline by default; the app passes worker threads (threadedValidator). */
  validate?: ValidatePdf;
  /** First wait before a pull broken by the network is tried again (default 1 s, doubling up to the poll period). */
  syncRetryMs?: number;
}

export interface ExchangeEngineEvents {
  /** The server became reachable (circuit closed) or not (circuit open; retryAt = next probe). */
  online: [{ online: boolean; retryAt: number | null }];
  progress: [ExchangeProgress];
  /** Work waits for the user to unlock the token (enter the PIN); call loggedIn() after. */
  needsLogin: [];
  /** A sync failed for a reason a person should see (transient ones only show as offline). */
  problem: [{ code: string; messageVi: string; messageEn: string }];
  /** One inbox + status round finished. */
  synced: [{ inbox: PullResult; statuses: number; at: number }];
  /** A re-check pass over held ("cần kiểm tra lại") documents finished, outside a sync round. */
  rechecked: [{ trigger: RecheckTrigger; result: RecheckResult; at: number }];
}

/** What the engine needs of the outbox worker that runs its hooks: a nudge when work is ready. */
export interface Pokeable {
  poke(): void;
}

const EXCHANGE_KINDS = ['upload', 'submit', STATUS_JOB_KIND] as const;

export class ExchangeEngine extends EventEmitter<ExchangeEngineEvents> {
  readonly client: ExchangeClient;
  readonly store: Store;
  /** Register with the outbox worker: worker.register('upload', hooks.upload) (createOutboxWorker's `hooks`). */
  readonly hooks: { upload: JobHandler<HookPayload>; submit: JobHandler<HookPayload>; status: JobHandler<HookPayload> };
  private worker: Pokeable | undefined;
  private key: Promise<ServerKey> | undefined;
  private running = false;
  private abort: AbortController | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private streamUp = false;
  private loops: Promise<void>[] = [];
  private syncing: Promise<void> | undefined;
  private syncAgain = false;
  private trust: TrustStore;
  private rechecking: Promise<RecheckResult> | undefined;
  private readonly onCircuit = (change: { online: boolean; retryAt: number | null }): void => {
    this.emit('online', { online: change.online, retryAt: change.retryAt });
    if (change.online) {
      this.resumeSending();
      // Revocation responders are likely reachable again too: every held document is checked now.
      void this.recheck('network-back');
    }
  };

  constructor(private readonly options: ExchangeEngineOptions) {
    super();
    this.client = options.client;
    this.store = options.store;
    this.trust = options.trust;
    this.hooks = {
      ...exchangeHooks({ client: this.client, serverKey: () => this.serverKey(), onProgress: (event) => this.emit('progress', event) }),
      status: statusHook(() => this.client),
    };
  }

  /** The outbox worker that runs `hooks`: poked when a send is queued and when the server comes back. */
  attach(worker: Pokeable): this {
    this.worker = worker;
    return this;
  }

  get online(): boolean {
    return this.client.online;
  }

  /** The server's receipt key, fetched once (again after a failure). */
  serverKey(): Promise<ServerKey> {
    if (this.options.serverKey) return this.options.serverKey();
    this.key ??= this.client.serverKey().catch((error: unknown) => {
      this.key = undefined;
      throw error;
    });
    return this.key;
  }

  /** Starts listening (event stream) and polling; emits 'online' changes from now on. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.client.circuit.on('change', this.onCircuit);
    if (this.options.useEvents ?? true) this.loops.push(this.listen(this.abort.signal));
    this.schedulePoll(0);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.client.circuit.off('change', this.onCircuit);
    this.abort?.abort();
    clearTimeout(this.pollTimer);
    await Promise.allSettled([...this.loops.splice(0), this.syncing, this.rechecking]);
  }

  /**
   * Queues an issued document (or its update/replacement) for sending; the outbox delivers it exactly
   * once. It waits for a pending signature upgrade only when that is B-T/B-LT and the TSA answers now
   * (planSendLane); otherwise it goes at its current level and the upgrade follows.
   */
  async send(documentId: number, options: Omit<EnqueueSendOptions, 'lane'> = {}): Promise<{ messageId: string; plan: SendLanePlan }> {
    const longTerm = typeof this.options.longTermBeforeSend === 'function' ? this.options.longTermBeforeSend() : this.options.longTermBeforeSend;
    if (longTerm) enqueueLongTermBeforeSend(this.store, documentId, longTerm);
    const plan = await planSendLane(this.store, documentId, { waitForUpgrade: this.options.waitForUpgrade ?? true });
    const { messageId } = enqueueSend(this.store, documentId, { ...options, lane: plan.lane });
    this.worker?.poke();
    return { messageId, plan };
  }

  /** Queues the recall of a sent document, with the reason the recipients see. */
  recall(documentId: number, reason: string): { messageId: string } {
    const { messageId } = enqueueRecall(this.store, documentId, reason);
    this.worker?.poke();
    return { messageId };
  }

  /** The user's answer on an incoming document: 03 accepted, or 02 returned with a reason. */
  reply(documentId: number, answer: { code: '03' } | { code: '02'; reason: string }): Promise<void> {
    return replyToSender(this.client, this.store, documentId, answer);
  }

  /** A processing step of an accepted incoming document (submitted, assigned, in progress, done): stored with its status job, which the outbox delivers. */
  recordStep(documentId: number, step: ProcessingStep): { statusQueued: boolean } {
    const result = recordProcessingStep(this.store, documentId, step);
    if (result.statusQueued) this.worker?.poke();
    return result;
  }

  /** The user unlocked the token: work waiting for the login runs now, and the inbox is pulled. */
  loggedIn(): void {
    resumeWaiting(this.store.db, { waitingFor: 'login' });
    this.worker?.poke();
    if (this.running) void this.sync();
  }

  /** The trust list changed (a root added or removed): held documents are checked against the new one at once. */
  trustChanged(trust: TrustStore): Promise<RecheckResult> {
    this.trust = trust;
    return this.recheck('trust-changed');
  }

  /**
   * Re-checks held documents: the due ones ('timer'), or all of them ('network-back', 'trust-changed').
   * One pass at a time; never returns a document (an invalid one waits for the clerk).
   */
  recheck(trigger: RecheckTrigger = 'timer'): Promise<RecheckResult> {
    const run = async (): Promise<RecheckResult> => {
      const result = await recheckHeld(this.store, {
        trust: this.trust,
        online: this.options.revocationOnline ?? true,
        client: this.client,
        autoReply: this.options.autoReply ?? 'arrived',
        trigger,
        ...(this.options.validate ? { validate: this.options.validate } : {}),
      });
      this.emit('rechecked', { trigger, result, at: Date.now() });
      return result;
    };
    const next = (this.rechecking ?? Promise.resolve()).catch(() => undefined).then(run);
    this.rechecking = next;
    void next.catch(() => undefined).finally(() => {
      if (this.rechecking === next) this.rechecking = undefined;
    });
    return next;
  }

  /** Pulls the inbox and the status feed now (coalesced: a call during a round asks for one more round). */
  sync(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.syncAgain = false;
        await this.syncOnce();
      } while (this.syncAgain && this.running);
    })().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private async syncOnce(): Promise<void> {
    try {
      // The due held documents are re-checked at the start of each pull (the poll timer drives them).
      const inbox = await pullInbox(this.client, this.store, {
        trust: this.trust,
        online: this.options.revocationOnline ?? true,
        autoReply: this.options.autoReply ?? 'arrived',
        onProgress: (event) => this.emit('progress', event),
        ...(this.options.validate ? { validate: this.options.validate } : {}),
      });
      const events = await pollStatusFeed(this.client, this.store.db);
      for (const e of events) {
        const link = findMessage(this.store.db, e.messageId);
        notify((event) => this.emit('progress', event), { type: 'status', messageId: e.messageId, documentId: link?.documentId ?? null, recipient: e.recipient, code: e.code });
      }
      // Documents left on the server for the next pull (a download that arrived changed twice, a network cut
      // between its retries) are tried again soon, as after a broken pull, not at the next poll minutes away.
      if (inbox.deferred.length > 0) this.retrySoon();
      else this.syncFailures = 0;
      this.emit('synced', { inbox, statuses: events.length, at: Date.now() });
    } catch (error) {
      // A pull broken by the network is tried again soon, not at the next poll: that is five minutes away while the
      // event stream is up, and the documents left in the inbox would wait for it (or for the next poke). Any other
      // failure ends the run of early retries: the regular polls take over again.
      if (isTransient(error)) this.retrySoon();
      else this.syncFailures = 0;
      if (isVanthuError(error, 'EXCHANGE_NEEDS_LOGIN')) this.emit('needsLogin');
      else if (!isTransient(error)) {
        const reason = isVanthuError(error)
          ? { code: error.code, messageVi: error.messageVi, messageEn: error.messageEn }
          : { code: 'INTERNAL', messageVi: 'Lỗi nội bộ khi đồng bộ', messageEn: `Internal error while syncing: ${String(error)}` };
        this.emit('problem', reason);
      }
    }
  }

  /** Pulls in a row that the network broke (0 after any other outcome): while above 0, an early retry is scheduled. */
  private syncFailures = 0;

  /** The regular poll period: long while the event stream brings pokes, short while it is down. */
  private pollPeriod(): number {
    return this.streamUp ? (this.options.idlePollMs ?? 300_000) : (this.options.pollMs ?? 30_000);
  }

  private retrySoon(): void {
    this.syncFailures++;
    this.schedulePoll(Math.min(this.pollPeriod(), (this.options.syncRetryMs ?? 1_000) * 2 ** Math.min(this.syncFailures - 1, 10)));
  }

  /** The server is back: the send jobs sleeping in backoff are due now, and the worker looks at once. */
  private resumeSending(): void {
    wakeUp(this.store.db, { kinds: EXCHANGE_KINDS });
    this.worker?.poke();
    if (this.running) void this.sync();
  }

  private schedulePoll(delayMs: number): void {
    if (!this.running) return;
    clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => {
      void this.sync().finally(() => {
        // A failed pull has scheduled its own early retry (retrySoon): leave it.
        if (this.syncFailures > 0) return;
        const every = this.pollPeriod();
        // While offline, look again when the circuit lets a probe through, not later.
        const retryAt = this.client.circuit.retryAt;
        this.schedulePoll(retryAt === null ? every : Math.min(every, Math.max(50, retryAt - Date.now())));
      });
    }, delayMs);
    this.pollTimer.unref?.();
  }

  /** The event stream: each poke pulls at once; reconnects with jittered backoff, and syncs on each reconnect (pokes may have been missed). */
  private async listen(signal: AbortSignal): Promise<void> {
    let failures = 0;
    const random = this.options.random ?? Math.random;
    while (!signal.aborted) {
      try {
        for await (const kind of serverEvents(this.client, signal, () => {
          this.streamUp = true;
          failures = 0;
          void this.sync();
        })) {
          if (kind === 'inbox' || kind === 'status') void this.sync();
        }
      } catch (error) {
        if (isVanthuError(error, 'EXCHANGE_NEEDS_LOGIN')) this.emit('needsLogin');
      }
      if (signal.aborted) return;
      // The stream was carrying the pokes: fall back to polling at the short period now.
      if (this.streamUp) this.schedulePoll(this.options.pollMs ?? 30_000);
      this.streamUp = false;
      failures++;
      const ceiling = Math.min(this.options.maxReconnectMs ?? 30_000, 500 * 2 ** Math.min(failures, 10));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.floor(ceiling / 2 + random() * (ceiling / 2)));
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    }
  }
}
