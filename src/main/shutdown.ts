// Quitting cleanly: the first quit waits for the runtime to close (outbox released, database closed, C_Finalize) before the app exits.
export interface QuitEvent {
  preventDefault(): void;
}

export interface QuitGuardOptions {
  close: () => Promise<void>;
  /** Quits for real once closing is over (Electron's app.quit; the guard lets that second quit through). */
  quit: () => void;
  /** A token driver that hangs in C_Finalize must not keep the app from quitting forever. */
  timeoutMs?: number;
  onError?: (error: unknown) => void;
}

/** The will-quit listener: holds the first quit until close() settles (or times out), then quits; later quits pass straight through. */
export function createQuitGuard(options: QuitGuardOptions): (event: QuitEvent) => void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  return (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`closing took longer than ${options.timeoutMs ?? 15_000} ms`)), options.timeoutMs ?? 15_000);
    });
    void Promise.race([Promise.resolve().then(options.close), timeout])
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        clearTimeout(timer);
        state = 'closed';
        options.quit();
      });
  };
}
