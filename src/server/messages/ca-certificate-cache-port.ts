// The server's CA certificate cache reached from a worker thread: requests over a MessagePort, answered on the main thread by the database-backed cache.
import type { MessagePort } from 'node:worker_threads';
import type { CaIssuerCache } from '../../core/trust/index.js';

type CacheQuery = { op: 'get'; url: string } | { op: 'put'; url: string; certificates: Uint8Array[] };
type CacheRequest = CacheQuery & { id: number };
type CacheAnswer = { id: number; certificates?: Uint8Array[] };

/** Answers one worker task's requests on `port` until it is closed (the cache never throws). */
export function serveCaIssuerCache(port: MessagePort, cache: CaIssuerCache): void {
  port.on('message', (request: CacheRequest) => {
    const answer = request.op === 'get' ? cache.get(request.url) : cache.put(request.url, request.certificates).then(() => undefined);
    void answer.then((certificates) => port.postMessage({ id: request.id, ...(certificates ? { certificates } : {}) } satisfies CacheAnswer));
  });
}

/** In the worker: the cache as the main thread serves it. */
export function portCaIssuerCache(port: MessagePort): CaIssuerCache {
  let next = 0;
  const waiting = new Map<number, (answer: CacheAnswer) => void>();
  port.on('message', (answer: CacheAnswer) => {
    waiting.get(answer.id)?.(answer);
    waiting.delete(answer.id);
  });
  // Only a pending request keeps the thread's port referenced.
  port.unref();
  const ask = (request: CacheQuery): Promise<CacheAnswer> =>
    new Promise<CacheAnswer>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      port.postMessage({ ...request, id });
    });
  return {
    get: async (url) => (await ask({ op: 'get', url })).certificates,
    put: async (url, certificates) => {
      await ask({ op: 'put', url, certificates });
    },
  };
}
