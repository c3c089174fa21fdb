#!/usr/bin/env node
// Bundles the CLI (and the exchange server it starts) into out/cli/vanthu.mjs: one entry, commands split into chunks loaded on use.
// Skips the work when out/cli is newer than every source it was built from; `--force` rebuilds anyway.
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Pure-JavaScript packages the verify and sign paths load, inlined into the chunks: shipped as
 * hundreds of small ES modules (pdf-lib's es/ folder), each one a file Node must find, read and
 * link at every start. Every other package stays in node_modules: native ones (pkcs11js,
 * better-sqlite3) must, pg, pdf.js, fastify and piscina load files beside themselves.
 */
const INLINED_PACKAGES = ['@cantoo/pdf-lib', 'tslib', 'pkijs', 'asn1js', 'bytestreamjs', 'zod', '@peculiar/utils', '@noble/hashes'];

/** An esbuild plugin that leaves every bare import external except the named packages (and their subpaths). */
function inlineOnly(packages) {
  const inlined = new Set(packages);
  return {
    name: 'inline-only',
    setup(context) {
      context.onResolve({ filter: /^[^./]/ }, (args) => {
        const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
        return inlined.has(name) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

/** Same rule as bin/vanthu.mjs: every source file the last build read is older than that build. */
function upToDate(outdir) {
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(path.join(outdir, 'inputs.json'), 'utf8'));
    return existsSync(path.join(outdir, 'vanthu.mjs')) && inputs.every((file) => statSync(path.join(root, file)).mtimeMs <= builtAt);
  } catch {
    return false;
  }
}

/**
 * Builds into a fresh folder beside `outdir`, then swaps it in, so a CLI started meanwhile (or a second
 * build running in parallel, as test workers may) never sees half a bundle or chunks of two builds.
 */
export async function buildCli({ outdir = path.join(root, 'out/cli'), force = false } = {}) {
  if (!force && upToDate(outdir)) return { built: false, outdir };
  // Taken before reading the sources: a file saved during the build makes the result stale, not fresh.
  const builtAt = Date.now();
  const staging = `${outdir}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  let result;
  try {
    result = await build({
      absWorkingDir: root,
      // The server's verification worker threads start from a file of their own beside the entry.
      entryPoints: { vanthu: 'src/cli/run.ts', 'verify-worker': 'src/server/messages/verify-worker.ts' },
      outdir: staging,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node24',
      plugins: [inlineOnly(INLINED_PACKAGES)],
      // For the CommonJS parts of inlined packages that require() Node built-ins.
      banner: { js: "import { createRequire as __vanthuCreateRequire } from 'node:module'; const require = __vanthuCreateRequire(import.meta.url);" },
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunks/[name]-[hash]',
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'warning',
    });
  } catch (error) {
    // esbuild printed why; leave no half-built folder behind.
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  // The project's own sources only (node_modules may be a symbolic link elsewhere, as in a worktree).
  const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.split(/[\\/]/).includes('node_modules'));
  writeFileSync(path.join(staging, 'inputs.json'), `${JSON.stringify({ builtAt, inputs })}\n`);
  const old = `${outdir}.old-${process.pid}`;
  if (existsSync(outdir)) renameSync(outdir, old);
  try {
    renameSync(staging, outdir);
  } catch (error) {
    // Another build swapped its own result in first: that one is as good.
    if (!existsSync(outdir)) throw error;
    rmSync(staging, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
  return { built: true, outdir };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const started = performance.now();
  const { built, outdir } = await buildCli({ force: process.argv.includes('--force') });
  if (built) process.stdout.write(`vanthu: CLI built in ${path.relative(root, outdir)} (${Math.round(performance.now() - started)} ms)\n`);
}
