// Compiles the PIN-counting PKCS#11 wrapper (C) for tests that need a token that locks.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

const source = path.resolve('tests/kit/pin-counter/pin-counter-p11.c');
const output = path.resolve('.tmp/pin-counter/libpincounter-p11.so');

/** Path of the compiled module, rebuilt when the source is newer. */
export function buildPinCounterModule(): string {
  if (!existsSync(output) || statSync(output).mtimeMs < statSync(source).mtimeMs) {
    mkdirSync(path.dirname(output), { recursive: true });
    const include = path.resolve('node_modules/pkcs11js/includes/pkcs11');
    execFileSync('cc', ['-shared', '-fPIC', '-O2', '-Wall', '-Werror', `-I${include}`, '-o', output, source, '-ldl']);
  }
  return output;
}
