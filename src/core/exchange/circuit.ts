// Circuit breaker for the exchange server: opens after consecutive transient failures, lets one probe through after a cool-down, closes on success.
import { EventEmitter } from 'node:events';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitOptions {
  /** Consecutive transient failures that open the circuit. */
  failureThreshold?: number;
  /** First cool-down before a probe; doubled after each failed probe, up to maxOpenMs. */
  openMs?: number;
  maxOpenMs?: number;
  now?: () => number;
}

export interface CircuitEvents {
  /** online: the server answers (closed); offline: the circuit opened. A half-open probe changes nothing until it ends. */
  change: [{ online: boolean; state: CircuitState; retryAt: number | null }];
}

/**
 * Why a breaker: when the province's link is down, each queued document would otherwise spend its
 * attempts (and the user's battery) on timeouts; with the circuit open they fail at once and wait.
 */
export class CircuitBreaker extends EventEmitter<CircuitEvents> {
  private failures = 0;
  private stateValue: CircuitState = 'closed';
  private openedFor: number;
  private openUntil = 0;
  private probing = false;
  private readonly threshold: number;
  private readonly baseOpenMs: number;
  private readonly maxOpenMs: number;
  private readonly now: () => number;

  constructor(options: CircuitOptions = {}) {
    super();
    this.threshold = Math.max(1, options.failureThreshold ?? 5);
    this.baseOpenMs = options.openMs ?? 5_000;
    this.maxOpenMs = options.maxOpenMs ?? 5 * 60_000;
    this.openedFor = this.baseOpenMs;
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    return this.stateValue;
  }

  /** Online unless the circuit is open (a half-open circuit is still offline until its probe succeeds). */
  get online(): boolean {
    return this.stateValue === 'closed';
  }

  /** When the next probe may go, while open. */
  get retryAt(): number | null {
    return this.stateValue === 'closed' ? null : this.openUntil;
  }

  /** May a request go now? In half-open, only the one probe may. */
  allow(): boolean {
    if (this.stateValue === 'closed') return true;
    if (this.probing) return false;
    if (this.now() < this.openUntil) return false;
    this.stateValue = 'half-open';
    this.probing = true;
    return true;
  }

  /** The server answered (any answer but 5xx/429). */
  success(): void {
    const wasOffline = this.stateValue !== 'closed';
    this.failures = 0;
    this.probing = false;
    this.openedFor = this.baseOpenMs;
    this.stateValue = 'closed';
    if (wasOffline) this.emit('change', { online: true, state: 'closed', retryAt: null });
  }

  /** The network failed or the server is failing. */
  failure(): void {
    this.failures++;
    if (this.stateValue === 'half-open') {
      this.probing = false;
      this.openedFor = Math.min(this.maxOpenMs, this.openedFor * 2);
      this.openUntil = this.now() + this.openedFor;
      this.stateValue = 'open';
      return;
    }
    if (this.stateValue === 'closed' && this.failures >= this.threshold) {
      this.openUntil = this.now() + this.openedFor;
      this.stateValue = 'open';
      this.emit('change', { online: false, state: 'open', retryAt: this.openUntil });
    }
  }

  /** Forget the cool-down: the OS says the network is back, or the user pressed "retry now". */
  reset(): void {
    if (this.stateValue === 'closed') return;
    this.openUntil = 0;
    this.openedFor = this.baseOpenMs;
  }
}
