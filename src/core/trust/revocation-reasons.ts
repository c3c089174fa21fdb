// RFC 5280 CRLReason codes by name, and the verdict and freshness rules shared by OCSP and CRL answers.
import type { TrustProblem } from './types.js';

const REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  undefined, // 7 is not used
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;

export const reasonName = (code: number): string => REASONS[code] ?? `reason ${code}`;

/** What one piece of revocation evidence says about one certificate. */
export type Verdict =
  | { kind: 'status'; status: 'good' | 'revoked'; revokedAt?: Date; reason?: string; producedAt: Date }
  | { kind: 'unusable'; problem: TrustProblem }
  | { kind: 'unrelated' };

/** Clock difference tolerated between us and a responder or CRL issuer. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;
/** An answer without nextUpdate is taken as current for this long after thisUpdate. */
export const MAX_AGE_WITHOUT_NEXT_UPDATE_MS = 24 * 60 * 60 * 1000;

/**
 * Whether a 'good' answer covers `at`: issued at or after `at` (then the certificate was not revoked by `at`),
 * or still within its validity window at `at`.
 */
export function coversTime(thisUpdate: Date, nextUpdate: Date | undefined, at: Date): boolean {
  if (thisUpdate.getTime() >= at.getTime() - CLOCK_SKEW_MS) return true;
  const until = nextUpdate ? nextUpdate.getTime() : thisUpdate.getTime() + MAX_AGE_WITHOUT_NEXT_UPDATE_MS;
  return at.getTime() <= until + CLOCK_SKEW_MS;
}
