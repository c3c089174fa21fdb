// Locates and reads the font shipped for signature text (Liberation Serif: Times-metric, with Vietnamese glyphs).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { resourceDir } from '../resources.js';

export const DEFAULT_FONT_NAME = 'Liberation Serif';

/** In resources/fonts/ of the repository, from the source or a bundle. A packaged app passes the font bytes itself. */
export const defaultFontPath = (): string => path.join(resourceDir('fonts'), 'LiberationSerif-Regular.ttf');

let cached: Uint8Array | undefined;

export function defaultFontBytes(): Uint8Array {
  cached ??= readFileSync(defaultFontPath());
  return cached;
}
