// POST /v1/messages (Idempotency-Key), GET /v1/messages/{id}, POST /v1/messages/{id}/status, GET /v1/status-feed.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { inboxQuery, messageEnvelope, messageParams, statusRequest, type MessageEnvelope, type SignedReceipt } from '../../shared/exchange-protocol.js';
import { VanthuError } from '../../shared/errors.js';
import type { ResolvedConfig } from '../config.js';
import { exportMessage } from '../edxml/export-message.js';
import type { Poker } from '../events/poke.js';
import { notFound, type Reason } from '../http-errors.js';
import { concernedBy, postStatus, statusFeed } from '../messages/status.js';
import { submitOrHold } from '../messages/submit.js';
import type { ZodTypeProvider } from '../zod-provider.js';
import { agencyOf, requireAgency } from './guard.js';

const idempotencyKey = z.uuid();

export const messageRoutes = (config: ResolvedConfig, poker: Poker): FastifyPluginAsync => async (instance) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  requireAgency(app, config);
  const { db } = config.database;

  app.post('/messages', { schema: { body: messageEnvelope } }, async (request, reply) => {
    const header = request.headers['idempotency-key'];
    if (header === undefined) throw new VanthuError('SERVER_IDEMPOTENCY_KEY_MISSING');
    const key = idempotencyKey.safeParse(header);
    if (!key.success) throw new VanthuError('SERVER_BAD_REQUEST', { detail: 'Idempotency-Key must be the message UUID' });
    const result = await submitOrHold(config, agencyOf(request), key.data.toLowerCase(), request.body);
    // Held: a revocation status could not be checked yet. Accepted later (delivered, receipt at GET /v1/messages/{id}) or refused.
    if (result.state === 'pending') return reply.status(202).send(result);
    // PostgreSQL: the accepting statement poked them itself (a NOTIFY delivered at its commit).
    if (result.created && !result.poked) await poker.notify(result.receipt.receipt.recipients, 'inbox');
    // The signed receipt as it is, plus warnings beside it (not signed: advice, not proof).
    return reply.status(result.created ? 201 : 200).send(result.warnings.length > 0 ? { ...result.receipt, warnings: result.warnings } : result.receipt);
  });

  app.get('/messages/:id', { schema: { params: messageParams } }, async (request) => {
    const { organId } = agencyOf(request);
    const message = await db.selectFrom('messages').selectAll().where('id', '=', request.params.id).executeTakeFirst();
    const deliveries = message ? await db.selectFrom('deliveries').select(['recipient', 'status']).where('message_id', '=', message.id).execute() : [];
    const recipient = deliveries.find((d) => d.recipient === organId);
    if (!message) {
      // A held submission is its sender's business only: pending, or refused with the reasons.
      const held = await db.selectFrom('pending_submissions').select(['id', 'sender', 'state', 'reasons', 'envelope']).where('id', '=', request.params.id).executeTakeFirst();
      if (!held || held.sender !== organId) throw notFound(`văn bản ${request.params.id}`, `Message ${request.params.id}`);
      return { id: held.id, state: held.state, envelope: JSON.parse(held.envelope) as MessageEnvelope, reasons: JSON.parse(held.reasons) as Reason[] };
    }
    if (message.sender !== organId && !recipient) throw notFound(`văn bản ${request.params.id}`, `Message ${request.params.id}`);
    return {
      id: message.id,
      state: 'accepted',
      envelope: JSON.parse(message.envelope) as MessageEnvelope,
      receipt: JSON.parse(message.receipt) as SignedReceipt,
      // The sender sees every recipient's status; a recipient only its own.
      statuses: (message.sender === organId ? deliveries : [recipient!]).map((d) => ({ recipient: d.recipient, status: d.status })),
    };
  });

  // The message as an edXML (QCVN 102:2016) package, for its sender or a recipient to pass on to the national exchange.
  app.get('/messages/:id/edxml', { schema: { params: messageParams } }, async (request, reply) => {
    const { bytes } = await exportMessage(db, request.params.id, agencyOf(request).organId);
    return reply
      .type('application/xml; charset=utf-8')
      .header('content-disposition', `attachment; filename="${request.params.id}.edxml"`)
      .header('cache-control', 'no-store')
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  });

  app.post('/messages/:id/status', { schema: { params: messageParams, body: statusRequest } }, async (request, reply) => {
    const result = await postStatus(db, config.database.dialect, agencyOf(request).organId, request.params.id, request.body, config.clock());
    // PostgreSQL: the recording statement poked them already.
    if (result.created && !result.poked) await poker.notify(result.events.map((e) => concernedBy(e, result.sender)), 'status');
    return reply.status(result.created ? 201 : 200).send({ events: result.events });
  });

  app.get('/status-feed', { schema: { querystring: inboxQuery } }, async (request) =>
    statusFeed(db, agencyOf(request).organId, request.query.cursor ?? 0, request.query.limit ?? 100),
  );
};
