// The CA certificates a new signature should carry: those at hand (token, files) plus the bundle's and the AIA's that lie on the signer's path to a trusted root.
import { equalBytes } from './bytes.js';
import { completeChainOnline, type ChainCompletionOptions } from './aia.js';
import { buildChain } from './chain.js';
import type { TrustStore } from './types.js';

/**
 * `known` plus the intermediates of `leaf`'s best path to a root of `store` (bundled intermediates,
 * and the AIA's — cached, fetched when online): a validator without them shows the signature
 * "untrusted" although the signer did nothing wrong. Roots are left out (validators have their own).
 * Never throws.
 */
export async function chainToEmbed(leaf: Uint8Array, known: Uint8Array[], store: TrustStore, options: ChainCompletionOptions = {}): Promise<Uint8Array[]> {
  const candidates = await completeChainOnline(leaf, known, store, options);
  const chain = buildChain(leaf, candidates, store, new Date());
  const out: Uint8Array[] = [];
  const isRoot = (der: Uint8Array) => store.roots.some((root) => equalBytes(root, der));
  for (const der of [...known, ...chain.path.slice(1)]) {
    if (equalBytes(der, leaf) || isRoot(der) || out.some((seen) => equalBytes(seen, der))) continue;
    out.push(der);
  }
  return out;
}
