// A fake window.vanthu for component tests: answers chosen channels and records every call.
import type { IpcChannel, IpcRequest, IpcResponse, IpcResult } from '../../../src/shared/ipc-contract.js';

type Answers = { [C in IpcChannel]?: (request: IpcRequest<C>) => IpcResponse<C> | Promise<IpcResponse<C>> | { error: { code: string; messageVi: string; messageEn: string } } };

export function installFakeBridge(answers: Answers): { calls: { channel: string; request: unknown }[] } {
  const calls: { channel: string; request: unknown }[] = [];
  window.vanthu = {
    invoke: async (channel, request) => {
      calls.push({ channel, request });
      const answer = answers[channel] as ((r: unknown) => unknown) | undefined;
      if (!answer) return { ok: false, error: { code: 'INTERNAL', messageVi: 'không có', messageEn: 'none' } } as IpcResult<never>;
      const value = await answer(request);
      if (value && typeof value === 'object' && 'error' in value) return { ok: false, error: (value as { error: never }).error };
      return { ok: true, value } as IpcResult<never>;
    },
    on: () => () => {},
  };
  return { calls };
}
