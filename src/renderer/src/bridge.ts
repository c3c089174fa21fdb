// Typed access to window.vanthu: calls that resolve to values or throw the bilingual error.
import type { IpcChannel, IpcError, IpcRequest, IpcResponse, VanthuApi } from '../../shared/ipc-contract.js';

declare global {
  interface Window {
    vanthu: VanthuApi;
  }
}

export class BridgeError extends Error {
  constructor(readonly detail: IpcError) {
    super(detail.messageEn);
  }
}

export async function call<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResponse<C>> {
  const result = await window.vanthu.invoke(channel, request);
  if (!result.ok) throw new BridgeError(result.error);
  return result.value;
}

export const errorText = (error: unknown, language: string): string =>
  error instanceof BridgeError ? (language === 'en' ? error.detail.messageEn : error.detail.messageVi) : String(error);
