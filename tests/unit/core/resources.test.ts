import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resourceDir } from '../../../src/core/resources.js';
import { BUNDLED_TRUST_DIR } from '../../../src/core/trust/index.js';
import { defaultFontPath } from '../../../src/core/pdf/index.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'vanthu-resources-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('resourceDir', () => {
  it('finds resources/ from the source tree', () => {
    expect(BUNDLED_TRUST_DIR).toBe(`${path.resolve('resources/trust')}${path.sep}`);
    expect(defaultFontPath()).toBe(path.resolve('resources/fonts/LiberationSerif-Regular.ttf'));
  });

  it('finds it two levels up (out/cli/*.mjs, out/main/index.js) and three (out/cli/chunks/*.mjs), whatever the depth', () => {
    mkdirSync(path.join(scratch, 'app', 'resources', 'fonts'), { recursive: true });
    mkdirSync(path.join(scratch, 'app', 'out', 'cli', 'chunks'), { recursive: true });
    expect(resourceDir('fonts', path.join(scratch, 'app', 'out', 'cli'))).toBe(path.join(scratch, 'app', 'resources', 'fonts'));
    expect(resourceDir('fonts', path.join(scratch, 'app', 'out', 'cli', 'chunks'))).toBe(path.join(scratch, 'app', 'resources', 'fonts'));
  });

  it('falls back to the source layout when there is none, so the reader names the missing folder', () => {
    mkdirSync(path.join(scratch, 'bare', 'a', 'b'), { recursive: true });
    expect(resourceDir('trust', path.join(scratch, 'bare', 'a', 'b'))).toBe(path.join(scratch, 'bare', 'resources', 'trust'));
  });
});
