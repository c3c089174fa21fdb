// Turns core validation's report into what the signatures panel shows: who, which CA, when, level, and each check in words (vi/en).
import type { IpcResponse } from '../../../shared/ipc-contract.js';
import type { PdfValidationReport, SignatureReport } from '../../../shared/validation.js';
import { findingsForPeople } from '../../../shared/validation-text.js';

type PanelReport = IpcResponse<'document.signatures'>;
type Summary = PanelReport['signatures'][number];

function summarise(signature: SignatureReport): Summary {
  const subject = signature.signer?.subject;
  return {
    index: signature.index,
    kind: signature.kind,
    fieldName: signature.fieldName,
    ...(subject?.commonName ? { signer: subject.commonName } : {}),
    ...(subject?.organization ? { organization: subject.organization } : {}),
    ...(signature.signer?.issuer.commonName ? { issuer: signature.signer.issuer.commonName } : {}),
    ...(signature.claimedSigningTime ? { claimedSigningTime: signature.claimedSigningTime } : {}),
    ...(signature.timestamp ? { timestampTime: signature.timestamp.time } : {}),
    level: signature.level,
    intact: signature.integrity.digestMatches && signature.integrity.signatureValid,
    coversWholeDocument: signature.coverage.coversWholeFile,
    laterRevisions: signature.coverage.laterRevisions,
    trusted: signature.chain.trusted,
    revocation: signature.revocation.status,
    verdict: signature.verdict,
    // What the outcome means and what to do first; routine notes every real file carries left out.
    findings: findingsForPeople(signature).map((f) => ({ severity: f.severity, text: { vi: f.messageVi, en: f.messageEn } })),
  };
}

export function panelReport(report: PdfValidationReport): PanelReport {
  return {
    verdict: report.verdict,
    summary: { vi: report.summaryVi, en: report.summaryEn },
    signatures: report.signatures.map(summarise),
  };
}
