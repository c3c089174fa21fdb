// The exchange as the app runs it: a client and engine for the configured server, the outbox's send hooks, the login key from the unlocked token, and events for the renderer.
import { EventEmitter } from 'node:events';
import { ExchangeClient, ExchangeEngine, recordProcessingStep, retryStatuses, STATUS_JOB_KIND, storedUploadLocations, syncDirectory, type ExchangeProgress, type LoginKey, type ProcessingStep } from '../../../core/exchange/index.js';
import type { HookPayload, JobHandler, OutboxWorker, TokenChoice, TokenKeySource } from '../../../core/outbox/index.js';
import type { Store } from '../../../core/store/index.js';
import { TokenSession, TokenSigner, type Signer } from '../../../core/token/index.js';
import type { TrustStore } from '../../../core/trust/index.js';
import type { ValidatePdf } from '../../../core/validation/index.js';
import { isVanthuError, VanthuError } from '../../../shared/errors.js';
import type { IpcEventName, IpcEventPayload } from '../../../shared/ipc-contract.js';
import type { SyncState } from '../../../shared/ipc/exchange.js';
import { settingsOrDefault, type Settings } from '../../../shared/settings.js';

export interface ExchangeServiceOptions {
  store: Store;
  worker: OutboxWorker;
  keys: TokenKeySource;
  trust?: TrustStore;
  /** The origin the server signs logins for, when it differs from the URL's (a proxy; the tests' server). */
  origin?: string;
  /** Poll period while the server's event stream is down (default 30 s). */
  pollMs?: number;
  /** Listen to the server's event stream (default true). */
  useEvents?: boolean;
  /** Fetch OCSP/CRL for incoming documents that carry none (default true). */
  revocationOnline?: boolean;
  /** Where incoming files are validated: the runtime's worker threads (inline when absent). */
  validate?: ValidatePdf;
}

/** An event for the renderer: the IPC event name and its payload. */
export type ExchangeEvent = { [E in IpcEventName]: { name: E; payload: IpcEventPayload<E> } }[IpcEventName];

interface Connection {
  serverUrl: string;
  client: ExchangeClient;
  engine: ExchangeEngine;
}

const SEND_KINDS = "('upload', 'submit', 'status')";
/** The directory changes rarely (mergers, new units): refreshed at login and then at most this often. */
const DIRECTORY_REFRESH_MS = 60 * 60 * 1000;
/** Failures of the login key itself: the token is out or no longer logged in. */
const TOKEN_GONE = new Set(['TOKEN_NOT_LOGGED_IN', 'TOKEN_REMOVED', 'TOKEN_NOT_FOUND', 'TOKEN_PIN_INCORRECT']);

export class ExchangeService extends EventEmitter<{ event: [ExchangeEvent] }> {
  private connection: Connection | undefined;
  private loginKey: LoginKey | undefined;
  private choice: TokenChoice | null = null;
  private receipt: 'auto' | 'manual' = 'manual';
  /** Settings: the TSA to raise documents to B-LT with before sending, or null (no TSA, or turned off). */
  private longTerm: { tsaUrl: string } | null = null;
  private needsLogin = false;
  private lastSync: number | null = null;
  private directoryAt = 0;
  private problem: SyncState['problem'] = null;
  private closed = false;
  /** configure() has run at least once (the runtime's settings at start, or the handlers'). */
  configuredOnce = false;

  constructor(private readonly options: ExchangeServiceOptions) {
    super();
    // Registered once: the hooks follow whichever server is configured now (settings can change it).
    const hook = (step: 'upload' | 'submit' | typeof STATUS_JOB_KIND): JobHandler<HookPayload> => (context) => {
      const engine = this.connection?.engine;
      // No server yet: the send waits like one waiting for a login, and runs once both are there.
      if (!engine) throw new VanthuError('EXCHANGE_NEEDS_LOGIN');
      return engine.hooks[step](context).catch((error: unknown) => {
        // The send waits for a login (the outbox knows): the screen must ask for the PIN too.
        if (isVanthuError(error) && (error.code === 'EXCHANGE_NEEDS_LOGIN' || TOKEN_GONE.has(error.code))) this.lostLogin();
        throw error;
      });
    };
    // Replayable: the server answers a file it has, a message id it took or a status event it recorded as the first time.
    options.worker.register('upload', hook('upload'), { completion: 'replayable' }).register('submit', hook('submit'), { completion: 'replayable' });
    // A status that cannot be delivered must not put the incoming document in needs_attention: its work goes on.
    options.worker.register(STATUS_JOB_KIND, hook(STATUS_JOB_KIND), { markDocument: false, completion: 'replayable' });
  }

  get engine(): ExchangeEngine | undefined {
    return this.connection?.engine;
  }

  /** Applies the settings: a new server URL connects anew; the login certificate and receipt mode are kept for the next round. */
  async configure(settings: Settings): Promise<void> {
    this.configuredOnce = true;
    const filled = settingsOrDefault(settings);
    if (JSON.stringify(filled.exchangeLogin) !== JSON.stringify(this.choice)) this.loginKey = undefined;
    this.choice = filled.exchangeLogin;
    this.longTerm = settings.tsaUrl && settings.longTermBeforeSend !== false ? { tsaUrl: settings.tsaUrl } : null;
    const receiptChanged = filled.receiptConfirmation !== this.receipt;
    this.receipt = filled.receiptConfirmation;
    if (this.closed) return;
    if (this.connection?.serverUrl === settings.serverUrl && !receiptChanged) return;
    await this.disconnect();
    if (settings.serverUrl) this.connect(settings.serverUrl);
    if (!this.loginKey) await this.refreshKey();
    this.changed();
  }

  private connect(serverUrl: string): void {
    const client = new ExchangeClient({
      serverUrl,
      ...(this.options.origin ? { origin: this.options.origin } : {}),
      loginKey: () => this.loginKey,
      uploads: storedUploadLocations(this.options.store.db),
    });
    const engine = new ExchangeEngine({
      client,
      store: this.options.store,
      trust: this.options.trust ?? emptyTrust,
      autoReply: this.receipt === 'auto' ? 'accepted' : 'arrived',
      revocationOnline: this.options.revocationOnline ?? true,
      longTermBeforeSend: () => this.longTerm,
      ...(this.options.pollMs ? { pollMs: this.options.pollMs } : {}),
      ...(this.options.useEvents === undefined ? {} : { useEvents: this.options.useEvents }),
      ...(this.options.validate ? { validate: this.options.validate } : {}),
    }).attach(this.options.worker);
    engine.on('online', () => this.changed());
    engine.on('needsLogin', () => {
      this.needsLogin = true;
      this.changed();
    });
    engine.on('problem', (problem) => {
      this.problem = problem;
      // The token was pulled out or logged out: the server login must be redone with the PIN.
      if (TOKEN_GONE.has(problem.code)) this.lostLogin();
      else this.changed();
    });
    engine.on('progress', (event) => this.progress(event));
    engine.on('synced', ({ inbox, at }) => {
      this.lastSync = at;
      this.needsLogin = false;
      this.problem = null;
      if (inbox.stored.length > 0) this.send({ name: 'inbox.arrived', payload: { count: inbox.stored.length, documentIds: inbox.stored.map((s) => s.documentId) } });
      this.changed();
      if (Date.now() - this.directoryAt > DIRECTORY_REFRESH_MS) void this.refreshDirectory();
    });
    this.connection = { serverUrl, client, engine };
    engine.start();
  }

  private async disconnect(): Promise<void> {
    const old = this.connection;
    this.connection = undefined;
    if (old) await old.engine.stop();
  }

  private lostLogin(): void {
    this.loginKey = undefined;
    this.connection?.client.logout();
    this.needsLogin = true;
    this.changed();
  }

  /** The token holding the exchange certificate was unlocked (through any screen): log in with it and run what waited. */
  async tokenLoggedIn(): Promise<void> {
    await this.refreshKey();
    if (this.loginKey) {
      this.needsLogin = false;
      this.connection?.engine.loggedIn();
      this.changed();
    }
  }

  /** Unlocks the exchange certificate's token with the PIN (which goes to the token only) and syncs. */
  async unlock(pin: string): Promise<SyncState> {
    if (!this.choice) throw new VanthuError('BAD_INPUT', { detail: 'chưa chọn chứng thư số đăng nhập máy chủ trong Cài đặt / no exchange login certificate chosen in Settings' });
    await this.options.keys.login(this.choice, pin);
    await this.refreshKey();
    // Logged in to the server here, so a refusal (certificate not bound, untrusted) reaches the screen as the answer.
    if (this.connection) await this.connection.client.login();
    await this.tokenLoggedIn();
    await this.refreshDirectory();
    await this.syncNow();
    return this.state();
  }

  /** Caches the server's agency directory so compose can address recipients offline; a failure keeps the old cache. */
  private async refreshDirectory(): Promise<void> {
    const client = this.connection?.client;
    if (!client) return;
    try {
      await syncDirectory(client, this.options.store.db);
      this.directoryAt = Date.now();
    } catch {
      // Offline or not logged in yet: the cached directory stays, and the next round tries again.
    }
  }

  private async refreshKey(): Promise<void> {
    if (!this.choice) return;
    try {
      const choice = this.choice;
      const { key } = await this.options.keys.key(choice);
      // Each login signature asks the key source again: it checks the token is still logged in (a pulled-out
      // or logged-out token says TOKEN_NOT_LOGGED_IN, which waits for the PIN, instead of a stale key failing).
      // The signer is made afresh for each login: a signer kept across a logout and a new login holds a key handle the token no longer knows.
      const signer: Signer = {
        sign: async (data, algorithm) => {
          await this.options.keys.key(choice);
          const session = await TokenSession.open(choice.module, { ...(choice.label ? { label: choice.label } : {}), ...(choice.serial ? { serial: choice.serial } : {}) });
          return new TokenSigner(session, await session.certificate(choice.cert)).sign(data, algorithm);
        },
      };
      this.loginKey = { signer, certificate: key.certificate, chain: key.chain, keyType: key.keyType };
    } catch {
      // Not logged in, or the token is out: the engine says needsLogin when it needs the key.
      this.loginKey = undefined;
    }
  }

  /** One inbox + status round now; resolves when it is over. */
  async syncNow(): Promise<SyncState> {
    const engine = this.connection?.engine;
    if (!engine) throw new VanthuError('BAD_INPUT', { detail: 'chưa cài đặt máy chủ trao đổi / no exchange server set in Settings' });
    await engine.sync();
    return this.state();
  }

  /** The user's answer on an incoming document: 03, or 02 with a reason. */
  async reply(documentId: number, answer: { code: '03' } | { code: '02'; reason: string }): Promise<void> {
    const engine = this.connection?.engine;
    if (!engine) throw new VanthuError('BAD_INPUT', { detail: 'chưa cài đặt máy chủ trao đổi / no exchange server set in Settings' });
    await engine.reply(documentId, answer);
    this.changed();
  }

  /** A processing step of an accepted incoming document; its status (04/05/06) is queued and goes when the server can be reached. */
  recordStep(documentId: number, step: ProcessingStep): { statusQueued: boolean } {
    const engine = this.connection?.engine;
    const result = engine ? engine.recordStep(documentId, step) : recordProcessingStep(this.options.store, documentId, step);
    if (!engine && result.statusQueued) this.options.worker.poke();
    this.changed();
    return result;
  }

  /** "Gửi lại" on the statuses of an incoming document that the server refused: queued again, the worker looks now. */
  retryStatuses(documentId: number): number {
    const count = retryStatuses(this.options.store.db, documentId);
    if (count > 0) this.options.worker.poke();
    this.changed();
    return count;
  }

  state(): SyncState {
    const db = this.options.store.db;
    const count = (states: string): number =>
      db.prepare<[], number>(`SELECT count(*) FROM outbox_jobs WHERE kind IN ${SEND_KINDS} AND state IN ${states}`).pluck().get() ?? 0;
    return {
      configured: this.connection !== undefined,
      online: this.connection?.client.online ?? false,
      needsLogin: this.connection !== undefined && (this.needsLogin || (this.loginKey === undefined && this.connection.client.agency === undefined)),
      agency: this.connection?.client.agency ?? null,
      lastSync: this.lastSync,
      queued: count("('pending', 'running', 'waiting')"),
      failing: count("('needs_attention')"),
      problem: this.problem,
    };
  }

  private progress(event: ExchangeProgress): void {
    const documentId = 'documentId' in event ? (event.documentId ?? null) : null;
    this.send({
      name: 'sync.progress',
      payload: {
        type: event.type,
        documentId,
        messageId: 'messageId' in event ? (event.messageId ?? null) : null,
        name: 'name' in event ? event.name : null,
        bytesDone: event.type === 'upload' ? event.bytesDone : event.type === 'download' ? event.bytes : null,
        bytesTotal: event.type === 'upload' ? event.bytesTotal : event.type === 'download' ? event.bytes : null,
      },
    });
    if (event.type === 'status' && event.documentId !== null) {
      this.send({ name: 'documents.statusChanged', payload: { documentId: event.documentId, recipient: event.recipient, code: event.code } });
    }
    if (event.type === 'sent') this.changed();
  }

  private changed(): void {
    if (!this.closed) this.send({ name: 'sync.changed', payload: this.state() });
  }

  private send(event: ExchangeEvent): void {
    try {
      this.emit('event', event);
    } catch {
      // A closed window's failure is not the exchange's.
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.disconnect();
  }
}

// Without trust roots nothing incoming verifies, so nothing is taken in: the app always passes its own.
const emptyTrust: TrustStore = { roots: [] };
