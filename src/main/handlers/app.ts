// Handlers of the app frame's channels: version, token modules, tokens, login and logout.
import { listModuleCandidates, listTokens, TokenSession } from '../../core/token/index.js';
import type { FeatureHandlers, ServiceContext } from './context.js';
import type { APP_CHANNEL_NAMES } from '../../shared/ipc/names.js';

export function appHandlers(context: ServiceContext): FeatureHandlers<(typeof APP_CHANNEL_NAMES)[number]> {
  const { options } = context;
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
