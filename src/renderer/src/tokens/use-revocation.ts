// Asks main (off the UI thread) whether the certificates a picker shows are revoked, once per set of certificates; "checking" until it answers.
import { useEffect, useState } from 'react';
import { call } from '../bridge.js';
import type { RevocationState, TokenCertificate } from './certificate-view.js';

export function useRevocation(certificates: readonly TokenCertificate[]): ReadonlyMap<string, RevocationState> {
  const [answers, setAnswers] = useState<ReadonlyMap<string, RevocationState>>(new Map());
  // Token lists are re-read often (after a wrong PIN, a token plugged in): ask again only when the certificates change.
  const key = [...new Set(certificates.map((c) => c.sha256))].sort().join(',');
  useEffect(() => {
    if (key === '') return;
    let live = true;
    const ders = new Map(certificates.map((c) => [c.sha256.toLowerCase(), c.der]));
    setAnswers(new Map([...ders.keys()].map((sha) => [sha, 'checking' as const])));
    call('certificates.revocation', { certificates: [...ders.values()] }).then(
      (statuses) => live && setAnswers(new Map(statuses.map((s) => [s.sha256.toLowerCase(), s.status]))),
      () => live && setAnswers(new Map([...ders.keys()].map((sha) => [sha, 'unknown' as const]))),
    );
    return () => {
      live = false;
    };
    // `key` stands for the certificates: the same ones in a new array ask nothing again.
  }, [key]);
  return answers;
}

/** The state of one certificate (fingerprints compared in lower case). */
export const revocationFor = (answers: ReadonlyMap<string, RevocationState>, sha256: string): RevocationState | undefined => answers.get(sha256.toLowerCase());
