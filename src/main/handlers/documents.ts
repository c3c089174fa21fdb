// Handlers of outgoing work: registers, compose, viewer files, directory, signing, issuing and sending.
import type { DOCUMENTS_CHANNEL_NAMES } from '../../shared/ipc/names.js';
import type { FeatureHandlers, ServiceContext } from './context.js';

export function documentsHandlers(_context: ServiceContext): FeatureHandlers<(typeof DOCUMENTS_CHANNEL_NAMES)[number]> {
  return {};
}
