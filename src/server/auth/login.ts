// Login by signed challenge: the token's signature over the server origin and nonce, the chain to a trusted root, revocation, binding.
import { constants, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { buildChain, checkRevocation } from '../../core/trust/index.js';
import { parseCertificate } from '../../core/x509/certificate-info.js';
import type { CertificateInfo } from '../../shared/certificate.js';
import { authSignedText, type AuthAlgorithm, type TokenRequest } from '../../shared/exchange-protocol.js';
import { VanthuError } from '../../shared/errors.js';
import type { ResolvedConfig } from '../config.js';
import { recognise } from '../directory/agencies.js';
import { consumeChallenge } from './challenges.js';
import { issueSession } from './sessions.js';

const HASH = { 'SHA-256': ['sha256', 32], 'SHA-384': ['sha384', 48], 'SHA-512': ['sha512', 64] } as const;

function signatureVerifies(key: KeyObject, algorithm: AuthAlgorithm, data: Uint8Array, signature: Uint8Array): boolean {
  const [hash, length] = HASH[algorithm.hash];
  const type = key.asymmetricKeyType;
  try {
    if (algorithm.name === 'ECDSA') return type === 'ec' && verify(hash, data, { key, dsaEncoding: 'der' }, signature);
    if (type !== 'rsa' && type !== 'rsa-pss') return false;
    if (algorithm.name === 'RSA-PSS') {
      return verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: algorithm.saltLength ?? length }, signature);
    }
    return verify(hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
}

const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

export interface LoginResult {
  token: string;
  expiresAt: string;
  organId: string;
  name: string;
}

export async function login(config: ResolvedConfig, request: TokenRequest): Promise<LoginResult> {
  const { db } = config.database;
  const now = config.clock();
  // First, so a replayed or forged attempt cannot be retried against the same nonce.
  await consumeChallenge(db, request.nonce, now);
  const chain = request.certificateChain.map(fromBase64);
  const leaf = chain[0]!;
  const info: CertificateInfo = parseCertificate(leaf);
  const key = new X509Certificate(leaf).publicKey;
  const signed = new TextEncoder().encode(authSignedText(config.origin, request.nonce));
  if (!signatureVerifies(key, request.algorithm, signed, fromBase64(request.signature))) throw new VanthuError('SERVER_LOGIN_SIGNATURE_INVALID');

  const subject = info.subject.commonName ?? info.subject.text;
  const path = buildChain(leaf, chain.slice(1), config.trust, now);
  if (!path.trusted) {
    throw new VanthuError('SERVER_CERT_UNTRUSTED', {
      subject,
      detailVi: path.problems.map((p) => p.messageVi).join('; '),
      detailEn: path.problems.map((p) => p.messageEn).join('; '),
    });
  }
  if (info.keyUsage && !info.keyUsage.includes('digitalSignature')) {
    throw new VanthuError('SERVER_CERT_UNTRUSTED', { subject, detailVi: 'chứng thư không được phép ký (digitalSignature)', detailEn: 'the certificate may not sign (digitalSignature)' });
  }
  const revocation = await checkRevocation(leaf, path.path[1]!, { at: now, online: config.revocation.online, timeoutMs: config.revocation.timeoutMs, cache: config.revocationCache });
  if (revocation.status === 'revoked') throw new VanthuError('SERVER_CERT_REVOKED', { subject });
  if (revocation.status === 'unknown' && config.revocation.requireKnown) throw new VanthuError('SERVER_CERT_REVOCATION_UNKNOWN', { subject });

  const binding = await recognise(db, info);
  if (!binding) throw new VanthuError('SERVER_CERT_NOT_BOUND', { subject });
  const agency = await db.selectFrom('agencies').select(['organ_id', 'name']).where('organ_id', '=', binding.organId).executeTakeFirstOrThrow();
  const session = await issueSession(db, { organId: agency.organ_id, certSha256: info.sha256, ruleId: binding.ruleId }, now, config.tokenTtlSeconds);
  return { ...session, organId: agency.organ_id, name: agency.name };
}
