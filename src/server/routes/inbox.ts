// GET /v1/inbox?cursor= (unacked deliveries, redelivered until acked) and POST /v1/inbox/ack.
import type { FastifyPluginAsync } from 'fastify';
import { ackRequest, inboxQuery } from '../../shared/exchange-protocol.js';
import type { ResolvedConfig } from '../config.js';
import { relaxedWrites } from '../db/relaxed.js';
import { ackDeliveries, readInbox } from '../messages/inbox.js';
import type { ZodTypeProvider } from '../zod-provider.js';
import { agencyOf, requireAgency } from './guard.js';

export const inboxRoutes = (config: ResolvedConfig): FastifyPluginAsync => async (instance) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  requireAgency(app, config);
  // A delivery counted or an ack lost in a power cut is only counted or acked again: not worth an fsync each.
  const relax = relaxedWrites(config.database);

  app.get('/inbox', { schema: { querystring: inboxQuery } }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    return relax((db) => readInbox(db, agencyOf(request).organId, request.query.cursor ?? 0, request.query.limit ?? 50, config.clock()));
  });

  app.post('/inbox/ack', { schema: { body: ackRequest } }, async (request) =>
    relax((db) => ackDeliveries(db, agencyOf(request).organId, request.body.messageIds, config.clock())),
  );
};
