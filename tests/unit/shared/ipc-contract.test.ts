import { describe, expect, it } from 'vitest';
import { ipcChannels, ipcEvents } from '../../../src/shared/ipc-contract.js';
import { IPC_CHANNEL_NAMES, IPC_EVENT_NAMES } from '../../../src/shared/ipc-names.js';
import { createHandlers } from '../../../src/main/services.js';

// The preload bundles only the names; main validates with the schemas: the two lists must be the same set.
describe('IPC contract', () => {
  it('names every channel and event that has a schema, and nothing else', () => {
    expect([...IPC_CHANNEL_NAMES].sort()).toEqual(Object.keys(ipcChannels).sort());
    expect([...IPC_EVENT_NAMES].sort()).toEqual(Object.keys(ipcEvents).sort());
    expect(new Set(IPC_CHANNEL_NAMES).size).toBe(IPC_CHANNEL_NAMES.length);
  });

  it('has a handler for every channel', () => {
    const handlers = createHandlers({ version: 'test', userModulePaths: () => [] });
    expect(Object.keys(handlers).sort()).toEqual([...IPC_CHANNEL_NAMES].sort());
    for (const handler of Object.values(handlers)) expect(typeof handler).toBe('function');
  });
});
