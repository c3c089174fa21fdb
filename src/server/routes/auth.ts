// POST /v1/auth/challenge and POST /v1/auth/token: login by a token signature over a single-use nonce.
import type { FastifyPluginAsync } from 'fastify';
import { tokenRequest, type ChallengeResponse, type TokenResponse } from '../../shared/exchange-protocol.js';
import { issueChallenge } from '../auth/challenges.js';
import { login } from '../auth/login.js';
import type { ResolvedConfig } from '../config.js';
import type { ZodTypeProvider } from '../zod-provider.js';

export const authRoutes = (config: ResolvedConfig): FastifyPluginAsync => async (instance) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();

  app.post('/auth/challenge', async (_request, reply): Promise<ChallengeResponse> => {
    void reply.header('cache-control', 'no-store');
    return issueChallenge(config.database.db, config.clock(), config.challengeTtlSeconds);
  });

  app.post('/auth/token', { schema: { body: tokenRequest } }, async (request, reply): Promise<TokenResponse> => {
    const result = await login(config, request.body);
    void reply.header('cache-control', 'no-store');
    return { token: result.token, expiresAt: result.expiresAt, agency: { organId: result.organId, name: result.name } };
  });
};
