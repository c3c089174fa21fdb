// SIGINT and SIGTERM handled explicitly for long-running commands: the first one asks for a clean stop, a second one ends the process at once.
//
// Why explicit and installed first: a background job of a non-interactive shell (`cmd &` in `sh -c`)
// starts with SIGINT ignored, and a command that relies on the default disposition, or installs its
// handler only once it serves, depends on the runtime resetting it; with handlers installed before
// anything else, Ctrl+C or `kill -INT` stops the command cleanly at any step, waiting for input included.

export interface StopSignal {
  /** Resolves with the first SIGINT or SIGTERM received. */
  readonly received: Promise<NodeJS.Signals>;
  /** Removes the handlers (the command ended on its own). */
  dispose(): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Installs the handlers now. `immediately` runs on a second signal, while the clean stop is still under way. */
export function listenForStop(immediately: (signal: NodeJS.Signals) => void): StopSignal {
  let first: NodeJS.Signals | undefined;
  let resolveReceived: (signal: NodeJS.Signals) => void = () => undefined;
  const received = new Promise<NodeJS.Signals>((resolve) => (resolveReceived = resolve));
  const handler = (signal: NodeJS.Signals): void => {
    if (first === undefined) {
      first = signal;
      resolveReceived(signal);
    } else {
      immediately(signal);
    }
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return {
    received,
    dispose: () => {
      for (const signal of SIGNALS) process.off(signal, handler);
    },
  };
}
