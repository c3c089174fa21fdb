import { X509Certificate, verify } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { finalizeAllModules, TokenSession, TokenSigner } from '../../../../src/core/token/index.js';
import type { VanthuError } from '../../../../src/shared/errors.js';
import { buildPinCounterModule } from '../../../kit/pin-counter/build.js';
import { usePrivateTokens } from '../../../kit/pki.js';

// This file burns wrong PINs, so it works on its own copy of the tokens.
const pki = usePrivateTokens();
afterAll(finalizeAllModules);

describe('login', () => {
  it('says the PIN is wrong, warns when the token reports few tries left, and still accepts the right PIN', async () => {
    const session = await TokenSession.open(pki.module, { label: 'VANTHU SPARE' });
    const error = await session.login('000000').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TOKEN_PIN_INCORRECT' });
    // SoftHSM raises CKF_USER_PIN_COUNT_LOW after a wrong PIN; the message must pass that on.
    expect(error).toMatchObject({ params: { triesLeft: 'few' } });
    expect((error as Error).message).toContain('Few tries are left');
    expect(session.token.flags.userPinCountLow).toBe(true);
    expect(await session.isLoggedIn()).toBe(false);

    await session.login(pki.userPin);
    expect(await session.isLoggedIn()).toBe(true);
    expect(session.token.flags.userPinCountLow).toBe(false);
    await session.logout();
  });

  it('rejects an empty PIN without sending it to the token', async () => {
    const session = await TokenSession.open(pki.module, { label: 'VANTHU SPARE' });
    await expect(session.login('')).rejects.toMatchObject({ code: 'TOKEN_PIN_INVALID' });
    expect(session.token.flags.userPinCountLow).toBe(false);
  });

  it('asks the PIN again for each signature with a CKA_ALWAYS_AUTHENTICATE key', async () => {
    const session = await TokenSession.open(pki.module, { label: 'VANTHU SPARE' });
    await session.login(pki.userPin);
    const certificate = await session.certificate('spare-always-auth');
    expect(certificate.alwaysAuthenticate).toBe(true);
    let asked = 0;
    const signer = new TokenSigner(session, certificate, {
      contextPin: async () => {
        asked++;
        return pki.userPin;
      },
    });
    const publicKey = new X509Certificate(Buffer.from(certificate.certificate.der, 'base64')).publicKey;
    for (const text of ['một', 'hai']) {
      const signature = await signer.sign(Buffer.from(text), { name: 'ECDSA', hash: 'SHA-256' });
      expect(verify('sha256', Buffer.from(text), publicKey, signature)).toBe(true);
    }
    expect(asked).toBe(2);

    const withoutPin = new TokenSigner(session, certificate);
    await expect(withoutPin.sign(Buffer.from('ba'), { name: 'ECDSA', hash: 'SHA-256' })).rejects.toMatchObject({ code: 'TOKEN_NOT_LOGGED_IN' });

    const wrongPin = new TokenSigner(session, certificate, { contextPin: async () => '999999' });
    await expect(wrongPin.sign(Buffer.from('bốn'), { name: 'ECDSA', hash: 'SHA-256' })).rejects.toMatchObject({ code: 'TOKEN_PIN_INCORRECT' });
    await session.logout();
  });
});

describe('a token that counts wrong PINs (SoftHSM behind a PIN-counting PKCS#11 wrapper)', () => {
  it('warns at the final try, then says locked and never sends another PIN', async () => {
    process.env.PIN_COUNTER_TARGET = pki.module;
    process.env.PIN_COUNTER_MAX_TRIES = '3';
    const loginLog = path.join(pki.tokenDir, 'logins.txt');
    process.env.PIN_COUNTER_LOG = loginLog;
    const loginsSent = (): number => (existsSync(loginLog) ? readFileSync(loginLog, 'utf8').split('\n').filter(Boolean).length : 0);
    const session = await TokenSession.open(buildPinCounterModule(), { label: 'VANTHU REVOKED' });
    await expect(session.login('1')).rejects.toMatchObject({ code: 'TOKEN_PIN_INCORRECT', params: { triesLeft: 'few' } });
    const finalTry = await session.login('2').catch((e: unknown) => e);
    expect(finalTry).toMatchObject({ code: 'TOKEN_PIN_INCORRECT', params: { triesLeft: 1 } });
    expect((finalTry as VanthuError).messageVi).toContain('Chỉ còn 1 lần thử');
    expect(session.token.flags.userPinFinalTry).toBe(true);
    await expect(session.login('3')).rejects.toMatchObject({ code: 'TOKEN_PIN_LOCKED' });
    expect(session.token.flags.userPinLocked).toBe(true);
    // Locked: even the right PIN is refused before it reaches the token.
    const locked = await session.login(pki.userPin).catch((e: unknown) => e);
    expect(locked).toMatchObject({ code: 'TOKEN_PIN_LOCKED', messageVi: expect.stringContaining('đã bị khóa PIN') });
    expect(loginsSent()).toBe(3);
    expect(await session.isLoggedIn()).toBe(false);
  });
});
