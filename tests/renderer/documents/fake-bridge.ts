// A fake window.vanthu for component tests: answers chosen channels and records every call.
import type { IpcChannel, IpcEventName, IpcRequest, IpcResponse, IpcResult } from '../../../src/shared/ipc-contract.js';

type Answers = { [C in IpcChannel]?: (request: IpcRequest<C>) => IpcResponse<C> | Promise<IpcResponse<C>> | { error: { code: string; messageVi: string; messageEn: string } } };

export function installFakeBridge(answers: Answers): { calls: { channel: string; request: unknown }[]; emit(event: IpcEventName, payload: unknown): void } {
  const calls: { channel: string; request: unknown }[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  window.vanthu = {
    invoke: async (channel, request) => {
      calls.push({ channel, request });
      const answer = answers[channel] as ((r: unknown) => unknown) | undefined;
      if (!answer) return { ok: false, error: { code: 'INTERNAL', messageVi: 'không có', messageEn: 'none' } } as IpcResult<never>;
      const value = await answer(request);
      if (value && typeof value === 'object' && 'error' in value) return { ok: false, error: (value as { error: never }).error };
      return { ok: true, value } as IpcResult<never>;
    },
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
  return { calls, emit: (event, payload) => listeners.get(event)?.forEach((listener) => listener(payload)) };
}
