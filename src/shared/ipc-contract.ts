// The one IPC contract between the renderer and main: channels, their zod schemas, and events.
import type { z } from 'zod';
import type { IpcChannel, IpcEventName } from './ipc-names.js';

import { appChannels, appEvents } from './ipc/app.js';
import { documentsChannels, documentsEvents } from './ipc/documents.js';
import { exchangeChannels, exchangeEvents } from './ipc/exchange.js';
import { signingChannels, signingEvents } from './ipc/signing.js';
import { localServiceChannels, localServiceEvents } from './ipc/local-service.js';
import { trustChannels, trustEvents } from './ipc/trust.js';
import { demoChannels, demoEvents } from './ipc/demo.js';

export { IPC_PREFIX, isIpcChannel, isIpcEvent, type IpcChannel, type IpcEventName } from './ipc-names.js';
export { certificateInfoSchema, tokenDescriptorSchema, moduleReportSchema } from './ipc/app.js';

/** Every channel: its request and response schemas. Main validates both; the preload exposes only these. */
export const ipcChannels = {
  ...appChannels,
  ...documentsChannels,
  ...signingChannels,
  ...exchangeChannels,
  ...localServiceChannels,
  ...trustChannels,
  ...demoChannels,
} as const satisfies Record<IpcChannel, { request: z.ZodType; response: z.ZodType }>;

/** Events main pushes to the renderer. */
export const ipcEvents = {
  ...appEvents,
  ...documentsEvents,
  ...signingEvents,
  ...exchangeEvents,
  ...localServiceEvents,
  ...trustEvents,
  ...demoEvents,
} as const satisfies Record<IpcEventName, z.ZodType>;

export type IpcRequest<C extends IpcChannel> = z.input<(typeof ipcChannels)[C]['request']>;
export type IpcResponse<C extends IpcChannel> = z.output<(typeof ipcChannels)[C]['response']>;
export type IpcEventPayload<E extends IpcEventName> = z.output<(typeof ipcEvents)[E]>;

export interface IpcError {
  code: string;
  messageVi: string;
  messageEn: string;
}

/** What crosses the bridge: errors as data, since Electron drops an Error's own fields. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** The API the preload exposes as `window.vanthu`. */
export interface VanthuApi {
  invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResult<IpcResponse<C>>>;
  on<E extends IpcEventName>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void;
}
