// Notices tokens plugged in or pulled out by polling the slot lists, without blocking the event loop.
import { EventEmitter } from 'node:events';
import type { TokenDescriptor, TokenEvent } from '../../shared/token.js';
import { loadModule, reinitializeModule } from './pkcs11-module.js';
import { listSlotTokens } from './token-info.js';
import { hasOpenSessions } from './token-session.js';

interface WatcherEvents {
  change: [TokenEvent];
  error: [unknown];
}

const keyOf = (token: TokenDescriptor): string => `${token.modulePath}\u0000${token.serial}\u0000${token.label}`;

/**
 * Polls instead of C_WaitForSlotEvent: the blocking form would hold a thread per module and
 * many Vietnamese token modules (and SoftHSM) do not implement it.
 */
export class TokenWatcher extends EventEmitter<WatcherEvents> {
  private known = new Map<string, TokenDescriptor>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly modulePaths: readonly string[],
    private readonly intervalMs = 1500,
    private readonly rescanWhenIdle = true,
  ) {
    super();
  }

  /** Tokens seen at the last poll. */
  get tokens(): TokenDescriptor[] {
    return [...this.known.values()];
  }

  /** Takes the first snapshot (no events for tokens already there), then polls. */
  async start(): Promise<void> {
    if (this.timer) return;
    await this.poll(false);
    this.timer = setInterval(() => void this.poll(true), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One poll now; resolves when its events have been emitted. */
  pollNow(): Promise<void> {
    return this.poll(true);
  }

  private poll(emit: boolean): Promise<void> {
    this.polling ??= this.scan(emit).finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  private async scan(emit: boolean): Promise<void> {
    const current = new Map<string, TokenDescriptor>();
    for (const path of this.modulePaths) {
      try {
        const module = await loadModule(path);
        // Some modules (SoftHSM, several vendors') only see new tokens after C_Initialize; rescan
        // them only while no session is open, so a poll never ends a user's login.
        if (emit && this.rescanWhenIdle && !hasOpenSessions(module)) reinitializeModule(module);
        for (const { token } of listSlotTokens(module)) current.set(keyOf(token), token);
      } catch (error) {
        if (emit) this.emit('error', error);
      }
    }
    const previous = this.known;
    this.known = current;
    if (!emit) return;
    for (const [key, token] of previous) if (!current.has(key)) this.emit('change', { type: 'removed', token });
    for (const [key, token] of current) if (!previous.has(key)) this.emit('change', { type: 'inserted', token });
  }
}
