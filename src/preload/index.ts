// The only bridge: exposes window.vanthu with exactly the contract's channels and events.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { VanthuApi } from '../shared/ipc-contract.js';
import { IPC_PREFIX, isIpcChannel, isIpcEvent } from '../shared/ipc-names.js';

const api: VanthuApi = {
  invoke: (channel, request) => {
    if (!isIpcChannel(channel)) return Promise.reject(new Error(`unknown channel ${String(channel)}`));
    return ipcRenderer.invoke(`${IPC_PREFIX}${channel}`, request);
  },
  on: (event, listener) => {
    if (!isIpcEvent(event)) throw new Error(`unknown event ${String(event)}`);
    // The renderer never sees the IpcRendererEvent (it carries the sender object).
    const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload as Parameters<typeof listener>[0]);
    ipcRenderer.on(`${IPC_PREFIX}${event}`, wrapped);
    return () => ipcRenderer.removeListener(`${IPC_PREFIX}${event}`, wrapped);
  },
};

contextBridge.exposeInMainWorld('vanthu', api);
