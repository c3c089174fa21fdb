// The one-method Signer the CMS layer uses, and its PKCS#11 implementation: the key never leaves the token.
import { createHash } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { isVanthuError, VanthuError } from '../../shared/errors.js';
import type { HashAlgorithm, SignatureAlgorithm, TokenCertificate } from '../../shared/token.js';
import { rawEcdsaToDer } from './ecdsa-signature.js';
import { findObjects, isSessionLoggedIn } from './token-info.js';
import type { TokenSession } from './token-session.js';

/** Signs bytes; RSA signatures as PKCS#1 bytes, ECDSA as DER. */
export interface Signer {
  sign(data: Uint8Array, algorithm: SignatureAlgorithm): Promise<Uint8Array>;
}

const HASH = {
  'SHA-256': { node: 'sha256', length: 32, ckm: pkcs11js.CKM_SHA256, mgf: pkcs11js.CKG_MGF1_SHA256, digestInfo: '3031300d060960864801650304020105000420' },
  'SHA-384': { node: 'sha384', length: 48, ckm: pkcs11js.CKM_SHA384, mgf: pkcs11js.CKG_MGF1_SHA384, digestInfo: '3041300d060960864801650304020205000430' },
  'SHA-512': { node: 'sha512', length: 64, ckm: pkcs11js.CKM_SHA512, mgf: pkcs11js.CKG_MGF1_SHA512, digestInfo: '3051300d060960864801650304020305000440' },
} as const satisfies Record<HashAlgorithm, unknown>;

/** Mechanisms that hash on the token, for tokens lacking the raw ones. */
const COMBINED = {
  'RSASSA-PKCS1-v1_5': { 'SHA-256': pkcs11js.CKM_SHA256_RSA_PKCS, 'SHA-384': pkcs11js.CKM_SHA384_RSA_PKCS, 'SHA-512': pkcs11js.CKM_SHA512_RSA_PKCS },
  'RSA-PSS': { 'SHA-256': pkcs11js.CKM_SHA256_RSA_PKCS_PSS, 'SHA-384': pkcs11js.CKM_SHA384_RSA_PKCS_PSS, 'SHA-512': pkcs11js.CKM_SHA512_RSA_PKCS_PSS },
  ECDSA: { 'SHA-256': pkcs11js.CKM_ECDSA_SHA256, 'SHA-384': pkcs11js.CKM_ECDSA_SHA384, 'SHA-512': pkcs11js.CKM_ECDSA_SHA512 },
} as const;

/** DER DigestInfo prefix of SHA-1 (RFC 8017 §9.2). */
const SHA1_DIGEST_INFO = '3021300906052b0e03021a05000414';

const RAW = { 'RSASSA-PKCS1-v1_5': pkcs11js.CKM_RSA_PKCS, 'RSA-PSS': pkcs11js.CKM_RSA_PKCS_PSS, ECDSA: pkcs11js.CKM_ECDSA } as const;

export interface TokenSignerOptions {
  /**
   * Asked for the PIN before each signature when the key has CKA_ALWAYS_AUTHENTICATE.
   * The PIN it returns goes to the token and is not kept.
   */
  contextPin?: () => Promise<string>;
}

interface MechanismPlan {
  mechanism: pkcs11js.Mechanism;
  input: Buffer;
}

export class TokenSigner implements Signer {
  private keyCache: { generation: number; key: pkcs11js.Handle; mechanisms: Set<number> } | undefined;

  constructor(
    private readonly session: TokenSession,
    readonly certificate: TokenCertificate,
    private readonly options: TokenSignerOptions = {},
  ) {}

  async sign(data: Uint8Array, algorithm: SignatureAlgorithm): Promise<Uint8Array> {
    this.assertFitsKey(algorithm);
    const hash = HASH[algorithm.hash];
    if (!hash) throw new VanthuError('BAD_INPUT', { detail: `hash ${String(algorithm.hash)}` });
    const contextPin = this.certificate.alwaysAuthenticate && this.options.contextPin ? await this.options.contextPin() : undefined;
    if (this.certificate.alwaysAuthenticate && contextPin === undefined) {
      throw new VanthuError('TOKEN_NOT_LOGGED_IN', { token: this.session.token.label });
    }

    return this.signOnToken(`sign (${algorithm.name} ${algorithm.hash})`, (mechanisms) => planMechanism(algorithm, data, mechanisms), contextPin, algorithm.name === 'ECDSA');
  }

  /**
   * RSA PKCS#1 v1.5 over SHA-1, for the XML signatures the national axis still uses in its samples (edXML, RSA-SHA1).
   * Kept apart from `sign` on purpose: SHA-1 is not one of the project's signing hashes (CMS and PDF never use it).
   */
  async signRsaSha1(data: Uint8Array): Promise<Uint8Array> {
    if (this.certificate.certificate.publicKey.type !== 'rsa') throw new VanthuError('BAD_INPUT', { detail: 'RSA-SHA1 needs an RSA key / cần khóa RSA' });
    const contextPin = this.certificate.alwaysAuthenticate && this.options.contextPin ? await this.options.contextPin() : undefined;
    if (this.certificate.alwaysAuthenticate && contextPin === undefined) throw new VanthuError('TOKEN_NOT_LOGGED_IN', { token: this.session.token.label });
    return this.signOnToken('sign (RSASSA-PKCS1-v1_5 SHA-1)', (mechanisms) => {
      if (mechanisms.has(pkcs11js.CKM_RSA_PKCS)) {
        return { mechanism: { mechanism: pkcs11js.CKM_RSA_PKCS }, input: Buffer.concat([Buffer.from(SHA1_DIGEST_INFO, 'hex'), createHash('sha1').update(data).digest()]) };
      }
      if (mechanisms.has(pkcs11js.CKM_SHA1_RSA_PKCS)) return { mechanism: { mechanism: pkcs11js.CKM_SHA1_RSA_PKCS }, input: Buffer.from(data) };
      throw new VanthuError('TOKEN_MECHANISM_UNSUPPORTED', { algorithm: 'RSASSA-PKCS1-v1_5 SHA-1' });
    }, contextPin, false);
  }

  private signOnToken(label: string, planFor: (mechanisms: Set<number>) => MechanismPlan, contextPin: string | undefined, ecdsa: boolean): Promise<Uint8Array> {
    return this.session.run(label, async (lib, session) => {
      const found = this.keyFor(lib, session.handle, session.slot, session.generation);
      let key = found.key;
      const plan = planFor(found.mechanisms);
      try {
        lib.C_SignInit(session.handle, plan.mechanism, key);
      } catch (error) {
        // A logout (and a new login) on the same session invalidates private-key handles on many tokens: look the key up once more.
        if (!isStaleHandle(error)) throw error;
        this.keyCache = undefined;
        try {
          key = this.keyFor(lib, session.handle, session.slot, session.generation).key;
        } catch (lookup) {
          // Logged out: say so. Key gone (the token pulled out or swapped): the first failure lets the session tell which.
          throw isVanthuError(lookup) && lookup.code === 'TOKEN_NOT_LOGGED_IN' ? lookup : error;
        }
        lib.C_SignInit(session.handle, plan.mechanism, key);
      }
      if (contextPin !== undefined) lib.C_Login(session.handle, pkcs11js.CKU_CONTEXT_SPECIFIC, contextPin);
      const signature = await lib.C_SignAsync(session.handle, plan.input, Buffer.alloc(1024));
      return ecdsa ? rawEcdsaToDer(signature) : new Uint8Array(signature);
    });
  }

  private assertFitsKey(algorithm: SignatureAlgorithm): void {
    const keyType = this.certificate.certificate.publicKey.type;
    const wants = algorithm.name === 'ECDSA' ? 'ec' : 'rsa';
    if (keyType !== wants) {
      throw new VanthuError('BAD_INPUT', { detail: `${algorithm.name} cannot be used with a ${keyType} key / không dùng được với khóa ${keyType}` });
    }
  }

  private keyFor(lib: pkcs11js.PKCS11, session: pkcs11js.Handle, slot: pkcs11js.Handle, generation: number) {
    if (this.keyCache?.generation === generation) return this.keyCache;
    const [key] = findObjects(lib, session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_ID, value: Buffer.from(this.certificate.id, 'hex') },
    ]);
    if (!key) {
      const token = this.session.token.label;
      const cert = this.certificate.label || this.certificate.id;
      // Private keys are hidden until login on most tokens.
      throw !isSessionLoggedIn(lib, session)
        ? new VanthuError('TOKEN_NOT_LOGGED_IN', { token })
        : new VanthuError('TOKEN_KEY_NOT_FOUND', { token, cert });
    }
    this.keyCache = { generation, key, mechanisms: new Set(lib.C_GetMechanismList(slot)) };
    return this.keyCache;
  }
}

const isStaleHandle = (error: unknown): boolean =>
  error instanceof pkcs11js.Pkcs11Error && (error.code === pkcs11js.CKR_KEY_HANDLE_INVALID || error.code === pkcs11js.CKR_OBJECT_HANDLE_INVALID);

/** Hashes here and uses the raw mechanism when the token has it (works on every token); else lets the token hash. */
export function planMechanism(algorithm: SignatureAlgorithm, data: Uint8Array, mechanisms: Set<number>): MechanismPlan {
  const hash = HASH[algorithm.hash];
  const pss = (): pkcs11js.RsaPSS => ({
    type: pkcs11js.CK_PARAMS_RSA_PSS,
    hashAlg: hash.ckm,
    mgf: hash.mgf,
    saltLen: algorithm.name === 'RSA-PSS' ? (algorithm.saltLength ?? hash.length) : hash.length,
  });
  const raw = RAW[algorithm.name];
  if (mechanisms.has(raw)) {
    const digest = createHash(hash.node).update(data).digest();
    if (algorithm.name === 'RSASSA-PKCS1-v1_5') {
      return { mechanism: { mechanism: raw }, input: Buffer.concat([Buffer.from(hash.digestInfo, 'hex'), digest]) };
    }
    if (algorithm.name === 'RSA-PSS') return { mechanism: { mechanism: raw, parameter: pss() }, input: digest };
    return { mechanism: { mechanism: raw }, input: digest };
  }
  const combined = COMBINED[algorithm.name][algorithm.hash];
  if (!mechanisms.has(combined)) throw new VanthuError('TOKEN_MECHANISM_UNSUPPORTED', { algorithm: `${algorithm.name} ${algorithm.hash}` });
  return {
    mechanism: algorithm.name === 'RSA-PSS' ? { mechanism: combined, parameter: pss() } : { mechanism: combined },
    input: Buffer.from(data),
  };
}
