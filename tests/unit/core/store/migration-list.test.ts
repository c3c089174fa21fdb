import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { latestVersion, migrations } from '../../../../src/core/store/index.js';

const dir = path.resolve('src/core/store/migrations');
const files = readdirSync(dir).filter((f) => /^\d{4}-.+\.ts$/.test(f)).sort();

describe('migration list', () => {
  it('lists every NNNN-name.ts file once, in order, numbered 1, 2, 3… like its file name', () => {
    expect(migrations.map((m) => `${String(m.version).padStart(4, '0')}-${m.name}.ts`)).toEqual(files);
    expect(migrations.map((m) => m.version)).toEqual(files.map((_, i) => i + 1));
    expect(latestVersion).toBe(files.length);
  });

  it('has a test file for each migration', () => {
    for (const file of files) {
      expect(existsSync(path.resolve('tests/integration/core/store/migrations', file.replace(/\.ts$/, '.test.ts'))), file).toBe(true);
    }
  });
});
