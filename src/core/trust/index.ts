// Trust: which roots we trust, chains from a certificate to them, and whether a certificate is revoked.
export type { ChainResult, RevocationResult, RevocationStatus, TrustProblem, TrustStore } from './types.js';
export { BUNDLED_TRUST_DIR, readBundledTrust, trustStoreFrom, type BundledTrust } from './trust-store.js';
export { buildChain, MAX_CHAIN_LENGTH } from './chain.js';
export { checkRevocation, DEFAULT_REVOCATION_TIMEOUT_MS, type RevocationOptions } from './revocation.js';
export {
  crlKey,
  issuerKeyOf,
  layeredRevocationCache,
  MemoryRevocationCache,
  ocspKey,
  type RevocationCache,
  type RevocationCacheEntry,
  type RevocationCacheKey,
} from './revocation-cache.js';
export { checkCertificateForSigning, type SigningCheck } from './signing-check.js';
export { caIssuerUrls, completeChainOnline, directoryCaIssuerCache, type CaIssuerCache, type ChainCompletionOptions } from './aia.js';
export { chainToEmbed } from './chain-to-embed.js';
export { portRevocationCache, serveRevocationCache } from './revocation-cache-port.js';
