// The handlers behind every IPC channel, built from core; no Electron here so the browser harness runs the same code.
import { listModuleCandidates, listTokens, TokenSession } from '../core/token/index.js';
import type { IpcHandlers } from './ipc/dispatcher.js';

export interface ServiceOptions {
  version: string;
  /** Module paths the user added in settings. */
  userModulePaths: () => readonly string[];
  /** Called after a successful login, so outbox jobs waiting for it run again. */
  onLoggedIn?: () => void;
}

export function createHandlers(options: ServiceOptions): IpcHandlers {
  const session = (ref: { modulePath: string; serial: string; label: string }) =>
    TokenSession.open(ref.modulePath, { serial: ref.serial, label: ref.label });
  return {
    'app.info': async () => ({ version: options.version, platform: process.platform, arch: process.arch }),
    'modules.candidates': () => listModuleCandidates({ userPaths: options.userModulePaths() }),
    'tokens.list': ({ modulePaths }) => listTokens(modulePaths, options.userModulePaths()),
    'tokens.login': async ({ pin, ...ref }) => {
      const token = await session(ref);
      await token.login(pin);
      options.onLoggedIn?.();
      return { loggedIn: await token.isLoggedIn() };
    },
    'tokens.logout': async (ref) => {
      const token = await session(ref);
      await token.logout();
      return { loggedIn: await token.isLoggedIn() };
    },
  };
}
