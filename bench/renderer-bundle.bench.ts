// The renderer bundle as shipped: builds with electron-vite, then prints each chunk's size raw, gzip and brotli, and the totals.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = path.resolve('out/renderer');
const started = performance.now();
execFileSync('electron-vite', ['build'], { stdio: 'ignore' });
console.log(`renderer-bundle: electron-vite build in ${((performance.now() - started) / 1000).toFixed(1)} s, ${root}`);

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`.padStart(12);
const rows = files(root)
  .map((file) => {
    const bytes = readFileSync(file);
    return {
      name: path.relative(root, file),
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  })
  .sort((a, b) => b.raw - a.raw);

console.log(`${'chunk'.padEnd(44)}${'raw'.padStart(12)}${'gzip -9'.padStart(12)}${'brotli 11'.padStart(12)}`);
for (const r of rows) console.log(`${r.name.padEnd(44)}${kib(r.raw)}${kib(r.gzip)}${kib(r.brotli)}`);
const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((total, r) => total + pick(r), 0);
console.log(`${'total'.padEnd(44)}${kib(sum((r) => r.raw))}${kib(sum((r) => r.gzip))}${kib(sum((r) => r.brotli))}`);

// What the window loads before the first paint: index.html and what it links (the lazily loaded chunks and the PDF worker wait).
const html = readFileSync(path.join(root, 'index.html'), 'utf8');
const linked = new Set([...html.matchAll(/(?:src|href)="\.?\/?([^"]+)"/g)].map((m) => m[1]!));
const initial = rows.filter((r) => r.name === 'index.html' || linked.has(r.name));
console.log(
  `initial load (index.html + ${initial.length - 1} linked): raw ${kib(initial.reduce((t, r) => t + r.raw, 0)).trim()}, gzip ${kib(initial.reduce((t, r) => t + r.gzip, 0)).trim()}; ` +
    `loaded later: ${rows.length - initial.length} files, raw ${kib(sum((r) => r.raw) - initial.reduce((t, r) => t + r.raw, 0)).trim()}`,
);
