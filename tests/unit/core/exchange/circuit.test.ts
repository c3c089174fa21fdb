// The circuit breaker on its own clock: opens after the threshold, one probe when half-open, closes on success, backs off on failed probes.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../../src/core/exchange/circuit.js';

describe('circuit breaker', () => {
  it('opens after consecutive failures only, lets one probe through after the cool-down, and closes on its success', () => {
    let now = 1_000;
    const circuit = new CircuitBreaker({ failureThreshold: 3, openMs: 100, maxOpenMs: 350, now: () => now });
    const changes: boolean[] = [];
    circuit.on('change', (c) => changes.push(c.online));

    // A success in between resets the count: two failures, a success, two failures stay closed.
    circuit.failure();
    circuit.failure();
    circuit.success();
    circuit.failure();
    circuit.failure();
    expect(circuit.state).toBe('closed');
    expect(changes).toEqual([]);

    circuit.failure();
    expect(circuit.state).toBe('open');
    expect(circuit.online).toBe(false);
    expect(circuit.retryAt).toBe(1_100);
    expect(circuit.allow()).toBe(false);

    // After the cool-down exactly one request goes (the probe); the others are still refused.
    now = 1_100;
    expect(circuit.allow()).toBe(true);
    expect(circuit.state).toBe('half-open');
    expect(circuit.allow()).toBe(false);

    // A failed probe opens it again for twice as long, capped.
    circuit.failure();
    expect(circuit.state).toBe('open');
    expect(circuit.retryAt).toBe(1_300);
    now = 1_300;
    expect(circuit.allow()).toBe(true);
    circuit.failure();
    expect(circuit.retryAt).toBe(1_300 + 350);
    expect(changes).toEqual([false]);

    now = 1_650;
    expect(circuit.allow()).toBe(true);
    circuit.success();
    expect(circuit.state).toBe('closed');
    expect(circuit.retryAt).toBeNull();
    expect(changes).toEqual([false, true]);

    // Closed again with the first cool-down: the next opening waits openMs, not the grown one.
    for (let i = 0; i < 3; i++) circuit.failure();
    expect(circuit.retryAt).toBe(1_750);
  });

  it('reset() lets the next request probe at once (the OS says the network is back)', () => {
    let now = 0;
    const circuit = new CircuitBreaker({ failureThreshold: 1, openMs: 60_000, now: () => now });
    circuit.failure();
    expect(circuit.allow()).toBe(false);
    circuit.reset();
    now = 1;
    expect(circuit.allow()).toBe(true);
  });
});
