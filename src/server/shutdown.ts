// Graceful shutdown: new requests are refused (503, bilingual) while requests in flight finish, within a drain timeout.
import type { FastifyInstance } from 'fastify';
import { VanthuError } from '../shared/errors.js';
import type { ServerDatabase } from './db/connect.js';

/**
 * Once close() starts, a request that still arrives (a keep-alive connection, a pipelined request) gets
 * SERVER_SHUTTING_DOWN with Connection: close, so the client or the balancer retries on another process.
 */
export function refuseWhileClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    void reply.header('connection', 'close').header('retry-after', '5');
    throw new VanthuError('SERVER_SHUTTING_DOWN');
  });
}

export type ShutdownOutcome = 'drained' | 'timed-out';

/**
 * Stops accepting, lets requests in flight finish for up to `drainMs`, then cuts the connections still open and
 * closes the database. Nothing accepted is lost either way: a submission is accepted when its transaction commits,
 * before its receipt is sent; one cut before the commit is rolled back and its client retries with the same key.
 */
export async function closeGracefully(app: FastifyInstance, database: ServerDatabase, drainMs: number): Promise<ShutdownOutcome> {
  const closed = app.close().then(() => 'drained' as const);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), drainMs);
  });
  const outcome = await Promise.race([closed, timeout]);
  clearTimeout(timer);
  if (outcome === 'timed-out') {
    app.log.warn({ drainMs }, 'drain timeout: closing the connections still open');
    // Requests still running lose their sockets; their handlers finish or fail against the database, which closes after them.
    app.server.closeAllConnections();
    await closed;
  }
  await database.close();
  return outcome;
}
