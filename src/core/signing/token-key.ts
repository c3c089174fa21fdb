// Chooses the token certificate (no PIN needed), then unlocks it with the PIN into a PDF signing key.
import { readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { TokenSession, TokenSigner } from '../token/index.js';
import type { PdfSigningKey } from './sign-pdf.js';
import { VanthuError } from '../../shared/errors.js';
import type { TokenCertificate } from '../../shared/token.js';

export interface CertificateChoiceOptions {
  module: string;
  token?: string;
  cert?: string;
  /** PEM/DER files of intermediate CAs to embed, besides those found on the token. */
  chainFiles?: string[];
}

export interface CertificateChoice {
  session: TokenSession;
  certificate: TokenCertificate;
  der: Uint8Array;
  chain: Uint8Array[];
}

async function readCertificates(file: string): Promise<Uint8Array[]> {
  const data = await readFile(file).catch(() => {
    throw new VanthuError('BAD_INPUT', { detail: `cannot read ${file}` });
  });
  const text = data.toString('latin1');
  if (!text.includes('-----BEGIN CERTIFICATE-----')) return [new Uint8Array(new X509Certificate(data).raw)];
  return [...text.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => new Uint8Array(new X509Certificate(m[0]).raw));
}

/** The token and certificate the user named, read without logging in (certificates are public objects). */
export async function chooseCertificate(options: CertificateChoiceOptions): Promise<CertificateChoice> {
  const session = await TokenSession.open(options.module, options.token ? { label: options.token } : {});
  const certificate = await session.certificate(options.cert);
  const der = new Uint8Array(Buffer.from(certificate.certificate.der, 'base64'));
  // CA certificates stored on the token (many Vietnamese tokens carry the CA chain) go in too.
  const onToken = (await session.certificates())
    .filter((c) => c.certificate.isCA)
    .map((c) => new Uint8Array(Buffer.from(c.certificate.der, 'base64')));
  const extra = (await Promise.all((options.chainFiles ?? []).map(readCertificates))).flat();
  return { session, certificate, der, chain: [...onToken, ...extra] };
}

/** Logs in with the PIN and returns the signing key; the PIN goes to the token only. */
export async function unlockCertificate(choice: CertificateChoice, pin: string): Promise<PdfSigningKey> {
  const { session, certificate } = choice;
  await session.login(pin);
  const refreshed = await session.certificate(certificate.id);
  if (refreshed.privateKey === 'absent') {
    throw new VanthuError('TOKEN_KEY_NOT_FOUND', { token: session.token.label, cert: certificate.label || certificate.id });
  }
  return {
    signer: new TokenSigner(session, refreshed),
    certificate: choice.der,
    chain: choice.chain,
    keyType: certificate.certificate.publicKey.type === 'ec' ? 'ec' : 'rsa',
  };
}
