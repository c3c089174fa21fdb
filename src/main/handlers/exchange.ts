// Handlers of incoming work and the rest: inbox, bulk signing, verify, settings, diagnostics, sync status.
import type { EXCHANGE_CHANNEL_NAMES } from '../../shared/ipc/names.js';
import type { FeatureHandlers, ServiceContext } from './context.js';

export function exchangeHandlers(_context: ServiceContext): FeatureHandlers<(typeof EXCHANGE_CHANNEL_NAMES)[number]> {
  return {};
}
