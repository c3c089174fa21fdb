// Where the CLI keeps what it fetched once (CA certificates from AIA addresses): VANTHU_CACHE_DIR, else the user's cache folder.
import os from 'node:os';
import path from 'node:path';

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VANTHU_CACHE_DIR) return path.join(env.VANTHU_CACHE_DIR, 'ca-issuers');
  const base = env.XDG_CACHE_HOME ?? (process.platform === 'win32' && env.LOCALAPPDATA ? env.LOCALAPPDATA : path.join(os.homedir(), '.cache'));
  return path.join(base, 'vanthu', 'ca-issuers');
}
