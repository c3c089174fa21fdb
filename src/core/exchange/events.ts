// The server's event stream (GET /v1/events, server-sent events): yields each poke ("inbox", "status") until the stream ends.
import { VanthuError } from '../../shared/errors.js';
import type { ExchangeClient } from './client.js';
import { refusal } from './http.js';

/**
 * Opens the stream with the client's bearer token and yields event names. Ends when the server
 * closes it; throws EXCHANGE_UNREACHABLE when the connection breaks. The caller reconnects.
 */
export async function* serverEvents(client: ExchangeClient, signal: AbortSignal, onOpen?: () => void): AsyncGenerator<string> {
  const response = await client.openStream('/v1/events', signal);
  if (response.status === 401) client.logout();
  if (!response.ok || !response.body) {
    const body = new Uint8Array(await response.arrayBuffer().catch(() => new ArrayBuffer(0)));
    throw refusal({ status: response.status, headers: response.headers, body });
  }
  onOpen?.();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = 'message';
  try {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        if (line === '') {
          // A blank line ends an event; comments (": ping") never set one.
          if (event !== 'message') yield event;
          event = 'message';
        } else if (line.startsWith('event:')) {
          event = line.slice(6).trim();
        }
      }
    }
  } catch (error) {
    if (signal.aborted) return;
    throw new VanthuError('EXCHANGE_UNREACHABLE', { url: client.serverUrl, detail: error instanceof Error ? error.message : String(error) }, { cause: error });
  }
}
