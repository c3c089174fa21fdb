// Opens the chosen token for one signature: checks the certificate before the PIN, logs in with it, and puts the login back as it was afterwards.
import type { TokenChoice } from '../../../core/outbox/index.js';
import { TokenSession } from '../../../core/token/index.js';
import type { AppRuntime } from '../../runtime.js';

export interface TokenRef {
  modulePath: string;
  serial: string;
  label: string;
}

export const choiceOf = (token: TokenRef, certificateId: string): TokenChoice => ({
  module: token.modulePath,
  ...(token.serial ? { serial: token.serial } : {}),
  ...(token.label ? { label: token.label } : {}),
  cert: certificateId,
});

/**
 * Checks the certificate (validity, key usage, revocation: a refused one throws before any PIN is
 * tried), then logs in with the PIN. The PIN is passed straight to the token and not kept.
 * Returns the subject and a function that ends the login if this signature started it.
 */
export async function unlockToken(runtime: AppRuntime, choice: TokenChoice, pin: string): Promise<{ subject: string; release: () => Promise<void> }> {
  const { subject } = await runtime.keys.certificate(choice);
  const session = await TokenSession.open(choice.module, { ...(choice.serial ? { serial: choice.serial } : {}), ...(choice.label ? { label: choice.label } : {}) });
  const wasLoggedIn = await session.isLoggedIn();
  // PKCS#11 answers "already logged in" without looking at the PIN: end that login first, so the PIN
  // typed in the dialog is the one the token checks (jobs that needed it wait and resume on the next login).
  if (wasLoggedIn) await session.logout();
  await runtime.keys.login(choice, pin);
  return {
    subject,
    release: async () => {
      if (wasLoggedIn) return;
      // Best effort: a token pulled out meanwhile has already forgotten the login.
      await runtime.keys.logout(choice).catch(() => undefined);
    },
  };
}
