import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCycles, importGraph } from '../../kit/import-graph.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'vanthu-cycles-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const tree = (files: Record<string, string>): string => {
  const root = mkdtempSync(path.join(scratch, 'src-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
};

/** Each cycle's files relative to the root and sorted, the cycles sorted too: the order Tarjan finds them in is no part of the answer. */
const relative = (root: string, cycles: string[][]): string[][] =>
  cycles.map((cycle) => cycle.map((file) => path.relative(root, file)).sort()).sort((a, b) => a[0]!.localeCompare(b[0]!));

describe('import cycles', () => {
  it('finds none in src: every module depends one way', () => {
    const root = path.resolve('src');
    expect(relative(root, importCycles(importGraph(root)))).toEqual([]);
  });

  it('catches a cycle made only of type imports, and one through a folder index', () => {
    const root = tree({
      'exchange/client.ts': "import { upload } from './upload.js';\nexport class Client {}\nvoid upload;\n",
      'exchange/upload.ts': "import type { Client } from './client.js';\nexport const upload = (c: Client) => c;\n",
      'db/connect.ts': "import { migrations } from './migrations/index.js';\nexport type Dialect = 'a';\nvoid migrations;\n",
      'db/migrations/index.ts': "import type { Dialect } from '../connect.js';\nexport const migrations: Dialect[] = [];\n",
      'alone.ts': "import { upload } from './exchange/upload.js';\nvoid upload;\n",
    });
    expect(relative(root, importCycles(importGraph(root)))).toEqual([
      ['db/connect.ts', 'db/migrations/index.ts'],
      ['exchange/client.ts', 'exchange/upload.ts'],
    ]);
  });

  it('counts a dynamic import as a dependency', () => {
    const root = tree({ 'a.ts': "export const a = () => import('./b.js');\n", 'b.ts': "import { a } from './a.js';\nvoid a;\n" });
    expect(relative(root, importCycles(importGraph(root)))).toEqual([['a.ts', 'b.ts']]);
  });
});
