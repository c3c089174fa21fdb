// What a server instance needs: its database, trust roots, public origin, receipt key, clock and limits.
import type { BackoffPolicy } from '../core/outbox/backoff.js';
import { layeredRevocationCache, MemoryRevocationCache, type CaIssuerCache, type RevocationCache, type TrustStore } from '../core/trust/index.js';
import type { ServerDatabase } from './db/connect.js';
import { RecentBlobs } from './blobs/recent-blobs.js';
import type { ReceiptKey } from './messages/receipt-key.js';
import { DatabaseCaIssuerCache } from './messages/ca-certificate-cache.js';
import { DatabaseRevocationCache } from './messages/revocation-cache.js';
import { verifierFor, type PdfVerifier, type VerificationSettings } from './messages/verifier.js';

export interface ServerLimits {
  /** JSON bodies (envelopes, login): small. */
  jsonBodyBytes: number;
  /** One uploaded file or upload chunk. */
  blobBytes: number;
  /** Requests per minute per client address. */
  requestsPerMinute: number;
}

export interface ServerConfig {
  database: ServerDatabase;
  trust: TrustStore;
  /** The origin clients sign into their login ("https://exchange.example.gov.vn"); binds a login to this server. */
  origin: string;
  receiptKey: ReceiptKey;
  /** Injectable for tests of expiry; real time otherwise. */
  clock?: () => Date;
  tokenTtlSeconds?: number;
  challengeTtlSeconds?: number;
  /** Ask OCSP/CRL services over the network; refuse a certificate whose status stays unknown when `requireKnown`. */
  revocation?: { online: boolean; requireKnown: boolean; timeoutMs?: number };
  limits?: Partial<ServerLimits>;
  /** Measurements for benchmarks and monitoring: called with the time each PDF's signature check took. */
  metrics?: {
    pdfChecked?: (milliseconds: number) => void;
    /** A submission held as pending (202): a signature's revocation status or timestamp could not be learned yet. */
    submissionHeld?: (messageId: string) => void;
  };
  /** Fastify logger options (pino); false for none. */
  logger?: boolean | Record<string, unknown>;
  /**
   * Where submitted PDFs are verified: inline by default (tests, embedding, tiny deployments); `vanthu server`
   * uses a pool of worker threads sized to the machine ({ threads: 'auto' }). Verdicts are cached either way.
   */
  verification?: VerificationSettings;
  /** How often held ("pending") submissions are looked at for a due re-check (default 15 s; 0: never, tests call recheckPending). */
  pendingCheckMs?: number;
  /** When a held submission is checked again: after `baseMs`, doubling up to `maxMs` (default 30 s to 30 min; Vietnam's responders can be down for hours). */
  pendingRecheck?: BackoffPolicy;
}

export const DEFAULT_PENDING_RECHECK: BackoffPolicy = { baseMs: 30_000, maxMs: 30 * 60_000 };

export const DEFAULT_LIMITS: ServerLimits = { jsonBodyBytes: 1024 * 1024, blobBytes: 100 * 1024 * 1024, requestsPerMinute: 1200 };
export const DEFAULT_TOKEN_TTL_SECONDS = 15 * 60;
/** DESIGN.md: a challenge lives at most five minutes. */
export const MAX_CHALLENGE_TTL_SECONDS = 5 * 60;
/** OCSP answers and CRLs a server process also keeps in memory (one per signer certificate, per CRL). */
export const REMEMBERED_REVOCATION_ANSWERS = 4096;

/** The settings with every default filled in, as the routes use them. */
export interface ResolvedConfig extends ServerConfig {
  clock: () => Date;
  tokenTtlSeconds: number;
  challengeTtlSeconds: number;
  revocation: { online: boolean; requireKnown: boolean; timeoutMs?: number };
  limits: ServerLimits;
  pendingRecheck: BackoffPolicy;
  /** Closed with the server (its worker threads). */
  verifier: PdfVerifier;
  /** OCSP answers and CRLs kept in the database, shared by every process, thread and login check. */
  revocationCache: RevocationCache;
  /** CA certificates fetched from AIA addresses, kept in the database: every process fetches a missing intermediate once. */
  caCertificateCache: CaIssuerCache;
  /** Files this process received lately (PUT /blobs), which the submission naming them then checks from memory. */
  recentBlobs: RecentBlobs;
}

export function resolveConfig(config: ServerConfig): ResolvedConfig {
  // Asked for every signature verified: this process's memory first, then the database all processes share.
  const revocationCache = layeredRevocationCache(new MemoryRevocationCache(REMEMBERED_REVOCATION_ANSWERS), new DatabaseRevocationCache(config.database.db));
  const caCertificateCache = new DatabaseCaIssuerCache(config.database.db);
  return {
    ...config,
    origin: config.origin.replace(/\/+$/, ''),
    clock: config.clock ?? (() => new Date()),
    tokenTtlSeconds: config.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
    challengeTtlSeconds: Math.min(config.challengeTtlSeconds ?? MAX_CHALLENGE_TTL_SECONDS, MAX_CHALLENGE_TTL_SECONDS),
    revocation: config.revocation ?? { online: true, requireKnown: true },
    limits: { ...DEFAULT_LIMITS, ...config.limits },
    pendingRecheck: config.pendingRecheck ?? DEFAULT_PENDING_RECHECK,
    verifier: verifierFor(config.trust, config.verification, revocationCache, caCertificateCache),
    revocationCache,
    caCertificateCache,
    recentBlobs: new RecentBlobs(),
  };
}
