// certificates.revocation: whether the token certificates a picker shows are revoked, by OCSP/CRL through the kept answers (issue 14's cache), never throwing.
import { createHash } from 'node:crypto';
import type { CertificateRevocation } from '../../../shared/ipc/signing.js';
import { SqliteRevocationCache } from '../../../core/store/index.js';
import { buildChain, checkRevocation, completeChainOnline, type RevocationCache, type TrustStore } from '../../../core/trust/index.js';

export interface RevocationLookup {
  trust: TrustStore | undefined;
  cache?: RevocationCache;
  aiaCacheDir?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const sha256Of = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex');

/**
 * The status of each certificate (DER). The others given serve as issuer candidates (tokens carry their
 * CA chain); the network is asked only for a certificate whose chain reaches a trusted root, so a crafted
 * certificate cannot make the app fetch an address of its choosing.
 */
export async function revocationOf(certificates: Uint8Array[], lookup: RevocationLookup): Promise<CertificateRevocation[]> {
  const trust = lookup.trust ?? { roots: [] };
  const at = new Date();
  return Promise.all(
    certificates.map(async (der): Promise<CertificateRevocation> => {
      const unknown: CertificateRevocation = { sha256: sha256Of(der), status: 'unknown', revokedAt: null };
      try {
        const others = certificates.filter((other) => other !== der);
        const candidates = await completeChainOnline(der, others, trust, { ...(lookup.aiaCacheDir ? { cacheDir: lookup.aiaCacheDir } : {}), timeoutMs: lookup.timeoutMs ?? 5_000, ...(lookup.fetch ? { fetch: lookup.fetch } : {}) });
        const chain = buildChain(der, candidates, trust, at);
        const issuer = chain.path[1];
        if (!chain.trusted || issuer === undefined) return unknown;
        const result = await checkRevocation(der, issuer, {
          at,
          online: true,
          timeoutMs: lookup.timeoutMs ?? 5_000,
          ...(lookup.cache ? { cache: lookup.cache } : {}),
          ...(lookup.fetch ? { fetch: lookup.fetch } : {}),
        });
        if (result.status === 'revoked') return { ...unknown, status: 'revoked', revokedAt: result.revokedAt?.toISOString() ?? null };
        return { ...unknown, status: result.status };
      } catch {
        return unknown;
      }
    }),
  );
}

export const storeRevocationCache = (db: ConstructorParameters<typeof SqliteRevocationCache>[0]): RevocationCache => new SqliteRevocationCache(db);
