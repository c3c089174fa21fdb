// No answer leaves before the commits it could report are on disk; the few routes whose lost writes cost only a retry answer at once.
import type { FastifyInstance } from 'fastify';
import type { ServerDatabase } from '../db/connect.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Answered without waiting for the log's fsync: what the route writes, lost in a power cut, costs only a retry
     * (an upload or a piece sent again, a delivery counted again, an ack repeated), and what it reads is safe to
     * hand out before it is on disk (a file's bytes by their hash; inbox items, which are redelivered until acked
     * and which a sender without a receipt sends again under the same message id).
     */
    answerUnsynced?: boolean;
  }
}

/** The route config of a route that may answer before its writes are on disk (see `answerUnsynced`). */
export const ANSWER_UNSYNCED = { answerUnsynced: true } as const;

/** Every other answer waits for `database.durable()`: one fsync shared by all the answers waiting at the time (db/commit-barrier.ts). */
export function durableAnswers(app: FastifyInstance, database: Pick<ServerDatabase, 'durable'>): void {
  app.addHook('onSend', async (request, _reply, payload) => {
    if (request.routeOptions.config.answerUnsynced !== true) await database.durable();
    return payload;
  });
}
