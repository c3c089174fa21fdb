// Validates each IPC call against the contract, runs its handler, validates the result; runtime-agnostic (Electron and the browser test harness use it).
import { isVanthuError } from '../../shared/errors.js';
import { ipcChannels, isIpcChannel, type IpcChannel, type IpcResponse, type IpcResult } from '../../shared/ipc-contract.js';
import type { z } from 'zod';

export type IpcHandlers = {
  [C in IpcChannel]: (request: z.output<(typeof ipcChannels)[C]['request']>) => Promise<IpcResponse<C>>;
};

export type Dispatch = (channel: unknown, request: unknown) => Promise<IpcResult<unknown>>;

const badRequest = (detail: string): IpcResult<never> => ({
  ok: false,
  error: { code: 'BAD_INPUT', messageVi: `Yêu cầu không hợp lệ: ${detail}`, messageEn: `Invalid request: ${detail}` },
});

export function createDispatcher(handlers: IpcHandlers, onInternalError: (error: unknown) => void = () => {}): Dispatch {
  return async (channel, request) => {
    if (!isIpcChannel(channel)) return badRequest(`unknown channel ${String(channel).slice(0, 80)}`);
    const spec = ipcChannels[channel];
    const parsed = spec.request.safeParse(request ?? {});
    // The issue list names paths, never values: a rejected login must not echo its PIN.
    if (!parsed.success) return badRequest(parsed.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', '));
    try {
      const handler = handlers[channel] as (request: unknown) => Promise<unknown>;
      const value = spec.response.parse(await handler(parsed.data));
      return { ok: true, value };
    } catch (error) {
      if (isVanthuError(error)) return { ok: false, error: { code: error.code, messageVi: error.messageVi, messageEn: error.messageEn } };
      onInternalError(error);
      return { ok: false, error: { code: 'INTERNAL', messageVi: 'Lỗi nội bộ của vanthu.', messageEn: 'Internal vanthu error.' } };
    }
  };
}
