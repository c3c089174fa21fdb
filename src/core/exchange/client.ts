// The exchange client: token login by signed challenge (bearer token in memory only), and one method per protocol call.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import {
  authSignedText, challengeResponse, directoryResponse, inboxResponse, signedReceipt, statusFeedResponse, tokenResponse,
  type DirectoryEntry, type InboxItem, type MessageEnvelope, type SignedReceipt, type StatusCode, type StatusEvent,
} from '../../shared/exchange-protocol.js';
import { isVanthuError, VanthuError } from '../../shared/errors.js';
import type { SignatureAlgorithm } from '../../shared/token.js';
import type { Signer } from '../token/index.js';
import { CircuitBreaker, type CircuitOptions } from './circuit.js';
import { httpCall, jsonOf, refusal, type HttpRequest, type HttpResult } from './http.js';
import { statusEventId } from './ids.js';
import type { ServerKey } from './receipt.js';
import type { UploadLocations } from './records.js';
import { uploadBlob, type UploadOptions, type UploadProgress, type UploadResult } from './upload.js';

/** What login needs from an unlocked token: the signer and its certificate chain (the PIN stays with the token session). */
export interface LoginKey {
  signer: Signer;
  certificate: Uint8Array;
  chain: Uint8Array[];
  keyType: 'rsa' | 'ec';
}

export interface ExchangeClientOptions {
  serverUrl: string;
  /** The origin the server signs logins for; by default the server URL's own (differs behind a proxy). */
  origin?: string;
  /** The unlocked token key, or undefined when no PIN session is open (then calls fail with EXCHANGE_NEEDS_LOGIN). */
  loginKey: () => LoginKey | undefined;
  now?: () => Date;
  /** Bytes per tus PATCH: what a cut connection can cost at most. */
  chunkBytes?: number;
  /** Attempts per upload when the connection is cut (each resumes at the server's offset). */
  uploadAttempts?: number;
  /** Where open upload URLs are kept: in memory by default; storedUploadLocations(db) to survive a crash. */
  uploads?: UploadLocations;
  /** When to stop calling a server that keeps failing (see CircuitBreaker). */
  circuit?: CircuitOptions;
}

export interface Agency {
  organId: string;
  name: string;
}

interface Session extends Agency {
  token: string;
  expiresAt: number;
}

/** Waits before the quick retries of a repeatable request after a network fault (ExchangeClient.patiently). */
const QUICK_RETRY_DELAYS_MS = [50, 250];

const serverKeyResponse = z.object({ algorithm: z.string(), keyId: z.string(), publicKeyPem: z.string() });

/** Log in again this long before the token expires, so a request does not race the expiry. */
const EXPIRY_MARGIN_MS = 30_000;

/** The 202 answer of a held submission. */
const heldAnswer = z.object({ state: z.literal('pending'), messageId: z.string(), retryAfterSeconds: z.number().nonnegative() });
/** Advice the server puts beside a receipt (not signed): e.g. the same number and notation sent before. */
const submissionWarnings = z.array(z.object({ code: z.string(), messageVi: z.string(), messageEn: z.string(), earlier: z.array(z.string()).optional() }));
export type SubmissionWarning = z.infer<typeof submissionWarnings>[number];

export class ExchangeClient {
  readonly serverUrl: string;
  readonly origin: string;
  readonly chunkBytes: number;
  readonly uploadAttempts: number;
  private session: Session | undefined;
  private readonly now: () => Date;
  /** tus upload URLs by blob hash, so a retry resumes instead of starting over. */
  readonly uploads: UploadLocations;
  /** Online/offline: subscribe to circuit.on('change'). Every call of this client goes through it. */
  readonly circuit: CircuitBreaker;

  constructor(private readonly options: ExchangeClientOptions) {
    this.serverUrl = options.serverUrl;
    this.origin = options.origin ?? new URL(options.serverUrl).origin;
    this.now = options.now ?? (() => new Date());
    this.chunkBytes = options.chunkBytes ?? 1024 * 1024;
    this.uploadAttempts = options.uploadAttempts ?? 6;
    this.uploads = options.uploads ?? new Map<string, string>();
    this.circuit = new CircuitBreaker({ now: () => this.now().getTime(), ...options.circuit });
  }

  /** The server is believed reachable (the circuit is closed). */
  get online(): boolean {
    return this.circuit.online;
  }

  /** Throws EXCHANGE_OFFLINE unless the circuit lets a request go now. */
  private admit(): void {
    if (this.circuit.allow()) return;
    const retryIn = Math.max(0, (this.circuit.retryAt ?? 0) - this.now().getTime());
    throw new VanthuError('EXCHANGE_OFFLINE', { url: this.serverUrl, retryInSeconds: Math.ceil(retryIn / 1000) });
  }

  /** One request through the circuit: refused at once while it is open; the outcome is counted. */
  async http(request: HttpRequest, init: { signal?: AbortSignal } = {}): Promise<HttpResult> {
    this.admit();
    let result: HttpResult;
    try {
      result = await httpCall(this.serverUrl, request, init);
    } catch (error) {
      this.circuit.failure();
      throw error;
    }
    if (result.status >= 500 || result.status === 429) this.circuit.failure();
    else this.circuit.success();
    return result;
  }

  get agency(): Agency | undefined {
    return this.session ? { organId: this.session.organId, name: this.session.name } : undefined;
  }

  /** Forgets the bearer token (e.g. when the token is pulled out). */
  logout(): void {
    this.session = undefined;
  }

  async login(): Promise<Agency> {
    const key = this.options.loginKey();
    if (!key) throw new VanthuError('EXCHANGE_NEEDS_LOGIN');
    const { nonce } = challengeResponse.parse(jsonOf(await this.expect({ method: 'POST', path: '/v1/auth/challenge' }, [200])));
    const algorithm: SignatureAlgorithm = key.keyType === 'ec' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    const signature = await key.signer.sign(new TextEncoder().encode(authSignedText(this.origin, nonce)), algorithm);
    const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
    const body = JSON.stringify({ certificateChain: [b64(key.certificate), ...key.chain.map(b64)], algorithm, signature: b64(signature), nonce });
    const result = await this.expect({ method: 'POST', path: '/v1/auth/token', headers: { 'content-type': 'application/json' }, body }, [200]);
    const answer = tokenResponse.parse(jsonOf(result));
    this.session = { token: answer.token, expiresAt: Date.parse(answer.expiresAt), organId: answer.agency.organId, name: answer.agency.name };
    return answer.agency;
  }

  /** An authenticated call: logs in when needed, and once more if the server says the token is no longer good. */
  async call(request: HttpRequest): Promise<HttpResult> {
    for (let attempt = 0; ; attempt++) {
      if (!this.session || this.session.expiresAt - EXPIRY_MARGIN_MS <= this.now().getTime()) await this.login();
      const result = await this.http({ ...request, headers: { ...request.headers, authorization: `Bearer ${this.session!.token}` } });
      if (result.status !== 401 || attempt > 0) return result;
      this.session = undefined;
    }
  }

  /**
   * A streaming GET with the bearer token (the event stream): the answer's body is left to the caller.
   * Not counted by the circuit: proxies that refuse long-lived streams must not make a reachable server
   * look offline. While the circuit is open it is not even tried (it would take the probe's place).
   */
  async openStream(path: string, signal: AbortSignal): Promise<Response> {
    // The login (when needed) goes through the circuit on its own.
    if (!this.session || this.session.expiresAt - EXPIRY_MARGIN_MS <= this.now().getTime()) await this.login();
    if (!this.circuit.online) {
      const retryIn = Math.max(0, (this.circuit.retryAt ?? 0) - this.now().getTime());
      throw new VanthuError('EXCHANGE_OFFLINE', { url: this.serverUrl, retryInSeconds: Math.ceil(retryIn / 1000) });
    }
    try {
      return await fetch(new URL(path, this.serverUrl), { headers: { authorization: `Bearer ${this.session!.token}`, accept: 'text/event-stream' }, signal });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new VanthuError('EXCHANGE_UNREACHABLE', { url: this.serverUrl, detail: error instanceof Error ? error.message : String(error) }, { cause: error });
    }
  }

  private async expect(request: HttpRequest, ok: number[]): Promise<HttpResult> {
    const result = await this.http(request);
    if (!ok.includes(result.status)) throw refusal(result);
    return result;
  }

  async authed(request: HttpRequest, ok: number[]): Promise<HttpResult> {
    const result = await this.call(request);
    if (!ok.includes(result.status)) throw refusal(result);
    return result;
  }

  /**
   * `authed` for a request that may be repeated (a read, an ack, a status with its derived event id), retried at
   * once after a network fault: a cut answer or a 5xx costs a fraction of a second here instead of the
   * caller's next round (a pull's early retry waits a second and more, and throws the page's work away). Not
   * after a 429 (the server asked for patience) nor while the circuit is open.
   */
  private async patiently(request: HttpRequest, ok: number[]): Promise<HttpResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.authed(request, ok);
      } catch (error) {
        const quick = isVanthuError(error, 'EXCHANGE_UNREACHABLE') || (isVanthuError(error, 'EXCHANGE_REFUSED') && Number(error.params.status) >= 500);
        if (!quick || attempt >= QUICK_RETRY_DELAYS_MS.length) throw error;
        await sleep(QUICK_RETRY_DELAYS_MS[attempt]);
      }
    }
  }

  async directory(): Promise<DirectoryEntry[]> {
    return directoryResponse.parse(jsonOf(await this.authed({ method: 'GET', path: '/v1/directory' }, [200]))).agencies;
  }

  async serverKey(): Promise<ServerKey> {
    return serverKeyResponse.parse(jsonOf(await this.expect({ method: 'GET', path: '/v1/server-key' }, [200])));
  }

  async hasBlob(sha256: string): Promise<boolean> {
    const result = await this.call({ method: 'HEAD', path: `/v1/blobs/${sha256}` });
    if (result.status === 200) return true;
    if (result.status === 404) return false;
    throw refusal(result);
  }

  uploadBlob(bytes: Uint8Array, onProgress?: UploadProgress, options?: UploadOptions): Promise<UploadResult> {
    return uploadBlob(this, bytes, onProgress, options);
  }

  /** POST /v1/messages: 201 the first time, 200 with the same receipt when the key was already used. */
  async submit(messageId: string, envelope: MessageEnvelope): Promise<SignedReceipt> {
    return (await this.submitWithWarnings(messageId, envelope)).receipt;
  }

  /** As submit, with the server's warnings beside the receipt (a duplicate number and notation). */
  async submitWithWarnings(messageId: string, envelope: MessageEnvelope): Promise<{ receipt: SignedReceipt; warnings: SubmissionWarning[] }> {
    const result = await this.authed(
      { method: 'POST', path: '/v1/messages', headers: { 'content-type': 'application/json', 'idempotency-key': messageId }, body: JSON.stringify(envelope) },
      [200, 201, 202],
    );
    if (result.status === 202) {
      // Held by the server (a revocation status it could not check yet): the same submission asked again later
      // answers the receipt once accepted, or the refusal.
      const held = heldAnswer.safeParse(jsonOf(result));
      const seconds = held.success ? held.data.retryAfterSeconds : 30;
      throw new VanthuError('EXCHANGE_PENDING_CHECK', { messageId, retryInSeconds: Math.min(1800, Math.max(5, Math.ceil(seconds))) });
    }
    const body = jsonOf(result);
    const warnings = submissionWarnings.safeParse((body as { warnings?: unknown } | null)?.warnings ?? []);
    return { receipt: signedReceipt.parse(body), warnings: warnings.success ? warnings.data : [] };
  }

  async inbox(cursor: number, limit = 50): Promise<{ items: InboxItem[]; nextCursor: number }> {
    return inboxResponse.parse(jsonOf(await this.patiently({ method: 'GET', path: `/v1/inbox?cursor=${cursor}&limit=${limit}` }, [200])));
  }

  /**
   * The blob's bytes, refused unless they hash to the name we asked for. Fetched a second time before refusing:
   * bytes changed on the way (a broken cache or proxy) usually arrive whole when asked again.
   */
  async download(sha256: string): Promise<Uint8Array> {
    for (let attempt = 1; ; attempt++) {
      const { body } = await this.patiently({ method: 'GET', path: `/v1/blobs/${sha256}` }, [200]);
      if (createHash('sha256').update(body).digest('hex') === sha256) return body;
      if (attempt >= 2) throw new VanthuError('EXCHANGE_DOWNLOAD_MISMATCH', { sha256 });
    }
  }

  async ack(messageIds: string[]): Promise<void> {
    await this.patiently({ method: 'POST', path: '/v1/inbox/ack', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ messageIds }) }, [200]);
  }

  /** Posts a status; the event id is derived from message and code, so a repeat after a lost answer is recorded once. */
  async postStatus(messageId: string, code: StatusCode, reason?: string): Promise<void> {
    const body = JSON.stringify({ code, eventId: statusEventId(messageId, code), ...(reason ? { reason } : {}) });
    await this.patiently({ method: 'POST', path: `/v1/messages/${messageId}/status`, headers: { 'content-type': 'application/json' }, body }, [200, 201]);
  }

  async statusFeed(cursor: number, limit = 100): Promise<{ events: StatusEvent[]; nextCursor: number }> {
    return statusFeedResponse.parse(jsonOf(await this.patiently({ method: 'GET', path: `/v1/status-feed?cursor=${cursor}&limit=${limit}` }, [200])));
  }
}

export const needsLogin = (error: unknown): boolean => isVanthuError(error, 'EXCHANGE_NEEDS_LOGIN');
