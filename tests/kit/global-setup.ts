// Before any test file: builds the test PKI and SoftHSM tokens once, and hands their manifest to every test.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import type { PkiManifest } from './pki-manifest.js';

export default function setup(project: TestProject): void {
  const outDir = path.resolve('.tmp/test-pki');
  execFileSync('bash', ['scripts/make-test-pki.sh', outDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  const manifest = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as PkiManifest;
  process.env.SOFTHSM2_CONF = manifest.softhsmConf;
  project.provide('pki', manifest);
}
