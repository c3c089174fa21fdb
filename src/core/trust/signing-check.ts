// The check before signing: a certificate that must not sign is an error, one whose trust cannot be shown is a warning.
import { buildChain } from './chain.js';
import { tryReadCertificate } from './certificate.js';
import { dateText, problem } from './problems.js';
import { checkRevocation } from './revocation.js';
import type { ChainResult, RevocationResult, TrustProblem, TrustStore } from './types.js';

export interface SigningCheck {
  /** False when any error: signing must not go on. Warnings are shown but do not stop signing. */
  ok: boolean;
  warnings: TrustProblem[];
  errors: TrustProblem[];
  chain: ChainResult;
  revocation?: RevocationResult;
}

const LEAF_VALIDITY = new Set(['TRUST_CERT_EXPIRED', 'TRUST_CERT_NOT_YET_VALID']);

/**
 * Checks the signer's certificate (DER) before signing: validity now and key usage (errors), chain to a
 * trusted root (warnings), revocation online by default (revoked: error; cannot tell: warning).
 */
export async function checkCertificateForSigning(
  cert: Uint8Array,
  candidates: Uint8Array[],
  store: TrustStore,
  options: { at?: Date; online?: boolean; timeoutMs?: number; fetch?: typeof fetch },
): Promise<SigningCheck> {
  const at = options.at ?? new Date();
  const chain = buildChain(cert, candidates, store, at);
  const read = tryReadCertificate(cert);
  if ('error' in read) return { ok: false, warnings: [], errors: [problem('CERT_PARSE_FAILED', { detail: read.error })], chain };
  const leaf = read.cert;
  const errors: TrustProblem[] = [];
  if (at > leaf.notAfter) errors.push(problem('TRUST_CERT_EXPIRED', { subject: leaf.name, notAfter: dateText(leaf.notAfter) }));
  if (at < leaf.notBefore) errors.push(problem('TRUST_CERT_NOT_YET_VALID', { subject: leaf.name, notBefore: dateText(leaf.notBefore) }));
  if (leaf.keyUsage && !leaf.keyUsage.includes('digitalSignature') && !leaf.keyUsage.includes('nonRepudiation')) {
    errors.push(problem('TRUST_KEY_USAGE_NOT_SIGNING', { subject: leaf.name }));
  }
  // The leaf's own validity is already an error above; the rest of the chain's problems only cast doubt.
  const leafText = new Set(errors.map((e) => e.messageEn));
  const warnings = chain.problems.filter((p) => !(LEAF_VALIDITY.has(p.code) && leafText.has(p.messageEn)));

  const issuer = chain.path[1];
  if (!issuer) {
    warnings.push(problem('TRUST_REVOCATION_NO_ISSUER', { subject: leaf.name }), problem('TRUST_REVOCATION_UNCHECKED', { subject: leaf.name }));
    return { ok: errors.length === 0, warnings, errors, chain };
  }
  const revocation = await checkRevocation(cert, issuer, { at, online: options.online ?? true, timeoutMs: options.timeoutMs, fetch: options.fetch });
  if (revocation.status === 'revoked') {
    errors.push(
      problem('TRUST_CERT_REVOKED', { subject: leaf.name, revokedAt: revocation.revokedAt ? dateText(revocation.revokedAt) : '?', reason: revocation.reason }),
    );
  } else if (revocation.status === 'unknown') {
    warnings.push(...revocation.problems, problem('TRUST_REVOCATION_UNCHECKED', { subject: leaf.name }));
  }
  return { ok: errors.length === 0, warnings, errors, chain, revocation };
}
