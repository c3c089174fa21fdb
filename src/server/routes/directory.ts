// GET /v1/directory (agencies, for the client's offline cache) and GET /v1/server-key (to check receipts).
import type { FastifyPluginAsync } from 'fastify';
import type { ResolvedConfig } from '../config.js';
import { directory } from '../directory/agencies.js';
import { requireAgency } from './guard.js';

export const directoryRoutes = (config: ResolvedConfig): FastifyPluginAsync => async (app) => {
  app.get('/server-key', async () => ({ algorithm: config.receiptKey.algorithm, keyId: config.receiptKey.keyId, publicKeyPem: config.receiptKey.publicKeyPem }));

  await app.register(async (scoped) => {
    requireAgency(scoped, config);
    scoped.get('/directory', async () => ({ agencies: await directory(config.database.db) }));
  });
};
