// Completes a certificate chain from the CA certificates its AIA "CA Issuers" URLs point at, as validators do when a signature lacks the intermediate CA.
import { X509Certificate, createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readSignedData } from '../cms/signed-data-reader.js';
import { buildChain } from './chain.js';
import { fetchBytes, isHttpUrl } from './http.js';
import type { TrustStore } from './types.js';

const MAX_FETCHES = 4;

/** The CA Issuers URLs of a certificate's Authority Information Access extension. */
export function caIssuerUrls(der: Uint8Array): string[] {
  try {
    const access = new X509Certificate(der).infoAccess ?? '';
    return [...access.matchAll(/CA Issuers - URI:(\S+)/g)].map((m) => m[1]!).filter(isHttpUrl);
  } catch {
    return [];
  }
}

/** Certificates from a CA Issuers answer: DER, PEM, or a PKCS#7 certs-only bundle (.p7c). */
export function certificatesFromIssuerAnswer(bytes: Uint8Array): Uint8Array[] {
  const text = Buffer.from(bytes).toString('latin1');
  if (text.includes('-----BEGIN CERTIFICATE-----')) {
    // A damaged block is skipped: a server's bad answer must not end the validation.
    return [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].flatMap((m) => {
      try {
        return [new Uint8Array(new X509Certificate(m[0]).raw)];
      } catch {
        return [];
      }
    });
  }
  try {
    return [new Uint8Array(new X509Certificate(bytes).raw)];
  } catch {
    try {
      return readSignedData(bytes).certificates;
    } catch {
      return [];
    }
  }
}

/**
 * Where CA certificates fetched from a CA Issuers URL are kept, by that URL (a directory for the CLI and the app,
 * the server's database). A cache that cannot answer or keep is only a missed saving: implementations never throw.
 */
export interface CaIssuerCache {
  /** The certificates kept for `url`, or undefined when none are. */
  get(url: string): Promise<Uint8Array[] | undefined>;
  put(url: string, certificates: Uint8Array[]): Promise<void>;
}

const cacheFile = (cacheDir: string, url: string): string => path.join(cacheDir, `${createHash('sha256').update(url).digest('hex')}.der`);

const pemOf = (certificates: Uint8Array[]): string =>
  certificates.map((der) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`).join('');

/** One file per URL in `cacheDir` (the answer's certificates, PEM; files kept by older versions hold the raw answer and still read). */
export function directoryCaIssuerCache(cacheDir: string): CaIssuerCache {
  return {
    async get(url) {
      try {
        const found = certificatesFromIssuerAnswer(new Uint8Array(await readFile(cacheFile(cacheDir, url))));
        return found.length > 0 ? found : undefined;
      } catch {
        return undefined;
      }
    },
    // Written whole or not at all.
    async put(url, certificates) {
      try {
        await mkdir(cacheDir, { recursive: true });
        const file = cacheFile(cacheDir, url);
        const temp = `${file}.${process.pid}.tmp`;
        await writeFile(temp, pemOf(certificates));
        await rename(temp, file);
      } catch {
        // Read-only or full disk: the next run fetches again.
      }
    },
  };
}

export interface ChainCompletionOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Where CA Issuers answers are kept between runs (fetched once); without it (and `cache`) nothing is cached. */
  cacheDir?: string;
  /** Where CA Issuers answers are kept, when not a directory (the server's database); takes precedence over `cacheDir`. */
  cache?: CaIssuerCache;
  /** False: only what the cache already holds, no network. Default true. */
  online?: boolean;
}

/**
 * `candidates` plus whatever issuer certificates the AIA URLs of the chain's top supply (from the
 * cache first, then the network when online), until the chain reaches a trusted root or nothing new
 * can be had. Never throws.
 */
export async function completeChainOnline(leaf: Uint8Array, candidates: Uint8Array[], store: TrustStore, options: ChainCompletionOptions = {}): Promise<Uint8Array[]> {
  const known = [...candidates];
  const seen = new Set<string>();
  const cache = options.cache ?? (options.cacheDir ? directoryCaIssuerCache(options.cacheDir) : undefined);
  for (let round = 0; round < MAX_FETCHES; round++) {
    const chain = buildChain(leaf, known, store, new Date());
    if (chain.trusted) break;
    const top = chain.path.at(-1) ?? leaf;
    const urls = caIssuerUrls(top).filter((url) => !seen.has(url));
    if (urls.length === 0) break;
    for (const url of urls) {
      seen.add(url);
      const cached = await cache?.get(url);
      if (cached) {
        known.push(...cached);
        continue;
      }
      if (options.online === false) continue;
      const outcome = await fetchBytes('CA issuer', url, { accept: 'application/pkix-cert, application/pkcs7-mime, */*' }, options.timeoutMs ?? 10_000, options.fetch ?? fetch);
      if (!('bytes' in outcome)) continue;
      const found = certificatesFromIssuerAnswer(outcome.bytes);
      known.push(...found);
      if (found.length > 0) await cache?.put(url, found);
    }
  }
  return known;
}
