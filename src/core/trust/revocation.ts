// Revocation status of one certificate: supplied evidence first (a PDF's DSS, a CMS), then kept answers, then OCSP, then the CRL, online only when allowed.
import { derFromMaybePem, equalBytes, integerHex } from './bytes.js';
import { signatureVerifies, tryReadCertificate } from './certificate.js';
import { judgeCrl } from './crl.js';
import { fetchBytes, isHttpUrl } from './http.js';
import { crlKey, keepEvidence, keptEvidence, ocspKey, type RevocationCache } from './revocation-cache.js';
import { buildOcspRequest, judgeOcspResponse } from './ocsp.js';
import { fromEvidence, fromUrl, problem } from './problems.js';
import type { Verdict } from './revocation-reasons.js';
import type { RevocationResult, TrustProblem } from './types.js';

/** Per request; government responders are slow, but a signing dialog should not hang for minutes. */
export const DEFAULT_REVOCATION_TIMEOUT_MS = 10_000;

export interface RevocationOptions {
  at: Date;
  /** DER OCSPResponse values already at hand. */
  ocspResponses?: Uint8Array[];
  /** DER (or PEM) CRLs already at hand. */
  crls?: Uint8Array[];
  /** Ask the certificate's OCSP responder and CRL distribution point; default false. */
  online?: boolean;
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Which methods to use, in this order of preference; default both, OCSP first. */
  methods?: ('ocsp' | 'crl')[];
  /** Answers kept from earlier checks, asked before the network (online only) and given what the network answers. */
  cache?: RevocationCache;
  /** The wall clock the cache compares nextUpdate with; default the real time (tests pass a crafted one). */
  now?: Date;
}

type Settled = Extract<Verdict, { kind: 'status' }>;

function settled(verdict: Settled, source: 'ocsp' | 'crl', evidence: Uint8Array, problems: TrustProblem[]): RevocationResult {
  return {
    status: verdict.status,
    source,
    ...(verdict.revokedAt ? { revokedAt: verdict.revokedAt } : {}),
    ...(verdict.reason ? { reason: verdict.reason } : {}),
    producedAt: verdict.producedAt,
    ...(source === 'ocsp' ? { ocspResponse: evidence } : { crl: evidence }),
    problems,
  };
}

const unknown = (problems: TrustProblem[]): RevocationResult => ({ status: 'unknown', source: 'none', problems });

/**
 * Whether `cert` (DER) was revoked at `options.at`, `issuer` being its issuer's certificate. Never throws:
 * unreachable services, timeouts and bad answers give status 'unknown' with the reasons in `problems`.
 */
export async function checkRevocation(cert: Uint8Array, issuer: Uint8Array, options: RevocationOptions): Promise<RevocationResult> {
  const readCert = tryReadCertificate(cert);
  if ('error' in readCert) return unknown([problem('CERT_PARSE_FAILED', { detail: readCert.error })]);
  const readIssuer = tryReadCertificate(issuer);
  if ('error' in readIssuer) return unknown([problem('CERT_PARSE_FAILED', { detail: readIssuer.error })]);
  const subject = readCert.cert;
  const ca = readIssuer.cert;
  // A wrong "issuer" would make every answer about some other certificate, or let a forged CRL through.
  if (!equalBytes(subject.issuerDer, ca.subjectDer)) return unknown([problem('TRUST_ISSUER_NOT_FOUND', { subject: subject.name, issuer: subject.issuerName })]);
  if (!signatureVerifies(subject, ca)) return unknown([problem('TRUST_SIGNATURE_INVALID', { subject: subject.name, issuer: ca.name })]);
  const { at } = options;
  const methods = options.methods ?? ['ocsp', 'crl'];
  const problems: TrustProblem[] = [];

  for (const method of methods) {
    const evidence = method === 'ocsp' ? (options.ocspResponses ?? []) : (options.crls ?? []).map((c) => derFromMaybePem(c, ['X509 CRL']));
    for (const [index, der] of evidence.entries()) {
      const source = fromEvidence(method === 'ocsp' ? 'OCSP' : 'CRL', index);
      const verdict = method === 'ocsp' ? judgeOcspResponse(der, subject, ca, at, source) : judgeCrl(der, subject, ca, at, source);
      if (verdict.kind === 'status') return settled(verdict, method, der, problems);
      // Evidence about other certificates is normal in a DSS and says nothing about this one.
      if (verdict.kind === 'unusable') problems.push(verdict.problem);
    }
  }
  if (!options.online) return unknown([...problems, problem('TRUST_REVOCATION_OFFLINE', { subject: subject.name })]);

  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REVOCATION_TIMEOUT_MS;
  const urls = (method: 'ocsp' | 'crl') => (method === 'ocsp' ? subject.ocspUrls : subject.crlUrls).filter(isHttpUrl);
  if (methods.every((method) => urls(method).length === 0)) {
    return unknown([...problems, problem('TRUST_REVOCATION_NO_SOURCE', { subject: subject.name })]);
  }
  for (const method of methods) {
    for (const url of urls(method)) {
      const source = fromUrl(url);
      let verdict: Verdict;
      let body: Uint8Array;
      const cacheKey = method === 'ocsp' ? ocspKey(subject, ca) : crlKey(ca, url);
      const kept = await keptEvidence(options.cache, cacheKey, options.now ?? new Date());
      if (kept) {
        const keptVerdict = method === 'ocsp' ? judgeOcspResponse(kept, subject, ca, at, source) : judgeCrl(kept, subject, ca, at, source);
        if (keptVerdict.kind === 'status') return settled(keptVerdict, method, kept, problems);
      }
      if (method === 'ocsp') {
        const request = buildOcspRequest(subject, ca);
        const fetched = await fetchBytes('OCSP', url, { body: request.der, contentType: 'application/ocsp-request', accept: 'application/ocsp-response' }, timeoutMs, fetchImpl);
        if ('problem' in fetched) {
          problems.push(fetched.problem);
          continue;
        }
        body = fetched.bytes;
        verdict = judgeOcspResponse(body, subject, ca, at, source, request.nonce);
        if (verdict.kind === 'unrelated') verdict = { kind: 'unusable', problem: problem('TRUST_OCSP_NO_MATCH', { ...source, subject: subject.name }) };
      } else {
        const fetched = await fetchBytes('CRL', url, { accept: 'application/pkix-crl, */*' }, timeoutMs, fetchImpl);
        if ('problem' in fetched) {
          problems.push(fetched.problem);
          continue;
        }
        body = derFromMaybePem(fetched.bytes, ['X509 CRL']);
        verdict = judgeCrl(body, subject, ca, at, source);
        if (verdict.kind === 'unrelated') verdict = { kind: 'unusable', problem: problem('TRUST_CRL_WRONG_ISSUER', { ...source, issuer: ca.name }) };
      }
      if (verdict.kind === 'status') {
        await keepEvidence(options.cache, cacheKey, body, integerHex(subject.serial));
        return settled(verdict, method, body, problems);
      }
      if (verdict.kind === 'unusable') problems.push(verdict.problem);
    }
  }
  return unknown(problems);
}
