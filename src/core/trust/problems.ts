// Builds bilingual trust problems from the shared error catalogue.
import { errorCatalogue, type ErrorCode } from '../../shared/errors.js';
import { vietnamDateTime } from '../../shared/vietnam-time.js';
import type { TrustProblem } from './types.js';

type Params = Record<string, string | number | undefined>;

export function problem(code: ErrorCode, params: Params = {}): TrustProblem {
  const entry = errorCatalogue[code];
  return { code, messageVi: entry.vi(params), messageEn: entry.en(params) };
}

/** Where a piece of revocation evidence came from, named in both languages for messages. */
export type EvidenceSource = {
  sourceVi: string;
  sourceEn: string;
};

export const fromUrl = (url: string): EvidenceSource => ({ sourceVi: url, sourceEn: url });

export const fromEvidence = (kind: 'OCSP' | 'CRL', index: number): EvidenceSource => ({
  sourceVi: `${kind} kèm theo số ${index + 1}`,
  sourceEn: `supplied ${kind} no. ${index + 1}`,
});

/** Dates in messages: Vietnam time, dd/MM/yyyy HH:mm:ss, as officials read them in both languages. */
export const dateText = (date: Date): string => vietnamDateTime(date);
