// Validates each IPC call against the contract, runs its handler, validates the result; runtime-agnostic (Electron and the browser test harness use it).
import { isVanthuError } from '../../shared/errors.js';
import { ipcChannels, isIpcChannel, type IpcChannel, type IpcResponse, type IpcResult } from '../../shared/ipc-contract.js';
import type { z } from 'zod';
import { fieldLabel } from './field-labels.js';

export type IpcHandlers = {
  [C in IpcChannel]: (request: z.output<(typeof ipcChannels)[C]['request']>) => Promise<IpcResponse<C>>;
};

export type Dispatch = (channel: unknown, request: unknown) => Promise<IpcResult<unknown>>;

const badRequest = (detailVi: string, detailEn: string): IpcResult<never> => ({
  ok: false,
  error: { code: 'BAD_INPUT', messageVi: `Thông tin chưa hợp lệ: ${detailVi}.`, messageEn: `Invalid request: ${detailEn}` },
});

/** The refused fields by the names the screens give them (Vietnamese); the English message keeps the paths too, for the log. */
function refusedFields(issues: readonly z.core.$ZodIssue[]): IpcResult<never> {
  const labels = issues.map((issue) => ({ ...fieldLabel(issue.path), path: issue.path.map(String).join('.') || '(root)' }));
  const unique = (names: string[]) => [...new Set(names)].join(', ');
  return badRequest(unique(labels.map((l) => l.vi)), unique(labels.map((l) => (l.known ? `${l.en} (${l.path})` : l.path))));
}

export function createDispatcher(handlers: IpcHandlers, onInternalError: (error: unknown) => void = () => {}): Dispatch {
  return async (channel, request) => {
    if (!isIpcChannel(channel)) {
      return { ok: false, error: { code: 'BAD_INPUT', messageVi: 'vanthu không có chức năng này.', messageEn: `Invalid request: unknown channel ${String(channel).slice(0, 80)}` } };
    }
    const spec = ipcChannels[channel];
    const parsed = spec.request.safeParse(request ?? {});
    // The issue list names paths, never values: a rejected login must not echo its PIN.
    if (!parsed.success) return refusedFields(parsed.error.issues);
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
