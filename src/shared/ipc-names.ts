// Channel and event names of the IPC contract, without the schemas: all the sandboxed preload may bundle.
import {
  APP_CHANNEL_NAMES,
  APP_EVENT_NAMES,
  DOCUMENTS_CHANNEL_NAMES,
  DOCUMENTS_EVENT_NAMES,
  EXCHANGE_CHANNEL_NAMES,
  EXCHANGE_EVENT_NAMES,
  LOCAL_SERVICE_CHANNEL_NAMES,
  LOCAL_SERVICE_EVENT_NAMES,
  SIGNING_CHANNEL_NAMES,
  SIGNING_EVENT_NAMES,
  TRUST_CHANNEL_NAMES,
  TRUST_EVENT_NAMES,
  DEMO_CHANNEL_NAMES,
  DEMO_EVENT_NAMES,
} from './ipc/names.js';

export const IPC_CHANNEL_NAMES = [...APP_CHANNEL_NAMES, ...DOCUMENTS_CHANNEL_NAMES, ...SIGNING_CHANNEL_NAMES, ...EXCHANGE_CHANNEL_NAMES, ...LOCAL_SERVICE_CHANNEL_NAMES, ...TRUST_CHANNEL_NAMES, ...DEMO_CHANNEL_NAMES] as const;
export const IPC_EVENT_NAMES = [...APP_EVENT_NAMES, ...DOCUMENTS_EVENT_NAMES, ...SIGNING_EVENT_NAMES, ...EXCHANGE_EVENT_NAMES, ...LOCAL_SERVICE_EVENT_NAMES, ...TRUST_EVENT_NAMES, ...DEMO_EVENT_NAMES] as const;

export type IpcChannel = (typeof IPC_CHANNEL_NAMES)[number];
export type IpcEventName = (typeof IPC_EVENT_NAMES)[number];

/** Prefix of the Electron channel names, so nothing else on ipcMain can be reached. */
export const IPC_PREFIX = 'vanthu:';

export const isIpcChannel = (name: unknown): name is IpcChannel => (IPC_CHANNEL_NAMES as readonly unknown[]).includes(name);
export const isIpcEvent = (name: unknown): name is IpcEventName => (IPC_EVENT_NAMES as readonly unknown[]).includes(name);
