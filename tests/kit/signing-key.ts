// A PDF signing key on a test token, obtained the way the CLI and the outbox get one (choose, then unlock with the PIN).
import { chooseCertificate, unlockCertificate, type PdfSigningKey } from '../../src/core/signing/index.js';
import type { TokenSession } from '../../src/core/token/index.js';
import type { PkiManifest } from './pki-manifest.js';

/** Every session a test opened, to log out of afterwards. */
export const openedSessions = new Set<TokenSession>();

export async function tokenSigningKey(pki: PkiManifest, token: string, certificate: string): Promise<PdfSigningKey> {
  // The sub-CA goes in the signature so pdfsig and offline validation can build the chain.
  const choice = await chooseCertificate({ module: pki.module, token, cert: certificate, chainFiles: [pki.subCaPem] });
  openedSessions.add(choice.session);
  return unlockCertificate(choice, pki.userPin);
}

export async function logoutAll(): Promise<void> {
  for (const session of openedSessions) await session.logout().catch(() => undefined);
  openedSessions.clear();
}
