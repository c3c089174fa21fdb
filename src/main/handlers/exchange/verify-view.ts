// The validation report as the verify and inbox screens show it: facts per signature (who, when, which CA, what is covered), nothing the screen must dig for.
import { validatePdf } from '../../../core/validation/index.js';
import type { RevocationCache, TrustStore } from '../../../core/trust/index.js';
import type { VerifyReport } from '../../../shared/ipc/exchange.js';
import type { Finding, PdfValidationReport } from '../../../shared/validation.js';
import { findingsForPeople } from '../../../shared/validation-text.js';

const findingView = (f: Finding) => ({ severity: f.severity, messageVi: f.messageVi, messageEn: f.messageEn });

export function toVerifyReport(fileName: string, report: PdfValidationReport): VerifyReport {
  return {
    fileName,
    size: report.file.size,
    sha256: report.file.sha256,
    verdict: report.verdict,
    summaryVi: report.summaryVi,
    summaryEn: report.summaryEn,
    findings: report.findings.map(findingView),
    signatures: report.signatures.map((s) => ({
      index: s.index,
      kind: s.kind,
      verdict: s.verdict,
      signerName: s.signer?.subject.commonName ?? null,
      organization: s.signer?.subject.organization ?? null,
      issuer: s.signer?.issuer.commonName ?? s.signer?.issuer.organization ?? null,
      claimedTime: s.claimedSigningTime ?? null,
      timestamp: s.timestamp ? { time: s.timestamp.time, valid: s.timestamp.valid } : null,
      level: s.level,
      reason: s.reason ?? null,
      intact: s.integrity.digestMatches && s.integrity.signatureValid,
      coversWholeFile: s.coverage.coversWholeFile,
      laterRevisions: s.coverage.laterRevisions,
      disallowedChanges: s.modifications.disallowed,
      trustedChain: s.chain.trusted,
      chainPath: s.chain.path,
      revocation: { status: s.revocation.status, source: s.revocation.source, revokedAt: s.revocation.revokedAt ?? null },
      // What the outcome means and what to do first; routine notes every real file carries left out.
      findings: findingsForPeople(s),
    })),
  };
}

/** Validates the bytes against the app's trust roots (revocation online when reachable); never throws for "invalid". */
export async function verifyBytes(fileName: string, bytes: Uint8Array, trust: TrustStore | undefined, aiaCacheDir?: string, revocationCache?: RevocationCache): Promise<VerifyReport> {
  const report = await validatePdf(bytes, {
    trust: trust ?? { roots: [] },
    online: true,
    revocationTimeoutMs: 5_000,
    ...(aiaCacheDir ? { aiaCacheDir } : {}),
    ...(revocationCache ? { revocationCache } : {}),
  });
  return toVerifyReport(fileName, report);
}
