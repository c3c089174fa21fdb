// The handlers behind every IPC channel, one module per feature, built from core; no Electron here so the browser harness runs the same code.
import type { IpcHandlers } from './ipc/dispatcher.js';
import { appHandlers } from './handlers/app.js';
import type { ServiceContext, ServiceOptions } from './handlers/context.js';
import { documentsHandlers } from './handlers/documents.js';
import { exchangeHandlers } from './handlers/exchange.js';
import { localServiceHandlers } from './handlers/local-service.js';
import { signingHandlers } from './handlers/signing.js';
import { trustHandlers } from './handlers/trust.js';
import { demoHandlers } from './handlers/demo.js';

export type { ServiceOptions } from './handlers/context.js';

export function createHandlers(options: ServiceOptions): IpcHandlers {
  const context: ServiceContext = { options };
  return { ...appHandlers(context), ...documentsHandlers(context), ...signingHandlers(context), ...exchangeHandlers(context), ...localServiceHandlers(context), ...trustHandlers(context), ...demoHandlers(context) };
}
