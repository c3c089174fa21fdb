// Where `vanthu inbox` stores documents without --data: the desktop app's own data folder, so what the CLI takes in shows in the app.
import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Electron's userData for the product name "vanthu" (electron-builder.yml), which the app opens its
 * store in: %APPDATA%\vanthu, ~/Library/Application Support/vanthu, $XDG_CONFIG_HOME/vanthu or
 * ~/.config/vanthu. VANTHU_DATA_DIR overrides it (scripts, a second profile).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.VANTHU_DATA_DIR) return path.resolve(env.VANTHU_DATA_DIR);
  if (platform === 'win32') return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), 'vanthu');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'vanthu');
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), 'vanthu');
}
