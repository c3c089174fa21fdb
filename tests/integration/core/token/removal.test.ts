import { readFileSync, readdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { finalizeAllModules, TokenSession, TokenSigner } from '../../../../src/core/token/index.js';
import { usePrivateTokens } from '../../../kit/pki.js';

// Pulls a token out (its SoftHSM directory moves away) and plugs it back in, on a private copy.
const pki = usePrivateTokens();
afterAll(finalizeAllModules);

/** SoftHSM keeps each token in a directory holding a token.object file with its label. */
function tokenDirectory(label: string): string {
  for (const entry of readdirSync(pki.tokenDir)) {
    const file = path.join(pki.tokenDir, entry, 'token.object');
    if (readFileSync(file).includes(Buffer.from(label))) return path.join(pki.tokenDir, entry);
  }
  throw new Error(`no token directory for ${label}`);
}

const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

describe('a token pulled out mid-session', () => {
  it('fails cleanly, then works again once plugged back in and unlocked', async () => {
    const session = await TokenSession.open(pki.module, { label: 'VANTHU AGENCY' });
    await session.login(pki.userPin);
    const signer = new TokenSigner(session, await session.certificate());
    expect((await signer.sign(Buffer.from('trước'), algorithm)).length).toBe(256);

    const directory = tokenDirectory('VANTHU AGENCY');
    const aside = path.join(path.dirname(pki.tokenDir), "pulled-out");
    renameSync(directory, aside);
    const removed = await signer.sign(Buffer.from('trong khi rút'), algorithm).catch((e: unknown) => e);
    expect(removed).toMatchObject({ code: 'TOKEN_REMOVED', messageVi: expect.stringContaining('đã bị rút ra') });
    // While it is out, asking again says it is not there.
    await expect(signer.sign(Buffer.from('vẫn rút'), algorithm)).rejects.toMatchObject({ code: 'TOKEN_NOT_FOUND' });

    renameSync(aside, directory);
    // Plugged back in: the token forgot the login, so the user is asked for the PIN again.
    await expect(signer.sign(Buffer.from('cắm lại'), algorithm)).rejects.toMatchObject({ code: 'TOKEN_NOT_LOGGED_IN' });
    await session.login(pki.userPin);
    expect((await signer.sign(Buffer.from('sau khi cắm lại'), algorithm)).length).toBe(256);
  });
});
