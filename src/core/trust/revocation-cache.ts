// Revocation data kept between checks: OCSP responses by (issuer, serial), CRLs by (issuer, URL), each until its nextUpdate and never after.
import { createHash } from 'node:crypto';
import * as pkijs from 'pkijs';
import { copyBytes, integerHex } from './bytes.js';
import type { TrustCertificate } from './certificate.js';

/** Which piece of evidence: an OCSP answer about one certificate, or one CRL of one issuer. */
export interface RevocationCacheKey {
  kind: 'ocsp' | 'crl';
  /** SHA-256 of the issuer's subject and public key: the same CA key, whatever its certificate's copy. */
  issuer: string;
  /** The certificate's serial (lower-case hex) for OCSP; the distribution point URL for a CRL. */
  subject: string;
}

export interface RevocationCacheEntry {
  key: RevocationCacheKey;
  der: Uint8Array;
  thisUpdate: Date;
  nextUpdate: Date;
}

/**
 * Where kept evidence lives (memory, the client's SQLite store, the server's database). `get` returns
 * only an entry whose nextUpdate is still ahead of `now`: a response past it is never used.
 */
export interface RevocationCache {
  get(key: RevocationCacheKey, now: Date): Promise<RevocationCacheEntry | undefined>;
  put(entry: RevocationCacheEntry): Promise<void>;
}

export const issuerKeyOf = (issuer: TrustCertificate): string =>
  createHash('sha256').update(issuer.subjectDer).update(issuer.publicKeyBits).digest('hex');

export const ocspKey = (cert: TrustCertificate, issuer: TrustCertificate): RevocationCacheKey => ({ kind: 'ocsp', issuer: issuerKeyOf(issuer), subject: integerHex(cert.serial) });

export const crlKey = (issuer: TrustCertificate, url: string): RevocationCacheKey => ({ kind: 'crl', issuer: issuerKeyOf(issuer), subject: url });

const textOf = (key: RevocationCacheKey): string => `${key.kind}|${key.issuer}|${key.subject}`;

/**
 * thisUpdate and nextUpdate of a judged answer (the OCSP single response about `serialHex`, or the CRL).
 * Undefined without a nextUpdate: such an answer says newer information is always available, so it is not kept.
 */
export function validityOf(kind: 'ocsp' | 'crl', der: Uint8Array, serialHex: string): { thisUpdate: Date; nextUpdate: Date } | undefined {
  try {
    if (kind === 'crl') {
      const crl = pkijs.CertificateRevocationList.fromBER(copyBytes(der));
      return crl.nextUpdate ? { thisUpdate: crl.thisUpdate.value, nextUpdate: crl.nextUpdate.value } : undefined;
    }
    const response = pkijs.OCSPResponse.fromBER(copyBytes(der));
    if (!response.responseBytes) return undefined;
    const basic = pkijs.BasicOCSPResponse.fromBER(copyBytes(response.responseBytes.response.valueBlock.valueHexView));
    const single = basic.tbsResponseData.responses.find((r) => integerHex(r.certID.serialNumber.valueBlock.valueHexView) === serialHex);
    return single?.nextUpdate ? { thisUpdate: single.thisUpdate, nextUpdate: single.nextUpdate } : undefined;
  } catch {
    return undefined;
  }
}

/** Kept in this process only, newest per key; bounded so a long-running process does not grow without end. */
export class MemoryRevocationCache implements RevocationCache {
  private readonly entries = new Map<string, RevocationCacheEntry>();

  constructor(private readonly maxEntries = 10_000) {}

  get(key: RevocationCacheKey, now: Date): Promise<RevocationCacheEntry | undefined> {
    const entry = this.entries.get(textOf(key));
    return Promise.resolve(entry && entry.nextUpdate.getTime() > now.getTime() ? entry : undefined);
  }

  put(entry: RevocationCacheEntry): Promise<void> {
    const text = textOf(entry.key);
    const known = this.entries.get(text);
    if (!known || known.nextUpdate.getTime() <= entry.nextUpdate.getTime()) {
      this.entries.delete(text);
      this.entries.set(text, entry);
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    }
    return Promise.resolve();
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * `near` (this process's memory) in front of `far` (a database every process shares): an answer is looked for in
 * `near` first, and one found in `far` is kept in `near` as well, each until its own nextUpdate, as `far` keeps it;
 * an answer put goes to both. The server asks for every signature it verifies: a round trip saved on each.
 */
export function layeredRevocationCache(near: RevocationCache, far: RevocationCache): RevocationCache {
  return {
    get: async (key, now) => {
      const kept = await near.get(key, now);
      if (kept) return kept;
      const shared = await far.get(key, now);
      if (shared) await near.put(shared);
      return shared;
    },
    put: async (entry) => {
      await near.put(entry);
      await far.put(entry);
    },
  };
}

/** The kept answer for `key`, or undefined; a failing cache (a locked or closed database) only means asking the network. */
export async function keptEvidence(cache: RevocationCache | undefined, key: RevocationCacheKey, now: Date): Promise<Uint8Array | undefined> {
  if (!cache) return undefined;
  try {
    return (await cache.get(key, now))?.der;
  } catch {
    return undefined;
  }
}

/** Keeps a fetched answer that settled a status, when it says until when it holds; never throws. */
export async function keepEvidence(cache: RevocationCache | undefined, key: RevocationCacheKey, der: Uint8Array, serialHex: string): Promise<void> {
  if (!cache) return;
  const validity = validityOf(key.kind, der, serialHex);
  if (!validity) return;
  try {
    await cache.put({ key, der, ...validity });
  } catch {
    // Not kept: the next check asks the network again.
  }
}
