// A revocation cache reached from a worker thread: requests over a MessagePort, answered on the owning thread by its cache (the server's database, the app's store).
import type { MessagePort } from 'node:worker_threads';
import type { RevocationCache, RevocationCacheEntry, RevocationCacheKey } from './revocation-cache.js';

type CacheQuery = { op: 'get'; key: RevocationCacheKey; nowMs: number } | { op: 'put'; entry: RevocationCacheEntry };
type CacheRequest = CacheQuery & { id: number };
type CacheAnswer = { id: number; entry?: RevocationCacheEntry; error?: string };

/** Answers one worker task's cache requests on `port` until it is closed. */
export function serveRevocationCache(port: MessagePort, cache: RevocationCache): void {
  port.on('message', (request: CacheRequest) => {
    const answer = request.op === 'get' ? cache.get(request.key, new Date(request.nowMs)) : cache.put(request.entry).then(() => undefined);
    answer.then(
      (entry) => port.postMessage({ id: request.id, ...(entry ? { entry } : {}) } satisfies CacheAnswer),
      (error: unknown) => port.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) } satisfies CacheAnswer),
    );
  });
}

/** In the worker: the cache as the main thread serves it (Dates and bytes survive structured cloning). */
export function portRevocationCache(port: MessagePort): RevocationCache {
  let next = 0;
  const waiting = new Map<number, { resolve: (answer: CacheAnswer) => void }>();
  port.on('message', (answer: CacheAnswer) => {
    waiting.get(answer.id)?.resolve(answer);
    waiting.delete(answer.id);
  });
  // Only a pending request keeps the thread's port referenced.
  port.unref();
  const ask = (request: CacheQuery): Promise<CacheAnswer> =>
    new Promise<CacheAnswer>((resolve) => {
      const id = next++;
      waiting.set(id, { resolve });
      port.postMessage({ ...request, id });
    }).then((answer) => {
      if (answer.error) throw new Error(answer.error);
      return answer;
    });
  return {
    get: async (key, now) => (await ask({ op: 'get', key, nowMs: now.getTime() })).entry,
    put: async (entry) => {
      await ask({ op: 'put', entry });
    },
  };
}
