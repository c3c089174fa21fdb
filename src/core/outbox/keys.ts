// Signing keys for outbox jobs: the chosen token certificate, checked without the PIN, usable only while the token is logged in.
import { VanthuError } from '../../shared/errors.js';
import type { PdfSigningKey } from '../signing/index.js';
import { TokenSession, TokenSigner } from '../token/index.js';
import { chainToEmbed, checkCertificateForSigning, type TrustStore } from '../trust/index.js';
import type { TokenChoice } from './types.js';

export interface SigningKey {
  key: PdfSigningKey;
  /** The certificate's subject CN, stored with the revision and used to place the leader's image. */
  subject: string;
}

/** Where sign jobs get their key; throws TOKEN_NOT_LOGGED_IN / TOKEN_NOT_FOUND so the job waits for the user. */
export interface KeySource {
  key(choice: TokenChoice): Promise<SigningKey>;
}

export interface TokenKeySourceOptions {
  /** Intermediate CA certificates (DER) to embed besides those stored on the token. */
  chain?: Uint8Array[];
  /** With trust roots, each certificate is checked once before its first signature; refused means no signature. */
  trust?: TrustStore;
  /** Revocation checked online (default true when trust is given). */
  online?: boolean;
  timeoutMs?: number;
  /** Where the signer's missing intermediates fetched from its AIA are kept between runs. */
  aiaCacheDir?: string;
}

interface Chosen {
  session: TokenSession;
  certificateId: string;
  der: Uint8Array;
  chain: Uint8Array[];
  keyType: 'rsa' | 'ec';
  subject: string;
}

const choiceKey = (c: TokenChoice): string => JSON.stringify([c.module, c.label ?? '', c.serial ?? '', c.cert ?? '']);

/**
 * Keys on PKCS#11 tokens. The PIN passes through login() to the token and is not kept: after the
 * token forgets the login (pulled out, logged out), jobs wait until someone logs in again.
 */
export class TokenKeySource implements KeySource {
  private readonly chosen = new Map<string, Promise<Chosen>>();
  private readonly signers = new Map<string, TokenSigner>();

  constructor(private readonly options: TokenKeySourceOptions = {}) {}

  /** The certificate, read and checked without a login: a refused certificate fails before any PIN is asked. */
  async certificate(choice: TokenChoice): Promise<{ subject: string; der: Uint8Array }> {
    const chosen = await this.choose(choice);
    return { subject: chosen.subject, der: chosen.der };
  }

  async login(choice: TokenChoice, pin: string): Promise<void> {
    const chosen = await this.choose(choice);
    await chosen.session.login(pin);
  }

  async logout(choice: TokenChoice): Promise<void> {
    const session = await TokenSession.open(choice.module, selector(choice));
    await session.logout();
  }

  async key(choice: TokenChoice): Promise<SigningKey> {
    const chosen = await this.choose(choice);
    // Checked on each job: a token pulled out and back in has forgotten the login.
    if (!(await chosen.session.isLoggedIn())) throw new VanthuError('TOKEN_NOT_LOGGED_IN', { token: chosen.session.token.label });
    const id = choiceKey(choice);
    let signer = this.signers.get(id);
    if (signer === undefined) {
      const certificate = await chosen.session.certificate(chosen.certificateId);
      if (certificate.privateKey === 'absent') {
        throw new VanthuError('TOKEN_KEY_NOT_FOUND', { token: chosen.session.token.label, cert: certificate.label || certificate.id });
      }
      signer = new TokenSigner(chosen.session, certificate);
      this.signers.set(id, signer);
    }
    return { key: { signer, certificate: chosen.der, chain: chosen.chain, keyType: chosen.keyType }, subject: chosen.subject };
  }

  private choose(choice: TokenChoice): Promise<Chosen> {
    const id = choiceKey(choice);
    let found = this.chosen.get(id);
    if (found === undefined) {
      found = this.read(choice);
      this.chosen.set(id, found);
      // A failure (token not plugged in yet) is not remembered: the next job looks again.
      found.catch(() => this.chosen.delete(id));
    }
    return found;
  }

  private async read(choice: TokenChoice): Promise<Chosen> {
    const session = await TokenSession.open(choice.module, selector(choice));
    const certificate = await session.certificate(choice.cert);
    const der = new Uint8Array(Buffer.from(certificate.certificate.der, 'base64'));
    // Many Vietnamese tokens carry their CA chain: it goes into the signature too.
    const onToken = (await session.certificates())
      .filter((c) => c.certificate.isCA)
      .map((c) => new Uint8Array(Buffer.from(c.certificate.der, 'base64')));
    let chain = [...onToken, ...(this.options.chain ?? [])];
    const subject = certificate.certificate.subject.commonName ?? certificate.label;
    if (this.options.trust) {
      // The intermediates the token lacks (from the bundle, or the AIA) go in too, so validators elsewhere can build the chain.
      chain = await chainToEmbed(der, chain, this.options.trust, { online: this.options.online ?? true, timeoutMs: this.options.timeoutMs ?? 5_000, cacheDir: this.options.aiaCacheDir });
      const check = await checkCertificateForSigning(der, chain, this.options.trust, { online: this.options.online ?? true, timeoutMs: this.options.timeoutMs ?? 5_000 });
      if (!check.ok) throw new VanthuError('SIGNING_CERTIFICATE_REFUSED', { subject, detail: check.errors.map((e) => e.messageEn).join('; ') });
    }
    return {
      session,
      certificateId: certificate.id,
      der,
      chain,
      keyType: certificate.certificate.publicKey.type === 'ec' ? 'ec' : 'rsa',
      subject,
    };
  }
}

const selector = (choice: TokenChoice): { label?: string; serial?: string } => ({
  ...(choice.label === undefined ? {} : { label: choice.label }),
  ...(choice.serial === undefined ? {} : { serial: choice.serial }),
});
