// Builds the renderer once per test run, however many e2e files ask: a build while another file's page is open would swap its chunks under it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const LOCK = path.resolve('.tmp/renderer-build.lock');
const wait = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};
/** A build takes well under this; a lock older than it was left by a killed run. */
const STALE_MS = 600_000;

export function buildRendererOnce(timeoutMs = 300_000): void {
  // The global setup names the run; a file run on its own (no setup) builds every time.
  const run = process.env.VANTHU_TEST_RUN ?? `solo-${process.pid}`;
  const stamp = path.resolve(`.tmp/renderer-built-${run}`);
  if (existsSync(stamp)) return;
  mkdirSync('.tmp', { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = statSync(LOCK, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`renderer build lock ${LOCK} still held after ${timeoutMs} ms`, { cause: error });
      wait(250);
    }
  }
  try {
    // Another file may have built it while this one waited.
    if (existsSync(stamp)) return;
    execFileSync('electron-vite', ['build'], { stdio: 'ignore' });
    writeFileSync(stamp, new Date().toISOString());
  } finally {
    rmdirSync(LOCK);
  }
}
