import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';

// electron-builder.yml against issue 7: the installers asked for, native modules outside the asar, and nothing of the exchange server shipped.
// js-yaml and minimatch come with electron-builder (it parses its config and matches `files` with them).
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };

interface Target {
  target: string;
  arch?: string[];
}
interface BuilderConfig {
  asar?: boolean;
  files: string[];
  asarUnpack: string[];
  win: { target: Target[] };
  mac: { target: Target[] };
  linux: { target: (string | Target)[] };
}

const root = process.cwd();
const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string> }>;
};

const targets = (list: (string | Target)[]): Target[] => list.map((t) => (typeof t === 'string' ? { target: t } : t));
const match = (file: string, pattern: string): boolean => minimatch(file, pattern, { dot: true });
/** electron-builder's `files`: a path ships when a positive pattern takes it and no negative one drops it. */
const shipped = (file: string): boolean =>
  config.files.some((p) => !p.startsWith('!') && match(file, p)) && !config.files.some((p) => p.startsWith('!') && match(file, p.slice(1)));
/** A package's own files ship only as far as the `files` patterns let them (electron-builder filters node_modules with the same list). */
const packageShipped = (dir: string): boolean => !config.files.some((p) => p.startsWith('!') && match(`${dir}/package.json`, p.slice(1)));

/** Node's resolution over the lock file: the nearest node_modules/<name> walking up from the requiring package. */
function resolveIn(from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}
/** Optional native packages left out on purpose: piscina loads @napi-rs/nice only for niceIncrement (never set), ignoring a failure. */
const LEFT_OUT_OPTIONAL = ['@napi-rs/nice'];
function closure(roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = roots.map((r) => resolveIn('', r)).filter((p): p is string => p !== undefined);
  while (stack.length > 0) {
    const at = stack.pop()!;
    if (seen.has(at)) continue;
    seen.add(at);
    const entry = lock.packages[at]!;
    const optional = Object.keys(entry.optionalDependencies ?? {}).filter((dep) => !LEFT_OUT_OPTIONAL.includes(dep));
    for (const dep of [...Object.keys({ ...entry.dependencies, ...entry.peerDependencies }), ...optional]) {
      const resolved = resolveIn(at, dep);
      if (resolved) stack.push(resolved);
    }
  }
  return seen;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx|mts|js|mjs)$/.test(f))
    .map((f) => path.join(dir, f));
}
/** The production dependencies the desktop app's own code imports (main, preload, core, shared, renderer). */
const read = (folders: string[]): string[] => folders.flatMap((folder) => sourceFiles(path.join(root, 'src', folder))).map((f) => readFileSync(f, 'utf8'));
const appSource = read(['main', 'preload', 'core', 'shared', 'renderer']);
const serverSource = read(['server', 'cli']);
const imports = (source: string[], dep: string): boolean => {
  const quoted = new RegExp(`(from|import\\(|require\\()\\s*['"]${dep.replace(/[/.]/g, '\\$&')}(/[^'"]*)?['"]`);
  return source.some((text) => quoted.test(text));
};
const appDeps = Object.keys(pkg.dependencies).filter((dep) => imports(appSource, dep));
/** Imported by the server or the CLI and by nothing of the app (a dependency nobody imports yet is neither). */
const serverOnlyDeps = Object.keys(pkg.dependencies).filter((dep) => imports(serverSource, dep) && !imports(appSource, dep));

describe('electron-builder.yml', () => {
  it('builds Windows NSIS x64, macOS dmg for arm64 and x64, Linux AppImage and deb', () => {
    expect(targets(config.win.target)).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    const dmg = targets(config.mac.target).find((t) => t.target === 'dmg');
    expect([...(dmg?.arch ?? [])].sort()).toEqual(['arm64', 'x64']);
    expect(targets(config.linux.target).map((t) => t.target).sort()).toEqual(['AppImage', 'deb']);
  });

  it('ships the built app and no sources, tests or scripts', () => {
    expect(config.asar).not.toBe(false);
    for (const file of ['out/main/index.js', 'out/main/validate-worker.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json', 'resources/trust/README.md']) expect(shipped(file), file).toBe(true);
    for (const file of ['src/server/index.ts', 'src/cli/index.ts', 'src/main/index.ts', 'tests/unit/x.test.ts', 'bench/a.ts', 'scripts/setup.sh', 'bin/vanthu.mjs', '.tmp/x', 'release/a.exe']) expect(shipped(file), file).toBe(false);
  });

  it('knows the server-only dependencies: fastify, @fastify/*, kysely and pg are imported by no desktop code', () => {
    expect(serverOnlyDeps).toEqual(expect.arrayContaining(['fastify', '@fastify/helmet', '@fastify/rate-limit', 'kysely', 'pg']));
    expect(appDeps).toEqual(expect.arrayContaining(['better-sqlite3', 'pkcs11js', 'electron-store', 'zod']));
  });

  it('leaves out every package only the exchange server needs, and none the app needs', () => {
    const app = closure(appDeps);
    const serverOnly = [...closure(serverOnlyDeps)].filter((p) => !app.has(p));
    expect(serverOnly.length).toBeGreaterThan(5);
    expect(serverOnly.filter(packageShipped), 'add these to the "!**/node_modules/..." patterns').toEqual([]);
    expect([...app].filter((p) => !packageShipped(p)), 'the app needs these').toEqual([]);
  });

  it('leaves out piscina\'s optional @napi-rs/nice only because piscina loads it lazily and ignores its absence', () => {
    const worker = readFileSync(path.join(root, 'node_modules/piscina/dist/worker.js'), 'utf8');
    expect(worker).toMatch(/require\('@napi-rs\/nice'\)\)\)\.catch\(/);
    expect(packageShipped('node_modules/piscina')).toBe(true);
    expect(packageShipped('node_modules/@napi-rs/nice')).toBe(false);
  });

  it('unpacks every native module of the app from the asar (the OS loader cannot read inside it)', () => {
    const app = closure(appDeps);
    const native = [...app].filter((p) => existsSync(path.join(root, p, 'binding.gyp')));
    expect(native).toEqual(expect.arrayContaining(['node_modules/better-sqlite3', 'node_modules/pkcs11js']));
    for (const dir of native) {
      for (const file of [`${dir}/build/Release/addon.node`, `${dir}/lib/index.js`, `${dir}/package.json`]) {
        expect(config.asarUnpack.some((p) => match(file, p)), file).toBe(true);
      }
    }
    expect(config.asarUnpack.some((p) => match('node_modules/anything/prebuilds/linux-x64/x.node', p))).toBe(true);
  });
});
