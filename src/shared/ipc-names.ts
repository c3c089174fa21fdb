// Channel and event names of the IPC contract, without the schemas: all the sandboxed preload may bundle.

export const IPC_CHANNEL_NAMES = ['app.info', 'modules.candidates', 'tokens.list', 'tokens.login', 'tokens.logout'] as const;
export const IPC_EVENT_NAMES = ['tokens.changed'] as const;

export type IpcChannel = (typeof IPC_CHANNEL_NAMES)[number];
export type IpcEventName = (typeof IPC_EVENT_NAMES)[number];

/** Prefix of the Electron channel names, so nothing else on ipcMain can be reached. */
export const IPC_PREFIX = 'vanthu:';

export const isIpcChannel = (name: unknown): name is IpcChannel => (IPC_CHANNEL_NAMES as readonly unknown[]).includes(name);
export const isIpcEvent = (name: unknown): name is IpcEventName => (IPC_EVENT_NAMES as readonly unknown[]).includes(name);
