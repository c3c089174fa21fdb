// Handlers of one document's page: viewer files, existing signatures, signing on the token, issuing and sending.
import type { SIGNING_CHANNEL_NAMES } from '../../shared/ipc/names.js';
import type { FeatureHandlers, ServiceContext } from './context.js';

export function signingHandlers(_context: ServiceContext): FeatureHandlers<(typeof SIGNING_CHANNEL_NAMES)[number]> {
  return {};
}
