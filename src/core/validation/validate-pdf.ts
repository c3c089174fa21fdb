// Validates every signature in a PDF into a report; never throws for an invalid file, only says why.
import { createHash } from 'node:crypto';
import { finding, type Finding, type PdfValidationReport, type SignatureReport, type Verdict } from '../../shared/validation.js';
import { buildChain, checkRevocation, completeChainOnline, type TrustStore } from '../trust/index.js';
import { parseCertificate } from '../x509/certificate-info.js';
import { checkByteRange, coversWholeFile, revisionEnds } from './byte-range.js';
import { checkCms, checkTimestampToken, trimPadding, type CmsCheck, type TimestampCheck } from './cms-check.js';
import { modification } from '../../shared/modification-words.js';
import { PdfFile, type Revision } from '../pdf/reader/index.js';
import { readDss, type DocumentSecurityStore } from './dss.js';
import { diffRevisions, type RevisionChanges } from './revision-diff.js';
import { signatureBindingProblem } from './signature-binding.js';
import { findSignatureFields, type SignatureField } from './signature-fields.js';

export interface ValidationOptions {
  trust: TrustStore;
  /** Fetch OCSP/CRL over the network when the file holds no revocation data. */
  online?: boolean;
  revocationTimeoutMs?: number;
  /** "Now" for certificates without a timestamp; for tests. */
  now?: Date;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** PDF date "D:YYYYMMDDHHmmSS+07'00'" as ISO 8601 with its offset; undefined when unreadable. */
export function pdfDateToIso(value: string | undefined): string | undefined {
  const match = value && /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(value);
  if (!match) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = match;
  const offset = !sign || sign.toUpperCase() === 'Z' ? 'Z' : `${sign}${oh}:${om}`;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`;
}

function verdictOf(findings: Finding[]): Verdict {
  if (findings.some((f) => f.severity === 'error')) return 'invalid';
  if (findings.some((f) => f.severity === 'warning')) return 'indeterminate';
  return 'valid';
}

interface Context {
  file: Uint8Array;
  /** The file read once; every revision shares its parsed objects. */
  pdf: PdfFile;
  final: Revision;
  dss: DocumentSecurityStore | undefined;
  ends: number[];
  options: ValidationOptions;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function changesAfter(context: Context, revisionEnd: number): RevisionChanges {
  try {
    return diffRevisions(context.pdf.revision(revisionEnd), context.final);
  } catch (error) {
    const unreadable = modification('REVISION_UNREADABLE', false, { detail: messageOf(error) });
    return { allowed: [], disallowed: [unreadable.messageEn], changes: [unreadable] };
  }
}

/** What later document timestamps prove about a signature: the time it existed by, and whether one seals the DSS (B-LTA). */
interface LaterTimestamps {
  /** Time of the earliest valid document timestamp after the signature. */
  existedBy: Date | undefined;
  /** A valid document timestamp covers a revision that holds the DSS. */
  archived: boolean;
}

async function validateOne(context: Context, field: SignatureField, index: number, later: LaterTimestamps): Promise<SignatureReport> {
  const findings: Finding[] = [];
  const byteRange = checkByteRange(context.file, field.byteRange);
  const isDocTimestamp = field.type === 'DocTimeStamp' || field.subFilter === 'ETSI.RFC3161';
  const report: SignatureReport = {
    index,
    fieldName: field.name,
    kind: isDocTimestamp ? 'document-timestamp' : 'signature',
    subFilter: field.subFilter,
    signer: undefined,
    claimedSigningTime: pdfDateToIso(field.signingTime),
    timestamp: undefined,
    level: 'unknown',
    reason: field.reason,
    location: field.location,
    integrity: { digestMatches: false, signatureValid: false, certificateBound: undefined },
    coverage: { byteRange: field.byteRange, byteRangeValid: byteRange.valid, coversWholeFile: false, laterRevisions: 0 },
    modifications: { allowed: [], disallowed: [], changes: [] },
    chain: { trusted: false, path: [], problems: [] },
    revocation: { status: 'unknown', source: 'none', revokedAt: undefined },
    verdict: 'invalid',
    findings,
  };
  if (!byteRange.valid) {
    findings.push(finding('BYTE_RANGE_INVALID', 'error', { detail: byteRange.problem }));
    return { ...report, verdict: 'invalid' };
  }
  // Signature wrapping: the gap must be this dictionary's own /Contents, inside the bytes it signs.
  const binding = signatureBindingProblem(context.file, field, byteRange.contents, context.final);
  if (binding) findings.push(finding('BYTE_RANGE_INVALID', 'error', { detail: binding }));

  report.coverage.coversWholeFile = coversWholeFile(context.file, byteRange.revisionEnd);
  report.coverage.laterRevisions = context.ends.filter((end) => end > byteRange.revisionEnd).length;
  if (!report.coverage.coversWholeFile) {
    report.modifications = changesAfter(context, byteRange.revisionEnd);
    findings.push(finding('PARTIAL_COVERAGE', 'info', { count: report.coverage.laterRevisions }));
    for (const change of report.modifications.changes.filter((c) => !c.allowed)) {
      findings.push(finding('MODIFIED_AFTER_SIGNING', 'error', { detail: change.messageEn, detailVi: change.messageVi }));
    }
  }

  let signerCertificate: Uint8Array | undefined;
  let revocationInFile = false;
  let candidates: Uint8Array[] = [...(context.dss?.certificates ?? [])];
  let timestamp: TimestampCheck | undefined;
  if (isDocTimestamp) {
    let token: Uint8Array | undefined;
    try {
      token = trimPadding(byteRange.contents);
    } catch (error) {
      findings.push(finding('CMS_UNREADABLE', 'error', { detail: error instanceof Error ? error.message : String(error) }));
    }
    if (token) {
      timestamp = checkTimestampToken(token, byteRange.signedBytes);
      report.integrity = { digestMatches: timestamp.valid, signatureValid: timestamp.valid, certificateBound: undefined };
      if (!timestamp.valid) findings.push(finding('TIMESTAMP_INVALID', 'error', { detail: timestamp.problem }));
      signerCertificate = timestamp.tsaCertificate;
      candidates = [...candidates, ...timestamp.certificates];
    }
  } else {
    const cms: CmsCheck = checkCms(byteRange.contents, byteRange.signedBytes);
    report.integrity = { digestMatches: cms.digestMatches, signatureValid: cms.signatureValid, certificateBound: cms.certificateBound };
    if (!cms.readable) findings.push(finding('CMS_UNREADABLE', 'error', { detail: cms.problem }));
    else if (!cms.signerCertificate) findings.push(finding('SIGNER_CERTIFICATE_MISSING', 'error'));
    else {
      if (!cms.digestMatches) findings.push(finding('DIGEST_MISMATCH', 'error'));
      if (!cms.signatureValid) findings.push(finding('SIGNATURE_INVALID', 'error'));
      if (cms.certificateBound === false) findings.push(finding('CERTIFICATE_NOT_BOUND', 'error'));
      if (cms.certificateBound === undefined) findings.push(finding('NO_SIGNING_CERTIFICATE_V2', 'info'));
    }
    signerCertificate = cms.signerCertificate;
    candidates = [...candidates, ...cms.certificates];
    timestamp = cms.timestamp;
    if (timestamp && !timestamp.valid) findings.push(finding('TIMESTAMP_INVALID', 'error', { detail: timestamp.problem }));
  }
  if (timestamp) {
    report.timestamp = {
      time: timestamp.time?.toISOString() ?? '',
      tsa: timestamp.tsaCertificate ? parseCertificate(timestamp.tsaCertificate).subject.commonName : undefined,
      valid: timestamp.valid,
    };
  }

  if (signerCertificate) {
    report.signer = parseCertificate(signerCertificate);
    // The signing time is proven by its own timestamp, or bounded by a later document timestamp;
    // with neither, nothing proves when it was signed, so the certificate is checked as of now.
    const at = (timestamp?.valid && timestamp.time) || later.existedBy || (context.options.now ?? new Date());
    if (context.options.online) candidates = await completeChainOnline(signerCertificate, candidates, context.options.trust, { timeoutMs: context.options.revocationTimeoutMs });
    const chain = buildChain(signerCertificate, candidates, context.options.trust, at);
    report.chain = {
      trusted: chain.trusted,
      path: chain.path.map((der) => parseCertificate(der).subject.commonName ?? '?'),
      problems: chain.problems,
    };
    if (!chain.trusted) findings.push(finding('CHAIN_UNTRUSTED', 'warning', { detail: chain.problems.map((p) => p.messageEn).join('; ') }));
    const issuer = chain.path[1];
    if (issuer) {
      // First from the file alone (that is what B-LT promises), then online when allowed.
      const evidence = { at, ocspResponses: context.dss?.ocspResponses, crls: context.dss?.crls, timeoutMs: context.options.revocationTimeoutMs };
      let revocation = await checkRevocation(signerCertificate, issuer, { ...evidence, online: false });
      revocationInFile = revocation.status !== 'unknown';
      if (!revocationInFile && context.options.online) revocation = await checkRevocation(signerCertificate, issuer, { ...evidence, online: true });
      report.revocation = { status: revocation.status, source: revocation.source, revokedAt: revocation.revokedAt?.toISOString() };
      if (revocation.status === 'revoked') findings.push(finding('CERTIFICATE_REVOKED', 'error', { at: revocation.revokedAt?.toISOString() }));
      if (revocation.status === 'unknown' && !isDocTimestamp) findings.push(finding('REVOCATION_UNKNOWN', 'warning'));
    }
  }

  if (!isDocTimestamp) {
    const timeProven = report.timestamp?.valid === true || later.existedBy !== undefined;
    report.level = timeProven && revocationInFile ? (later.archived ? 'B-LTA' : 'B-LT') : timeProven ? 'B-T' : 'B-B';
  }
  return { ...report, verdict: verdictOf(findings) };
}

interface DocumentTimestampFacts {
  index: number;
  valid: boolean;
  time: Date;
  coversDss: boolean;
}

/** Each document timestamp's validity and time, and whether the revision it stamps holds a DSS. */
async function checkDocumentTimestamps(context: Context, fields: SignatureField[]): Promise<DocumentTimestampFacts[]> {
  const facts: DocumentTimestampFacts[] = [];
  for (const [index, field] of fields.entries()) {
    if (field.type !== 'DocTimeStamp' && field.subFilter !== 'ETSI.RFC3161') continue;
    const range = checkByteRange(context.file, field.byteRange);
    if (!range.valid || signatureBindingProblem(context.file, field, range.contents, context.final)) continue;
    let check: TimestampCheck;
    try {
      check = checkTimestampToken(trimPadding(range.contents), range.signedBytes);
    } catch {
      continue;
    }
    if (!check.valid || !check.time) continue;
    let coversDss = false;
    try {
      coversDss = readDss(context.pdf.revision(range.revisionEnd)) !== undefined;
    } catch {
      // A revision that cannot be read holds no DSS a timestamp could seal.
    }
    facts.push({ index, valid: true, time: check.time, coversDss });
  }
  return facts;
}

function summarize(signatures: SignatureReport[]): { vi: string; en: string } {
  const count = (verdict: Verdict): number => signatures.filter((s) => s.verdict === verdict).length;
  const [valid, invalid, unknown] = [count('valid'), count('invalid'), count('indeterminate')];
  return {
    vi: `${signatures.length} chữ ký: ${valid} hợp lệ, ${invalid} không hợp lệ, ${unknown} chưa xác định được.`,
    en: `${signatures.length} signature(s): ${valid} valid, ${invalid} invalid, ${unknown} indeterminate.`,
  };
}

/** A report for a signature whose check failed on something unreadable in the file: it is invalid, and says why. */
function unreadableSignature(field: SignatureField, index: number, error: unknown): SignatureReport {
  const problem = finding('NOT_A_PDF', 'error', { detail: messageOf(error) });
  return {
    index,
    fieldName: field.name,
    kind: field.type === 'DocTimeStamp' || field.subFilter === 'ETSI.RFC3161' ? 'document-timestamp' : 'signature',
    subFilter: field.subFilter,
    signer: undefined,
    claimedSigningTime: pdfDateToIso(field.signingTime),
    timestamp: undefined,
    level: 'unknown',
    reason: field.reason,
    location: field.location,
    integrity: { digestMatches: false, signatureValid: false, certificateBound: undefined },
    coverage: { byteRange: field.byteRange, byteRangeValid: false, coversWholeFile: false, laterRevisions: 0 },
    modifications: { allowed: [], disallowed: [], changes: [] },
    chain: { trusted: false, path: [], problems: [] },
    revocation: { status: 'unknown', source: 'none', revokedAt: undefined },
    verdict: 'invalid',
    findings: [problem],
  };
}

export async function validatePdf(file: Uint8Array, options: ValidationOptions): Promise<PdfValidationReport> {
  const base = { file: { size: file.length, sha256: sha256(file) } };
  const notAPdf = (detail: string): PdfValidationReport => {
    const problem = finding('NOT_A_PDF', 'error', { detail });
    return { ...base, signatures: [], verdict: 'invalid', findings: [problem], summaryVi: problem.messageVi, summaryEn: problem.messageEn };
  };
  let context: Context;
  let fields: SignatureField[];
  try {
    const pdf = new PdfFile(file);
    const final = pdf.revision();
    const ends = revisionEnds(file);
    fields = findSignatureFields(final);
    // A later update that damaged the catalog or the form must not hide the signatures made before it:
    // they are read from the newest revision that still has them, and judged against the final file.
    for (let i = ends.length - 1; fields.length === 0 && i >= 0; i--) fields = findSignatureFields(pdf.revision(ends[i]));
    if (fields.length === 0 && !final.catalog()) return notAPdf('no document catalog');
    let dss: DocumentSecurityStore | undefined;
    try {
      dss = readDss(final);
    } catch {
      dss = undefined;
    }
    context = { file, pdf, final, dss, ends, options };
  } catch (error) {
    return notAPdf(messageOf(error));
  }
  if (fields.length === 0) {
    const none = finding('NO_SIGNATURES', 'info');
    return { ...base, signatures: [], verdict: 'unsigned', findings: [none], summaryVi: none.messageVi, summaryEn: none.messageEn };
  }
  const signatures: SignatureReport[] = [];
  const docTimestamps = await checkDocumentTimestamps(context, fields).catch(() => []);
  for (const [i, field] of fields.entries()) {
    const after = docTimestamps.filter((t) => t.index > i && t.valid);
    const later: LaterTimestamps = {
      existedBy: after.map((t) => t.time).sort((a, b) => a.getTime() - b.getTime())[0],
      archived: after.some((t) => t.coversDss),
    };
    // One unreadable part makes that signature invalid; the others are still reported.
    signatures.push(await validateOne(context, field, i + 1, later).catch((error: unknown) => unreadableSignature(field, i + 1, error)));
  }
  const verdicts = signatures.map((s) => s.verdict);
  const verdict: Verdict = verdicts.includes('invalid') ? 'invalid' : verdicts.includes('indeterminate') ? 'indeterminate' : 'valid';
  const summary = summarize(signatures);
  return { ...base, signatures, verdict, findings: [], summaryVi: summary.vi, summaryEn: summary.en };
}
