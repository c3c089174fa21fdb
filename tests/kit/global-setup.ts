// Before any test file: builds the test PKI and SoftHSM tokens once, starts its revocation services, and hands the manifest to every test.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { freePort } from './free-port.js';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import type { PkiManifest } from './pki-manifest.js';
import { startRevocationServices } from './revocation-services.js';

/** Each run gets its own PKI directory and ports; the returned function stops the services and removes both. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  mkdirSync('.tmp', { recursive: true });
  const outDir = path.resolve(`.tmp/test-pki-${process.pid}`);
  const [crlPort, ocspPort] = [await freePort(), await freePort()];
  execFileSync('bash', ['scripts/make-test-pki.sh', outDir], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, VANTHU_TEST_CRL_PORT: String(crlPort), VANTHU_TEST_OCSP_PORT: String(ocspPort) },
  });
  const manifest = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as PkiManifest;
  process.env.SOFTHSM2_CONF = manifest.softhsmConf;
  // Names this run for work done once per run across test files (the e2e renderer build).
  process.env.VANTHU_TEST_RUN = String(process.pid);
  // The CLI's cache of CA certificates fetched from AIA addresses: per run, never the user's.
  process.env.VANTHU_CACHE_DIR = path.join(outDir, 'cache');
  project.provide('pki', manifest);
  const services = await startRevocationServices(manifest);
  return async () => {
    await services.stop();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(path.resolve(`.tmp/renderer-built-${process.pid}`), { force: true });
  };
}
