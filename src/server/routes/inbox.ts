// GET /v1/inbox?cursor= (unacked deliveries, redelivered until acked) and POST /v1/inbox/ack.
import type { FastifyPluginAsync } from 'fastify';
import { ackRequest, inboxQuery } from '../../shared/exchange-protocol.js';
import type { ResolvedConfig } from '../config.js';
import { ackDeliveries, readInbox } from '../messages/inbox.js';
import type { ZodTypeProvider } from '../zod-provider.js';
import { ANSWER_UNSYNCED } from './durable-answers.js';
import { agencyOf, requireAgency } from './guard.js';

export const inboxRoutes = (config: ResolvedConfig): FastifyPluginAsync => async (instance) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  requireAgency(app, config);
  const { db } = config.database;

  app.get('/inbox', { schema: { querystring: inboxQuery }, config: ANSWER_UNSYNCED }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    return readInbox(db, config.database.dialect, agencyOf(request).organId, request.query.cursor ?? 0, request.query.limit ?? 50, config.clock());
  });

  app.post('/inbox/ack', { schema: { body: ackRequest }, config: ANSWER_UNSYNCED }, async (request) => ackDeliveries(db, config.database.dialect, agencyOf(request).organId, request.body.messageIds, config.clock()));
};
