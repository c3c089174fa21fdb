// The authentication hook for protected route plugins, and the agency it leaves on the request.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { VanthuError } from '../../shared/errors.js';
import { authenticate, type AuthenticatedAgency } from '../auth/sessions.js';
import type { ResolvedConfig } from '../config.js';

/** Runs on onRequest, before the body is read: no upload or JSON parsing for strangers. */
export function requireAgency(app: FastifyInstance, config: ResolvedConfig): void {
  app.addHook('onRequest', async (request) => {
    request.agency = await authenticate(config.database.db, request.headers.authorization, config.clock());
  });
}

export function agencyOf(request: FastifyRequest): AuthenticatedAgency {
  if (!request.agency) throw new VanthuError('SERVER_UNAUTHENTICATED');
  return request.agency;
}
