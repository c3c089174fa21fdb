// Shared by the signing benches: a fresh test PKI on SoftHSM, the leader's RSA-2048 key as a PdfSigningKey, and small figure helpers.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import type { PdfSigningKey } from '../../src/core/signing/index.js';
import { TokenSession, TokenSigner } from '../../src/core/token/index.js';
import type { PkiManifest } from '../../tests/kit/pki-manifest.js';

/** Builds the test PKI (root, sub-CA, SoftHSM tokens) into `dir`, wiping an earlier one, and points SoftHSM at it. */
export function makeBenchPki(dir: string): PkiManifest {
  const outDir = path.resolve(dir);
  execFileSync('bash', ['scripts/make-test-pki.sh', outDir], { stdio: 'ignore' });
  const pki = JSON.parse(readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as PkiManifest;
  process.env.SOFTHSM2_CONF = pki.softhsmConf;
  return pki;
}

/** Reads a PKI built earlier (by a parent process) without rebuilding it. */
export function readBenchPki(dir: string): PkiManifest {
  const pki = JSON.parse(readFileSync(path.join(path.resolve(dir), 'manifest.json'), 'utf8')) as PkiManifest;
  process.env.SOFTHSM2_CONF = pki.softhsmConf;
  return pki;
}

/** The leader's RSA-2048 key on the VANTHU LEADER token, logged in once; the sub-CA goes in the CMS like in the tests. */
export async function leaderRsaKey(pki: PkiManifest): Promise<{ key: PdfSigningKey; session: TokenSession }> {
  const session = await TokenSession.open(pki.module, { label: 'VANTHU LEADER' });
  if (!(await session.isLoggedIn())) await session.login(pki.userPin);
  const chosen = await session.certificate('leader-rsa');
  const key: PdfSigningKey = {
    signer: new TokenSigner(session, chosen),
    certificate: new Uint8Array(Buffer.from(chosen.certificate.der, 'base64')),
    chain: [new Uint8Array(readFileSync(pki.subCaDer))],
    keyType: 'rsa',
  };
  return { key, session };
}

export const seconds = (from: bigint): number => Number(process.hrtime.bigint() - from) / 1e9;

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** The value below which `q` of the sorted samples lie (nearest rank). */
export function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** "load 1.23 0.98 0.77 (2 cores)": printed before and after each run, as the machine is shared. */
export function loadLine(): string {
  const [one, five, fifteen] = loadavg();
  return `load average ${one!.toFixed(2)} ${five!.toFixed(2)} ${fifteen!.toFixed(2)}`;
}
