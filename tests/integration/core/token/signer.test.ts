import { X509Certificate, constants, verify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalizeAllModules, TokenSession, TokenSigner } from '../../../../src/core/token/index.js';
import type { HashAlgorithm } from '../../../../src/shared/token.js';
import { usePki } from '../../../kit/pki.js';

const pki = usePki();
const data = Buffer.from('Số: 05/UBND-VP — Cao Bằng, ngày 05 tháng 01 năm 2026', 'utf8');
const hashes: HashAlgorithm[] = ['SHA-256', 'SHA-384', 'SHA-512'];
const nodeHash = (hash: HashAlgorithm): string => hash.replace('-', '').toLowerCase();

let session: TokenSession;
let rsa: TokenSigner;
let ec: TokenSigner;

beforeAll(async () => {
  session = await TokenSession.open(pki.module, { label: 'VANTHU LEADER' });
  await session.login(pki.userPin);
  rsa = new TokenSigner(session, await session.certificate('leader-rsa'));
  ec = new TokenSigner(session, await session.certificate('02'));
});
afterAll(async () => {
  await session.logout();
  await finalizeAllModules();
});

const publicKeyOf = (signer: TokenSigner) => new X509Certificate(Buffer.from(signer.certificate.certificate.der, 'base64')).publicKey;

describe('TokenSigner on SoftHSM', () => {
  it.each(hashes)('signs RSA PKCS#1 v1.5 with %s that Node verifies', async (hash) => {
    const signature = await rsa.sign(data, { name: 'RSASSA-PKCS1-v1_5', hash });
    expect(signature.length).toBe(256);
    expect(verify(nodeHash(hash), data, publicKeyOf(rsa), signature)).toBe(true);
    expect(verify(nodeHash(hash), Buffer.from('tampered'), publicKeyOf(rsa), signature)).toBe(false);
  });

  it.each(hashes)('signs RSA-PSS with %s that Node verifies', async (hash) => {
    const signature = await rsa.sign(data, { name: 'RSA-PSS', hash });
    const saltLength = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }[hash];
    const key = { key: publicKeyOf(rsa), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength };
    expect(verify(nodeHash(hash), data, key, signature)).toBe(true);
  });

  it.each(hashes)('signs ECDSA with %s as DER that Node verifies', async (hash) => {
    const signature = await ec.sign(data, { name: 'ECDSA', hash });
    expect(signature[0]).toBe(0x30);
    expect(verify(nodeHash(hash), data, publicKeyOf(ec), signature)).toBe(true);
  });

  it('makes signatures openssl accepts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vanthu-sig-'));
    const dataFile = path.join(dir, 'data');
    writeFileSync(dataFile, data);
    for (const [signer, algorithm, certFile] of [
      [rsa, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, pki.tokens[0]!.objects[0]!.certPem],
      [ec, { name: 'ECDSA', hash: 'SHA-256' }, pki.tokens[0]!.objects[1]!.certPem],
    ] as const) {
      const sigFile = path.join(dir, `${algorithm.name}.sig`);
      writeFileSync(sigFile, await signer.sign(data, algorithm));
      const pubFile = path.join(dir, `${algorithm.name}.pub`);
      execFileSync('openssl', ['x509', '-in', certFile, '-pubkey', '-noout', '-out', pubFile]);
      const out = execFileSync('openssl', ['dgst', '-sha256', '-verify', pubFile, '-signature', sigFile, dataFile], { encoding: 'utf8' });
      expect(out.trim()).toBe('Verified OK');
    }
  });

  it('signs many times in parallel on one session, each valid', async () => {
    const messages = Array.from({ length: 20 }, (_, i) => Buffer.from(`văn bản số ${i}`));
    const signatures = await Promise.all(messages.map((m, i) => (i % 2 ? ec : rsa).sign(m, i % 2 ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' })));
    signatures.forEach((signature, i) => expect(verify('sha256', messages[i]!, publicKeyOf(i % 2 ? ec : rsa), signature)).toBe(true));
  });

  it('refuses an algorithm that does not fit the key', async () => {
    await expect(ec.sign(data, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(rsa.sign(data, { name: 'ECDSA', hash: 'SHA-256' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('signs again with the same signer after a logout and a new login (the old key handle is gone)', async () => {
    const spare = await TokenSession.open(pki.module, { label: 'VANTHU SPARE' });
    await spare.login(pki.userPin);
    const signer = new TokenSigner(spare, await spare.certificate('spare-rsa'));
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
    expect(verify('sha256', data, publicKeyOf(signer), await signer.sign(data, algorithm))).toBe(true);
    await spare.logout();
    await expect(signer.sign(data, algorithm)).rejects.toMatchObject({ code: 'TOKEN_NOT_LOGGED_IN' });
    await spare.login(pki.userPin);
    expect(verify('sha256', data, publicKeyOf(signer), await signer.sign(data, algorithm))).toBe(true);
    await spare.logout();
  });

  it('asks for login when not logged in', async () => {
    const agency = await TokenSession.open(pki.module, { label: 'VANTHU AGENCY' });
    const signer = new TokenSigner(agency, await agency.certificate());
    await expect(signer.sign(data, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' })).rejects.toMatchObject({ code: 'TOKEN_NOT_LOGGED_IN' });
  });
});
