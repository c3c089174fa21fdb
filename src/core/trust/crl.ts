// CRL (RFC 5280): judges whether a certificate revocation list is the issuer's, signed by it, current, and lists the certificate.
import { derKey, remember } from '../x509/parse-cache.js';
import { equalBytes } from './bytes.js';
import type { TrustCertificate } from './certificate.js';
import { readCertificateList, type CertificateList, type RevokedEntry } from './certificate-list.js';
import { dateText, problem, type EvidenceSource } from './problems.js';
import { coversTime, reasonName, type Verdict } from './revocation-reasons.js';
import { verifySignature } from './signature.js';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The CRL read once per verification, or why it cannot be read. */
function parseCrl(der: Uint8Array): { crl: CertificateList } | { error: string } {
  try {
    return { crl: readCertificateList(der) };
  } catch (error) {
    return { error: messageOf(error) };
  }
}

/** What a CRL (DER) says about `cert` at `at`; 'unrelated' when another CA (or another key of it) issued it. */
export function judgeCrl(der: Uint8Array, cert: TrustCertificate, issuer: TrustCertificate, at: Date, source: EvidenceSource): Verdict {
  const bad = (detail: string): Verdict => ({ kind: 'unusable', problem: problem('TRUST_CRL_BAD', { ...source, detail }) });
  const key = derKey('crl', der);
  const parsed = remember(key, () => parseCrl(der));
  if ('error' in parsed) return bad(parsed.error);
  const { crl } = parsed;
  if (!equalBytes(crl.issuerDer, cert.issuerDer)) return { kind: 'unrelated' };
  if (crl.authorityKeyId && issuer.subjectKeyId && !equalBytes(crl.authorityKeyId, issuer.subjectKeyId)) return { kind: 'unrelated' };

  // A long CRL is verified once per issuer key, however many certificates and documents look it up (the answer is
  // the CRL's and the issuer's bytes', so a good signature is kept across verifications).
  const signed = remember(`${key}:signature:${issuer.fingerprint}`, () => verifySignature(crl.signatureAlgorithm, crl.tbs, crl.signature, issuer.publicKey), (good) => good);
  if (!signed) return { kind: 'unusable', problem: problem('TRUST_CRL_SIGNATURE_INVALID', source) };
  if (issuer.keyUsage && !issuer.keyUsage.includes('cRLSign')) return bad(`"${issuer.name}" may not sign CRLs (no cRLSign)`);
  // A delta CRL only lists changes since a base CRL: "not listed" in it proves nothing.
  if (crl.delta) return bad('delta CRLs are not supported');

  const { thisUpdate, nextUpdate } = crl;
  let entry: RevokedEntry | undefined;
  try {
    entry = crl.entry(cert.serial);
  } catch (error) {
    return bad(messageOf(error));
  }
  if (entry) {
    const { revokedAt } = entry;
    const reason = entry.reason === undefined ? undefined : reasonName(entry.reason);
    if (revokedAt <= at) return { kind: 'status', status: 'revoked', revokedAt, reason, producedAt: thisUpdate };
    if (coversTime(thisUpdate, nextUpdate, at)) return { kind: 'status', status: 'good', revokedAt, reason, producedAt: thisUpdate };
  } else if (coversTime(thisUpdate, nextUpdate, at)) {
    return { kind: 'status', status: 'good', producedAt: thisUpdate };
  }
  return {
    kind: 'unusable',
    problem: problem('TRUST_CRL_STALE', { ...source, thisUpdate: dateText(thisUpdate), nextUpdate: nextUpdate ? dateText(nextUpdate) : '-' }),
  };
}
