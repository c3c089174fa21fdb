#!/usr/bin/env node
// Entry point of the `vanthu` command: checks the Node version, then runs the bundled CLI (out/cli), or the TypeScript source in development.
// Plain JavaScript with only node: built-ins, so it runs (and can explain itself) on any Node before anything native is loaded.
import { existsSync, readFileSync, statSync } from 'node:fs';
// The default import: a named import of something an older Node lacks would fail before the check below can speak.
import nodeModule from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REQUIRED_MAJOR = 24;
const major = Number(process.versions.node.split('.')[0]);
if (major !== REQUIRED_MAJOR) {
  // pkcs11js and better-sqlite3 are built for Node 24 (the line Electron 45 runs): another Node crashes loading them.
  process.stderr.write(
    `vanthu: cần Node ${REQUIRED_MAJOR} (cùng dòng với Electron 45), máy đang chạy Node ${process.versions.node}.\n` +
      `  Hãy chạy bằng Node đi kèm dự án: npm run vanthu -- <lệnh> (hoặc node_modules/.bin/node bin/vanthu.mjs <lệnh>).\n` +
      `vanthu: needs Node ${REQUIRED_MAJOR} (the line Electron 45 runs), this is Node ${process.versions.node}.\n` +
      `  Run it with the project's Node: npm run vanthu -- <command> (or node_modules/.bin/node bin/vanthu.mjs <command>).\n`,
  );
  process.exit(2);
}

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}out/cli/vanthu.mjs`;
const inputsFile = `${root}out/cli/inputs.json`;

/**
 * The bundle is used unless this is a development checkout whose sources changed after it was built.
 * Cheap and exact: the build lists the source files it read (esbuild's metafile), and only those are
 * stat'ed (about 200, a millisecond or two), newest mtime against the build's. A new file matters
 * only once an existing one imports it, which changes that file's mtime. Without src/ (an installed
 * copy) there is nothing to compare, and the bundle is always used.
 */
function bundleIsFresh() {
  if (!existsSync(bundle)) return false;
  if (!existsSync(`${root}src`)) return true;
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(inputsFile, 'utf8'));
    return inputs.every((file) => statSync(`${root}${file}`).mtimeMs <= builtAt);
  } catch {
    return false;
  }
}

if (process.env.VANTHU_CLI_SOURCE !== '1' && bundleIsFresh()) {
  // V8's compiled code kept on disk (in the temp folder) between runs: a warm start skips parsing the chunks again.
  nodeModule.enableCompileCache?.();
  await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/run.ts');
}
