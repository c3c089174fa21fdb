// Finds the repository's resources/ folder (fonts, trust roots) from the TypeScript source and from any bundle built out of it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const found = new Map<string, string>();

/**
 * resources/SUB/, looked for in the parents of this module's folder. The same code runs as
 * src/core/resources.ts (two levels below the root), bundled into out/cli/*.mjs or out/main/index.js
 * (two levels) or in a test's copy elsewhere: a fixed "../../../" was right for only one of them.
 */
export function resourceDir(sub: 'fonts' | 'trust', from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  const key = `${from}\0${sub}`;
  const cached = found.get(key);
  if (cached) return cached;
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'resources', sub);
    if (existsSync(candidate)) {
      found.set(key, candidate);
      return candidate;
    }
    // Not found: the layout of the source tree, so whoever reads it reports the missing folder by name.
    if (path.dirname(dir) === dir) return path.resolve(from, '..', '..', 'resources', sub);
  }
}
