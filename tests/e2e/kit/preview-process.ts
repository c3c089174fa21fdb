// Runs `scripts/preview-server.ts` (what `npm start` serves without Electron) as its own process on a fresh data folder, with no token plugged in.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../kit/free-port.js';

export interface PreviewProcess {
  url: string;
  dataDir: string;
  /** Everything the preview printed, for a failure's message. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * A fresh machine: an empty data folder, and SoftHSM pointed at an empty token folder (no token), so the
 * app sees no token at all. The demo, once chosen, points SoftHSM at its own tokens inside the data folder.
 */
export async function startPreview(): Promise<PreviewProcess> {
  const root = mkdtempSync(path.join(tmpdir(), 'vanthu-fresh-machine-'));
  const dataDir = path.join(root, 'data');
  const emptyTokens = path.join(root, 'no-tokens');
  mkdirSync(emptyTokens);
  const conf = path.join(root, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${emptyTokens}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, VANTHU_DATA_DIR: dataDir, VANTHU_PREVIEW_PORT: String(port), SOFTHSM2_CONF: conf };
  delete env.VANTHU_MODULES;
  delete env.VANTHU_TRUST;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/preview-server.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  child.stdout?.on('data', (chunk: Buffer) => (said += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (said += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`preview did not start: ${said}`)), 60_000);
    const look = () => {
      const match = /browser preview: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(said);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', look);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`preview exited with ${code}: ${said}`));
    });
  });
  return {
    url,
    dataDir,
    output: () => said,
    stop: async () => {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        });
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
