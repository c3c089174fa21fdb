// GET /v1/events: a server-sent-events stream that pokes the agency ("inbox", "status") so its client pulls at once.
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsync } from 'fastify';
import type { ResolvedConfig } from '../config.js';
import type { Poker } from '../events/poke.js';
import { agencyOf, requireAgency } from './guard.js';

/** Below the idle timeouts of common proxies, so the stream is not cut while quiet. */
const HEARTBEAT_MS = 25_000;

export const eventRoutes = (config: ResolvedConfig, poker: Poker): FastifyPluginAsync => async (app) => {
  requireAgency(app, config);
  const open = new Set<ServerResponse>();
  // Open streams would keep close() waiting for ever: end them first.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });

  app.get('/events', async (request, reply) => {
    const { organId } = agencyOf(request);
    void reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', connection: 'keep-alive' });
    raw.write(': connected\n\n');
    open.add(raw);
    const unsubscribe = poker.subscribe(organId, (kind) => raw.write(`event: ${kind}\ndata: {}\n\n`));
    const heartbeat = setInterval(() => raw.write(': ping\n\n'), HEARTBEAT_MS);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(raw);
    });
  });
};
