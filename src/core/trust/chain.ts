// Builds a certificate chain from a leaf to a trusted root by issuer/subject bytes and key ids, checking every link.
import { equalBytes } from './bytes.js';
import { signatureVerifies, tryReadCertificate, type TrustCertificate } from './certificate.js';
import { dateText, problem } from './problems.js';
import type { ChainResult, TrustProblem, TrustStore } from './types.js';

/** Longest path tried, leaf and root included; real Vietnamese chains have 2 or 3. */
export const MAX_CHAIN_LENGTH = 8;
/** Dead ends explored before giving up, so a hostile pile of cross-certificates cannot stall us. */
const MAX_PATHS = 64;
/** sha1WithRSAEncryption and ecdsa-with-SHA1: the G1/MIC era, accepted only for signatures of proven time. */
const SHA1_SIGNATURES = new Set(['1.2.840.113549.1.1.5', '1.2.840.10045.4.1']);

interface Candidate {
  path: TrustCertificate[];
  anchored: boolean;
  /** Why the path stops short of a trust anchor. */
  ending: TrustProblem | undefined;
}

/** AKI/SKI only rule a candidate out when both are present and differ (either may be missing). */
const keyIdsAgree = (child: TrustCertificate, issuer: TrustCertificate): boolean =>
  !child.authorityKeyId || !issuer.subjectKeyId || equalBytes(child.authorityKeyId, issuer.subjectKeyId);

const mayHaveIssued = (issuer: TrustCertificate, child: TrustCertificate): boolean =>
  equalBytes(issuer.subjectDer, child.issuerDer) && keyIdsAgree(child, issuer);

/** Parsed certificates by the byte array they came from: a store's roots and intermediates are read once, not per chain. */
const parsed = new WeakMap<Uint8Array, { cert: TrustCertificate } | { error: string }>();
function readCached(der: Uint8Array): { cert: TrustCertificate } | { error: string } {
  let read = parsed.get(der);
  if (!read) {
    read = tryReadCertificate(der);
    parsed.set(der, read);
  }
  return read;
}

function readAll(ders: Uint8Array[]): TrustCertificate[] {
  const seen = new Set<string>();
  const out: TrustCertificate[] = [];
  for (const der of ders) {
    const read = readCached(der);
    // An unreadable candidate cannot be part of any chain: skipping it is all we can do.
    if ('cert' in read && !seen.has(read.cert.fingerprint)) {
      seen.add(read.cert.fingerprint);
      out.push(read.cert);
    }
  }
  return out;
}

class SignatureCache {
  private readonly results = new Map<string, boolean>();
  verified(child: TrustCertificate, issuer: TrustCertificate): boolean {
    const key = `${child.fingerprint}/${issuer.fingerprint}`;
    let result = this.results.get(key);
    if (result === undefined) {
      result = signatureVerifies(child, issuer);
      this.results.set(key, result);
    }
    return result;
  }
}

/** Everything wrong with one path, link by link. */
function problemsOf(candidate: Candidate, at: Date, signatures: SignatureCache): TrustProblem[] {
  const { path } = candidate;
  const problems: TrustProblem[] = [];
  path.forEach((cert, index) => {
    if (at > cert.notAfter) problems.push(problem('TRUST_CERT_EXPIRED', { subject: cert.name, notAfter: dateText(cert.notAfter) }));
    if (at < cert.notBefore) problems.push(problem('TRUST_CERT_NOT_YET_VALID', { subject: cert.name, notBefore: dateText(cert.notBefore) }));
    const issuer = path[index + 1];
    if (issuer && !signatures.verified(cert, issuer)) {
      problems.push(problem('TRUST_SIGNATURE_INVALID', { subject: cert.name, issuer: issuer.name }));
    }
    // The trust anchor's own constraints are the user's choice (RFC 5280 6.1.1): only intermediates are checked.
    const isIntermediate = index > 0 && !(candidate.anchored && index === path.length - 1);
    if (isIntermediate) {
      if (!cert.isCA) problems.push(problem('TRUST_ISSUER_NOT_CA', { subject: cert.name }));
      else if (cert.keyUsage && !cert.keyUsage.includes('keyCertSign')) problems.push(problem('TRUST_ISSUER_NO_KEY_CERT_SIGN', { subject: cert.name }));
      // pathLen counts the intermediate CAs below this one (the leaf is not one).
      if (cert.pathLen !== undefined && index - 1 > cert.pathLen) problems.push(problem('TRUST_PATH_LENGTH_EXCEEDED', { subject: cert.name, pathLen: cert.pathLen }));
    }
  });
  if (candidate.ending) problems.push(candidate.ending);
  return problems;
}

const isSelfSigned = (cert: TrustCertificate, signatures: SignatureCache): boolean =>
  equalBytes(cert.subjectDer, cert.issuerDer) && signatures.verified(cert, cert);

/**
 * Builds the chain of `leaf` (DER) up to a root of `store`, using `candidates` as intermediates, and checks
 * it at `at`. Never throws: an unreadable leaf is a problem like any other.
 */
export function buildChain(leaf: Uint8Array, candidates: Uint8Array[], store: TrustStore, at: Date): ChainResult {
  const read = tryReadCertificate(leaf);
  if ('error' in read) return { trusted: false, path: [leaf], problems: [problem('CERT_PARSE_FAILED', { detail: read.error })], provisional: false, legacySha1: false };
  const anchors = readAll(store.roots);
  const anchorIds = new Set(anchors.map((a) => a.fingerprint));
  const pool = [...anchors, ...readAll([...candidates, ...(store.intermediates ?? [])]).filter((c) => !anchorIds.has(c.fingerprint))];
  const signatures = new SignatureCache();
  const finished: Candidate[] = [];

  const extend = (path: TrustCertificate[]): boolean => {
    if (finished.length >= MAX_PATHS) return true;
    const current = path[path.length - 1]!;
    const done = (candidate: Candidate): boolean => {
      finished.push(candidate);
      return candidate.anchored && problemsOf(candidate, at, signatures).length === 0;
    };
    if (anchorIds.has(current.fingerprint)) return done({ path, anchored: true, ending: undefined });
    if (isSelfSigned(current, signatures)) {
      // The same root re-encoded or re-issued with the same name and key is still the trusted root.
      const same = anchors.find((a) => equalBytes(a.subjectDer, current.subjectDer) && equalBytes(a.publicKeyBits, current.publicKeyBits));
      if (same) return done({ path: [...path.slice(0, -1), same], anchored: true, ending: undefined });
      return done({ path, anchored: false, ending: problem('TRUST_ROOT_NOT_TRUSTED', { subject: current.name }) });
    }
    if (path.length >= MAX_CHAIN_LENGTH) return done({ path, anchored: false, ending: problem('TRUST_CHAIN_TOO_LONG', { max: MAX_CHAIN_LENGTH }) });
    const issuers = pool.filter((c) => mayHaveIssued(c, current));
    const fresh = issuers.filter((c) => !path.some((p) => p.fingerprint === c.fingerprint));
    if (fresh.length === 0) {
      const ending = issuers.length > 0
        ? problem('TRUST_CHAIN_LOOP', { subject: current.name })
        : problem('TRUST_ISSUER_NOT_FOUND', { subject: current.name, issuer: current.issuerName });
      return done({ path, anchored: false, ending });
    }
    // Issuers whose signature checks out first, so a decoy with the right name does not hide the real one.
    fresh.sort((a, b) => Number(signatures.verified(current, b)) - Number(signatures.verified(current, a)));
    return fresh.some((issuer) => extend([...path, issuer]));
  };
  extend([read.cert]);

  const scored = finished.map((candidate) => ({ candidate, problems: problemsOf(candidate, at, signatures) }));
  // Prefer paths reaching a trust anchor, then fewer problems, then the path that got furthest.
  scored.sort(
    (a, b) =>
      Number(b.candidate.anchored) - Number(a.candidate.anchored) ||
      a.problems.length - b.problems.length ||
      b.candidate.path.length - a.candidate.path.length,
  );
  const best = scored[0]!;
  const top = best.candidate.path.at(-1)!;
  return {
    trusted: best.candidate.anchored && best.problems.length === 0,
    path: best.candidate.path.map((c) => c.der),
    problems: best.problems,
    provisional: best.candidate.anchored && (store.provisional?.has(top.fingerprint) ?? false),
    // The root's self-signature proves nothing, so only the links below it count.
    legacySha1: best.candidate.path.slice(0, -1).some((c) => SHA1_SIGNATURES.has(c.signatureAlgorithm)),
  };
}
