// Remembers what was parsed or verified from DER bytes: for the length of one verification (a scope), and across calls for CA certificates.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';

/**
 * Cross-call memory, bounded: only values the caller marks as shared, pure functions of bytes that documents repeat
 * (roots and intermediates; an agency's seal, its TSA's and OCSP responder's certificates; the checks of OCSP answers
 * and CRLs). Everything else read from one file lives in that file's scope and goes with it.
 */
export const SHARED_LIMIT = 2048;
const shared = new Map<string, unknown>();
const scopes = new AsyncLocalStorage<Map<string, unknown>>();

/** A cache key for `der` read as `kind`: the SHA-256 of the bytes, so equal bytes at different places meet. */
export const derKey = (kind: string, der: Uint8Array): string => `${kind}:${createHash('sha256').update(der).digest('base64')}`;

/** Runs `work` with a fresh scope: inside it every `remember` of the same key computes once. */
export function withParseScope<T>(work: () => Promise<T>): Promise<T> {
  return scopes.run(new Map(), work);
}

/**
 * The value for `key`, computed once per scope (outside a scope, every call computes unless the value was shared).
 * `share` decides whether a value also outlives the scope (bounded LRU). A throw is not remembered.
 */
export function remember<T>(key: string, compute: () => T, share?: (value: T) => boolean): T {
  const scope = scopes.getStore();
  if (scope?.has(key)) return scope.get(key) as T;
  if (shared.has(key)) {
    const value = shared.get(key) as T;
    // Most recently used last, so the oldest entry is the first one evicted.
    shared.delete(key);
    shared.set(key, value);
    scope?.set(key, value);
    return value;
  }
  const value = compute();
  scope?.set(key, value);
  if (share?.(value)) {
    shared.set(key, value);
    if (shared.size > SHARED_LIMIT) shared.delete(shared.keys().next().value!);
  }
  return value;
}
