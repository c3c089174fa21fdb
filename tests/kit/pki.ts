// Gives a test the shared test PKI, or a private copy of its tokens for tests that break them.
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import type { PkiManifest, PkiToken } from './pki-manifest.js';

/** The shared PKI; points SoftHSM at its tokens (before the module is first loaded in this process). */
export function usePki(): PkiManifest {
  const pki = inject('pki');
  process.env.SOFTHSM2_CONF = pki.softhsmConf;
  return pki;
}

/**
 * A private copy of the tokens for a test file that deletes or locks them, so other files
 * running at the same time keep theirs. Call before the module is first loaded.
 */
export function usePrivateTokens(): PkiManifest & { tokenDir: string } {
  const pki = inject('pki');
  const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-tokens-'));
  const tokenDir = path.join(dir, 'tokens');
  cpSync(path.join(pki.outDir, 'tokens'), tokenDir, { recursive: true });
  const conf = path.join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  process.env.SOFTHSM2_CONF = conf;
  return { ...pki, softhsmConf: conf, tokenDir };
}

export const tokenNamed = (pki: PkiManifest, label: string): PkiToken => {
  const token = pki.tokens.find((t) => t.label === label);
  if (!token) throw new Error(`test PKI has no token ${label}`);
  return token;
};
