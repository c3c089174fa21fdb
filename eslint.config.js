// Lint: strict TypeScript rules plus the layering of DESIGN.md (who may import whom).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

/** Import patterns for a src folder that may not be reached from the one being linted. */
const folder = (name) => [`**/${name}`, `**/${name}/**`, `@/${name}/**`];

/**
 * The layering: shared <- core <- main/server/cli; shared <- renderer; preload -> shared + electron.
 * Each entry lists what a folder must NOT import.
 */
const layers = {
  shared: {
    folders: ['core', 'main', 'preload', 'renderer', 'server', 'cli'],
    modules: ['electron', 'react', 'react-dom', 'pkcs11js', 'better-sqlite3', ...nodeBuiltins],
    why: 'src/shared is pure TypeScript that runs anywhere',
  },
  core: {
    folders: ['main', 'preload', 'renderer', 'server', 'cli'],
    modules: ['electron', 'electron-store', 'react', 'react-dom'],
    why: 'src/core is Node-only domain code: no Electron, no DOM, no app layers above it',
  },
  main: {
    folders: ['renderer', 'preload', 'server', 'cli'],
    modules: [],
    why: 'src/main is the Electron composition root; it reaches core and shared only',
  },
  preload: {
    folders: ['core', 'main', 'renderer', 'server', 'cli'],
    modules: ['pkcs11js', 'better-sqlite3', 'react', 'react-dom'],
    why: 'src/preload only bridges the IPC contract of src/shared',
  },
  renderer: {
    folders: ['core', 'main', 'preload', 'server', 'cli'],
    modules: ['electron', 'electron-store', 'pkcs11js', 'better-sqlite3', ...nodeBuiltins],
    why: 'src/renderer is untrusted UI: it reaches everything else through window.vanthu',
  },
  server: {
    folders: ['main', 'preload', 'renderer', 'cli'],
    modules: ['electron', 'electron-store', 'react', 'react-dom'],
    why: 'src/server is the exchange server: core and shared only',
  },
  cli: {
    folders: ['main', 'preload', 'renderer'],
    modules: ['electron', 'electron-store', 'react', 'react-dom'],
    why: 'src/cli is a thin command over core, shared and server',
  },
};

const layerRules = Object.entries(layers).map(([name, layer]) => ({
  files: [`src/${name}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: layer.modules.map((module) => ({ name: module, message: layer.why })),
        patterns: [
          ...layer.folders.map((target) => ({ group: folder(target), message: `${layer.why} (import of src/${target})` })),
          ...layer.modules.map((module) => ({ group: [`${module}/**`], message: layer.why })),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', '.tmp/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'scripts/**/*', 'bench/**/*', 'tests/**/*', 'bin/**/*'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  ...layerRules,
);
