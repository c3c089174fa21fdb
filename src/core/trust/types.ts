// The public shapes of the trust module: trust store, problems, chain and revocation results.

export interface TrustStore {
  /** Trusted root certificates, DER. */
  roots: Uint8Array[];
  /** SHA-256 (hex) of the roots trusted only provisionally (seen in too few sources): reports say so. */
  provisional?: ReadonlySet<string>;
  /** CA certificates offered to every chain (the bundled intermediates); never trusted by themselves. */
  intermediates?: Uint8Array[];
}

/** One reason a certificate is not (or not provably) trustworthy, in both languages. */
export interface TrustProblem {
  code: string;
  messageVi: string;
  messageEn: string;
}

export interface ChainResult {
  trusted: boolean;
  /** Leaf first; ends with the trusted root when `trusted`. */
  path: Uint8Array[];
  problems: TrustProblem[];
  /** The chain ends at a root the store trusts only provisionally. */
  provisional?: boolean;
  /** A certificate on the path (below the root) is signed with SHA-1. */
  legacySha1?: boolean;
}

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

export interface RevocationResult {
  status: RevocationStatus;
  source: 'ocsp' | 'crl' | 'none';
  /** Set when the certificate is revoked; also set with status 'good' when it was revoked only after `at`. */
  revokedAt?: Date;
  /** RFC 5280 CRLReason name, e.g. 'keyCompromise'. */
  reason?: string;
  /** OCSP producedAt, or the CRL's thisUpdate. */
  producedAt?: Date;
  /** Raw evidence to embed later in a PDF DSS. */
  ocspResponse?: Uint8Array;
  crl?: Uint8Array;
  problems: TrustProblem[];
}
