import { describe, expect, it, vi } from 'vitest';
import { createQuitGuard } from '../../../src/main/shutdown.js';

// The will-quit guard: the first quit waits for close() before quitting for real; errors and hangs still end in a quit.
const quitEvent = () => ({ preventDefault: vi.fn() });
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('quit guard', () => {
  it('holds the first quit until close() has finished, then quits; the second quit passes', async () => {
    const order: string[] = [];
    let finish!: () => void;
    const close = vi.fn(() => new Promise<void>((resolve) => (finish = () => (order.push('closed'), resolve()))));
    const quit = vi.fn(() => order.push('quit'));
    const guard = createQuitGuard({ close, quit });
    const first = quitEvent();
    guard(first);
    expect(first.preventDefault).toHaveBeenCalledOnce();
    await settle();
    expect(quit).not.toHaveBeenCalled();
    // A quit asked again while closing is held too, and does not close twice.
    const during = quitEvent();
    guard(during);
    expect(during.preventDefault).toHaveBeenCalledOnce();
    finish();
    await settle();
    expect(order).toEqual(['closed', 'quit']);
    expect(close).toHaveBeenCalledOnce();
    const last = quitEvent();
    guard(last);
    expect(last.preventDefault).not.toHaveBeenCalled();
  });

  it('quits even when close() fails, and reports the error', async () => {
    const onError = vi.fn();
    const quit = vi.fn();
    createQuitGuard({ close: () => Promise.reject(new Error('db busy')), quit, onError })(quitEvent());
    await settle();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'db busy' }));
    expect(quit).toHaveBeenCalledOnce();
  });

  it('quits after the timeout when close() hangs (a token driver stuck in C_Finalize)', async () => {
    const onError = vi.fn();
    const quit = vi.fn();
    createQuitGuard({ close: () => new Promise<void>(() => {}), quit, onError, timeoutMs: 30 })(quitEvent());
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(quit).toHaveBeenCalledOnce();
    expect(String(onError.mock.calls[0]?.[0])).toContain('longer than 30 ms');
  });
});
