// Completes a certificate chain from the CA certificates its AIA "CA Issuers" URLs point at, as validators do when a signature lacks the intermediate CA.
import { X509Certificate } from 'node:crypto';
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
    return [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => new Uint8Array(new X509Certificate(m[0]).raw));
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
 * `candidates` plus whatever issuer certificates the AIA URLs of the chain's top supply, until
 * the chain reaches a trusted root or nothing new can be fetched. Never throws.
 */
export async function completeChainOnline(
  leaf: Uint8Array,
  candidates: Uint8Array[],
  store: TrustStore,
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<Uint8Array[]> {
  const known = [...candidates];
  const seen = new Set<string>();
  for (let round = 0; round < MAX_FETCHES; round++) {
    const chain = buildChain(leaf, known, store, new Date());
    if (chain.trusted) break;
    const top = chain.path.at(-1) ?? leaf;
    const urls = caIssuerUrls(top).filter((url) => !seen.has(url));
    if (urls.length === 0) break;
    for (const url of urls) {
      seen.add(url);
      const outcome = await fetchBytes('CA issuer', url, { accept: 'application/pkix-cert, application/pkcs7-mime, */*' }, options.timeoutMs ?? 10_000, options.fetch ?? fetch);
      if ('bytes' in outcome) known.push(...certificatesFromIssuerAnswer(outcome.bytes));
    }
  }
  return known;
}
