// Builds the exchange server: Fastify with zod-validated routes, security headers, rate and size limits, bilingual errors.
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { VanthuError, isVanthuError } from '../shared/errors.js';
import type { AuthenticatedAgency } from './auth/sessions.js';
import { startPendingChecker } from './messages/pending.js';
import { resolveConfig, type ResolvedConfig, type ServerConfig } from './config.js';
import { Poker } from './events/poke.js';
import { errorBodyOf, httpStatusFor } from './http-errors.js';
import { authRoutes } from './routes/auth.js';
import { blobRoutes } from './routes/blobs.js';
import { directoryRoutes } from './routes/directory.js';
import { durableAnswers } from './routes/durable-answers.js';
import { eventRoutes } from './routes/events.js';
import { inboxRoutes } from './routes/inbox.js';
import { databaseRateLimitStore } from './rate-limit-store.js';
import { messageRoutes } from './routes/messages.js';
import { refuseWhileClosing } from './shutdown.js';
import { zodValidatorCompiler } from './zod-provider.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook of protected routes. */
    agency: AuthenticatedAgency | null;
  }
}

/** Fastify's own errors (parsing, limits, validation) in the catalogue's words. */
function asVanthuError(error: FastifyError & { zodDetail?: string }): VanthuError {
  if (isVanthuError(error)) return error;
  if (error.validation || error.zodDetail) return new VanthuError('SERVER_BAD_REQUEST', { detail: error.zodDetail ?? error.message });
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new VanthuError('SERVER_MALFORMED_JSON', { detail: error.message });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new VanthuError('SERVER_PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new VanthuError('SERVER_UNSUPPORTED_MEDIA_TYPE', { type: error.message.replace(/^.*: /, '') });
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return new VanthuError('SERVER_BAD_REQUEST', { detail: error.message });
  return new VanthuError('SERVER_INTERNAL');
}

export async function buildServer(options: ServerConfig): Promise<FastifyInstance> {
  const config: ResolvedConfig = resolveConfig(options);
  const app = Fastify({
    logger: config.logger ?? false,
    bodyLimit: config.limits.jsonBodyBytes,
    // Our own 503 (refuseWhileClosing) says why in both languages; Fastify's would not.
    return503OnClosing: false,
    // Request logs carry method, URL and address only: bearer tokens live in a header pino's serializer leaves out.
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  durableAnswers(app, config.database);
  refuseWhileClosing(app);
  app.decorateRequest('agency', null);
  app.addContentTypeParser(['application/octet-stream', 'application/pdf'], { parseAs: 'buffer', bodyLimit: config.limits.blobBytes }, (_request, body, done) => done(null, body));
  // tus PATCH bodies are not buffered: the route stores them a chunk at a time as they arrive (its length bounds them).
  app.addContentTypeParser('application/offset+octet-stream', (_request, payload, done) => done(null, payload));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const vanthu = asVanthuError(error);
    const status = httpStatusFor(vanthu);
    if (status >= 500 && vanthu.code !== 'SERVER_SHUTTING_DOWN') request.log.error({ err: error }, 'request failed');
    void reply.status(status).header('cache-control', 'no-store').send(errorBodyOf(vanthu));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new VanthuError('SERVER_ROUTE_NOT_FOUND', { method: request.method, url: request.url.split('?')[0] });
    void reply.status(404).send(errorBodyOf(error));
  });

  await app.register(helmet, { contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } });
  await app.register(rateLimit, {
    max: config.limits.requestsPerMinute,
    timeWindow: 60_000,
    // Several processes on one PostgreSQL share one count per client (see rate-limit-store.ts for SQLite).
    ...(config.database.dialect === 'postgres' ? { store: databaseRateLimitStore(config.database.db, config.limits.requestsPerMinute) } : {}),
    // A database hiccup must not turn the limiter into a wall: the request goes on (and meets the same database).
    skipOnError: true,
    errorResponseBuilder: (_request, context) => new VanthuError('SERVER_RATE_LIMITED', { after: context.after }),
  });

  await app.register(authRoutes(config), { prefix: '/v1' });
  await app.register(directoryRoutes(config), { prefix: '/v1' });
  await app.register(blobRoutes(config), { prefix: '/v1' });
  const poker = await Poker.start(config.database);
  app.addHook('onClose', async () => poker.close());
  app.addHook('onClose', async () => config.verifier.close());
  await app.register(messageRoutes(config, poker), { prefix: '/v1' });
  const pendingEvery = options.pendingCheckMs ?? 15_000;
  if (pendingEvery > 0) {
    const checker = startPendingChecker(config, poker, pendingEvery);
    app.addHook('onClose', async () => checker.stop());
  }
  await app.register(inboxRoutes(config), { prefix: '/v1' });
  await app.register(eventRoutes(config, poker), { prefix: '/v1' });
  return app;
}
