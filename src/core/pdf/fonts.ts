// Locates and reads the font shipped for signature text (Liberation Serif: Times-metric, with Vietnamese glyphs).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DEFAULT_FONT_NAME = 'Liberation Serif';

/** resources/fonts/ of the repository, seen from src/core/pdf. A packaged app passes the font bytes itself. */
export const defaultFontPath = (): string =>
  fileURLToPath(new URL('../../../resources/fonts/LiberationSerif-Regular.ttf', import.meta.url));

let cached: Uint8Array | undefined;

export function defaultFontBytes(): Uint8Array {
  cached ??= readFileSync(defaultFontPath());
  return cached;
}
