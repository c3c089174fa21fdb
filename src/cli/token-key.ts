// Opens the token the user chose, logs in with the PIN, and returns a PDF signing key for the chosen certificate.
import { readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { TokenSession, TokenSigner } from '../core/token/index.js';
import type { PdfSigningKey } from '../core/signing/sign-pdf.js';
import { VanthuError } from '../shared/errors.js';

export interface TokenKeyOptions {
  module: string;
  token?: string;
  cert?: string;
  pin: string;
  /** PEM/DER files of intermediate CAs to embed, besides those found on the token. */
  chainFiles?: string[];
}

async function readCertificates(file: string): Promise<Uint8Array[]> {
  const data = await readFile(file).catch(() => {
    throw new VanthuError('BAD_INPUT', { detail: `cannot read ${file}` });
  });
  const text = data.toString('latin1');
  if (!text.includes('-----BEGIN CERTIFICATE-----')) return [new Uint8Array(new X509Certificate(data).raw)];
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => new Uint8Array(new X509Certificate(m[0]).raw));
}

export async function openTokenKey(options: TokenKeyOptions): Promise<{ key: PdfSigningKey; session: TokenSession }> {
  const session = await TokenSession.open(options.module, options.token ? { label: options.token } : {});
  await session.login(options.pin);
  const certificate = await session.certificate(options.cert);
  if (certificate.privateKey === 'absent') {
    throw new VanthuError('TOKEN_KEY_NOT_FOUND', { token: session.token.label, cert: certificate.label || certificate.id });
  }
  const der = new Uint8Array(Buffer.from(certificate.certificate.der, 'base64'));
  // CA certificates stored on the token (many Vietnamese tokens carry the CA chain) go in too.
  const onToken = (await session.certificates())
    .filter((c) => c.certificate.isCA)
    .map((c) => new Uint8Array(Buffer.from(c.certificate.der, 'base64')));
  const extra = (await Promise.all((options.chainFiles ?? []).map(readCertificates))).flat();
  const keyType = certificate.certificate.publicKey.type === 'ec' ? 'ec' : 'rsa';
  return { key: { signer: new TokenSigner(session, certificate), certificate: der, chain: [...onToken, ...extra], keyType }, session };
}
