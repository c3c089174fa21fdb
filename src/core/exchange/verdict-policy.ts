// What the recipient does with an incoming file, from its validation report: take it in, hold it for a re-check, or return it (02).
import type { PdfValidationReport } from '../../shared/validation.js';

/**
 * - accept: valid and exactly as last signed.
 * - hold: could not be decided here yet (no trusted root, revocation unreachable, …): stored, flagged
 *   "cần kiểm tra lại", answered 01 only, checked again later; never returned automatically.
 * - return: invalid (tampered, revoked, broken structure, not a PDF, changed after the last signature): 02.
 */
export type IncomingDecision = { action: 'accept' } | { action: 'hold'; reason: string } | { action: 'return'; reason: string };

/** A file the pull did not validate (an attachment that is not a PDF) is taken as it is. */
export const acceptAsIs: IncomingDecision = { action: 'accept' };

/** The finding codes of a report (the document's and every signature's), for the reason kept with a held file. */
function codesOf(report: PdfValidationReport): string[] {
  const codes = [...report.findings, ...report.signatures.flatMap((s) => s.findings)].filter((f) => f.severity !== 'info').map((f) => f.code);
  return [...new Set(codes)];
}

/**
 * The one place the decision is made (written against today's verdict + finding codes; to switch to
 * indication/subIndication later, only this function changes).
 */
export function decideIncoming(name: string, report: PdfValidationReport): IncomingDecision {
  if (report.verdict === 'unsigned' || report.signatures.length === 0) return { action: 'return', reason: `${name}: not signed` };
  if (report.verdict === 'invalid') return { action: 'return', reason: `${name}: invalid — ${report.summaryEn}` };
  // Bytes added after the last signature are the file's own fault whatever the chain says.
  if (!report.signatures.at(-1)!.coverage.coversWholeFile) return { action: 'return', reason: `${name}: changed after the last signature` };
  if (report.verdict === 'indeterminate') return { action: 'hold', reason: `${name}: indeterminate (${codesOf(report).join(', ') || 'no code'}) — ${report.summaryEn}` };
  return { action: 'accept' };
}

/** Not a PDF although named one: returned without validation. */
export const notPdf = (name: string): IncomingDecision => ({ action: 'return', reason: `${name}: not a PDF` });
