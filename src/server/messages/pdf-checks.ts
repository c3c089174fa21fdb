// What the server demands of every file in a submission: a PDF, valid signatures, nothing after the last one, the sender's seal (for a sender known only through the axis, an organization's seal); and which files only could not be checked yet.
import type { TrustStore } from '../../core/trust/index.js';
import type { CertificateInfo } from '../../shared/certificate.js';
import { validatePdf } from '../../core/validation/index.js';
import { VanthuError } from '../../shared/errors.js';
import type { Reason } from '../http-errors.js';
import type { PdfValidationReport } from '../../shared/validation.js';
import type { PdfVerifier } from './verifier.js';

export interface FileCheck {
  name: string;
  sha256: string;
  bytes: Uint8Array;
}

export interface PdfCheckOptions {
  trust: TrustStore;
  online: boolean;
  now: Date;
  sender: string;
  /** Where the file is verified (the server's pool and verdict cache); inline when absent. */
  verifier?: PdfVerifier;
  /** Whether a (valid, trusted) signer's certificate is the sender's agency certificate. */
  isSenderSeal: (signer: CertificateInfo) => Promise<boolean>;
  /**
   * Only for a sender known only through the axis (no seal of it bound here): whether a (valid, trusted) signer is an
   * organization certificate bound to no agency of ours. When no signature is the bound seal, the last signature passing
   * this is accepted instead, and the file is reported `sealNotBound`.
   */
  isUnboundOrganizationSeal?: (signer: CertificateInfo) => Promise<boolean>;
}

const reasonOf = (file: string, error: VanthuError): Reason => ({ file, code: error.code, messageVi: error.messageVi, messageEn: error.messageEn });

/**
 * The server's policy on one report, in one place: a file is only "not checked yet" when it is
 * indeterminate and every problem is TRY_LATER (a revocation responder did not answer). A chain to none
 * of the server's roots (NO_CERTIFICATE_CHAIN_FOUND) is the server's policy and refused at once, like
 * anything invalid; so is every other indeterminate sub-indication.
 */
export function couldNotCheckYet(report: PdfValidationReport): boolean {
  if (report.verdict !== 'indeterminate') return false;
  const problems = [...report.findings, ...report.signatures.flatMap((s) => s.findings)].filter((f) => f.severity !== 'info');
  return problems.length > 0 && problems.every((f) => f.subIndication === 'TRY_LATER');
}

export interface PdfCheck {
  /** Why the file is refused; empty when it is not. */
  refusals: Reason[];
  /** Why it cannot be decided yet (revocation unreachable); non-empty only when there is no refusal. */
  waiting: Reason[];
  /** Sealed by an organization certificate not bound here (sender known through the axis), not by a bound seal. */
  sealNotBound: boolean;
}

/** Every reason the file is refused, or why it must wait for a re-check; both empty when it is acceptable. */
export async function checkPdf(file: FileCheck, options: PdfCheckOptions): Promise<PdfCheck> {
  const head = Buffer.from(file.bytes.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) return { refusals: [reasonOf(file.sha256, new VanthuError('SERVER_FILE_NOT_PDF', { name: file.name }))], waiting: [], sealNotBound: false };
  const report = options.verifier
    ? await options.verifier.verify({ bytes: file.bytes, sha256: file.sha256, online: options.online, now: options.now })
    : await validatePdf(file.bytes, { trust: options.trust, online: options.online, now: options.now });
  const pending = couldNotCheckYet(report);
  const reasons: Reason[] = [];
  if (report.verdict !== 'valid') {
    reasons.push(reasonOf(file.sha256, new VanthuError('SERVER_PDF_NOT_VALID', { name: file.name, verdict: report.verdict, summaryVi: report.summaryVi, summaryEn: report.summaryEn })));
    for (const finding of report.findings) reasons.push({ file: file.sha256, code: finding.code, messageVi: finding.messageVi, messageEn: finding.messageEn });
    for (const signature of report.signatures) {
      for (const finding of signature.findings.filter((f) => f.severity !== 'info')) {
        reasons.push({ file: file.sha256, code: finding.code, messageVi: `#${signature.index}: ${finding.messageVi}`, messageEn: `#${signature.index}: ${finding.messageEn}` });
      }
    }
  }
  const waiting = pending ? reasons.splice(0) : [];
  const last = report.signatures.at(-1);
  // "Valid" allows harmless later revisions; the exchange wants the file exactly as last signed.
  if (last && !last.coverage.coversWholeFile) reasons.push(reasonOf(file.sha256, new VanthuError('SERVER_PDF_NOT_COVERED', { name: file.name })));
  let sealed = false;
  // A seal whose only doubt is its revocation status counts while the file waits; the re-check decides it.
  const acceptable = (s: PdfValidationReport['signatures'][number]): boolean => s.kind === 'signature' && (s.verdict === 'valid' || (pending && s.verdict === 'indeterminate')) && s.chain.trusted && s.signer !== undefined;
  for (const s of report.signatures) {
    if (acceptable(s) && (await options.isSenderSeal(s.signer!))) sealed = true;
  }
  let sealNotBound = false;
  if (!sealed && options.isUnboundOrganizationSeal && report.signatures.length > 0) {
    // The axis vouches for the sender, the chain for the signer: the document must end with an organization's seal.
    const lastSignature = report.signatures.filter((s) => s.kind === 'signature').at(-1);
    if (lastSignature && acceptable(lastSignature) && (await options.isUnboundOrganizationSeal(lastSignature.signer!))) sealNotBound = true;
    else reasons.push(reasonOf(file.sha256, new VanthuError('SERVER_PDF_NOT_SEALED_BY_ORGANIZATION', { name: file.name, sender: options.sender })));
  } else if (report.signatures.length > 0 && !sealed) {
    reasons.push(reasonOf(file.sha256, new VanthuError('SERVER_PDF_NOT_SIGNED_BY_SENDER', { name: file.name, sender: options.sender })));
  }
  return reasons.length > 0 ? { refusals: [...waiting, ...reasons], waiting: [], sealNotBound: false } : { refusals: [], waiting, sealNotBound };
}
