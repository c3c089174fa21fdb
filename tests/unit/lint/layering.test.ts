import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

/** Lints `code` as if it were the file at `filePath` and returns the layering errors. */
async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import rules of DESIGN.md', () => {
  it('fails a renderer that imports core, main or Node', async () => {
    expect(await layeringErrors('src/renderer/probe.ts', "import { listTokens } from '../core/token/index.js';\nvoid listTokens;\n")).toHaveLength(1);
    expect(await layeringErrors('src/renderer/views/probe.ts', "import { x } from '../../main/index.js';\nvoid x;\n")).toHaveLength(1);
    expect(await layeringErrors('src/renderer/probe.ts', "import { readFileSync } from 'node:fs';\nvoid readFileSync;\n")).toHaveLength(1);
    expect(await layeringErrors('src/renderer/probe.ts', "import * as pkcs11 from 'pkcs11js';\nvoid pkcs11;\n")).toHaveLength(1);
  });

  it('lets the renderer import shared', async () => {
    expect(await layeringErrors('src/renderer/probe.ts', "import { VanthuError } from '../shared/errors.js';\nvoid VanthuError;\n")).toEqual([]);
  });

  it('keeps shared pure and core free of Electron', async () => {
    expect(await layeringErrors('src/shared/probe.ts', "import { x } from '../core/token/index.js';\nvoid x;\n")).toHaveLength(1);
    expect(await layeringErrors('src/shared/probe.ts', "import path from 'node:path';\nvoid path;\n")).toHaveLength(1);
    expect(await layeringErrors('src/core/probe.ts', "import { app } from 'electron';\nvoid app;\n")).toHaveLength(1);
    expect(await layeringErrors('src/core/probe.ts', "import { x } from '../server/index.js';\nvoid x;\n")).toHaveLength(1);
    expect(await layeringErrors('src/core/token/probe.ts', "import { VanthuError } from '../../shared/errors.js';\nvoid VanthuError;\n")).toEqual([]);
  });

  it('keeps the preload to the contract and electron', async () => {
    expect(await layeringErrors('src/preload/probe.ts', "import { x } from '../core/token/index.js';\nvoid x;\n")).toHaveLength(1);
    expect(await layeringErrors('src/preload/probe.ts', "import { contextBridge } from 'electron';\nvoid contextBridge;\n")).toEqual([]);
  });

  it('keeps the server and CLI out of Electron', async () => {
    expect(await layeringErrors('src/server/probe.ts', "import { app } from 'electron';\nvoid app;\n")).toHaveLength(1);
    expect(await layeringErrors('src/cli/probe.ts', "import { x } from '../main/index.js';\nvoid x;\n")).toHaveLength(1);
    expect(await layeringErrors('src/cli/probe.ts', "import { x } from '../server/index.js';\nvoid x;\n")).toEqual([]);
  });
});
