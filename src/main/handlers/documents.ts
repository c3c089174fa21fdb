// Handlers of the document registers: lists, search, compose, and the cached agency directory.
import type { DOCUMENTS_CHANNEL_NAMES } from '../../shared/ipc/names.js';
import type { FeatureHandlers, ServiceContext } from './context.js';

export function documentsHandlers(_context: ServiceContext): FeatureHandlers<(typeof DOCUMENTS_CHANNEL_NAMES)[number]> {
  return {};
}
