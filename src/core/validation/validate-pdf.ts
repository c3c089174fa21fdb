// Validates every signature in a PDF into a report; never throws for an invalid file, only says why.
import { X509Certificate, createHash } from 'node:crypto';
import { modification } from '../../shared/modification-words.js';
import { conclude, finding, type Finding, type PdfValidationReport, type SignatureReport, type Verdict } from '../../shared/validation.js';
import { vietnamDateTime } from '../../shared/vietnam-time.js';
import { DerError } from '../cms/der.js';
import { PdfFile, PdfParseError, type Revision } from '../pdf/reader/index.js';
import { tryReadCertificate } from '../trust/certificate.js';
import { buildChain, checkRevocation, completeChainOnline, type CaIssuerCache, type ChainResult, type RevocationCache, type TrustStore } from '../trust/index.js';
import { parseCertificateOnce } from '../x509/certificate-info.js';
import { derKey, remember, withParseScope } from '../x509/parse-cache.js';
import { checkByteRange, coversWholeFile, revisionEnds } from './byte-range.js';
import { checkCmsSafely, checkTimestampToken, trimPadding, type CmsCheck, type TimestampCheck } from './cms-check.js';
import { readDss, type DocumentSecurityStore } from './dss.js';
import { archivedRevocation } from './revocation-archival.js';
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
  /** Where CA certificates fetched from AIA addresses are kept: fetched once online, used offline after. */
  aiaCacheDir?: string;
  /** The same kept elsewhere than on disk (the server's database); used instead of `aiaCacheDir`. */
  aiaCache?: CaIssuerCache;
  /** OCSP responses and CRLs kept from earlier checks (asked after the file's own data, before the network). */
  revocationCache?: RevocationCache;
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

interface Context {
  file: Uint8Array;
  /** Each document timestamp's check by its ByteRange: checkDocumentTimestamps and its own report share it. */
  timestampChecks: Map<string, TimestampCheck>;
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

const DETACHED_SUBFILTERS = new Set(['adbe.pkcs7.detached', 'ETSI.CAdES.detached']);
/** Chain problems that mean no path to a trusted root exists (rather than a flawed one). */
const NO_CHAIN = new Set(['TRUST_ISSUER_NOT_FOUND', 'TRUST_ROOT_NOT_TRUSTED', 'TRUST_CHAIN_TOO_LONG', 'TRUST_CHAIN_LOOP', 'CERT_PARSE_FAILED']);
const OUT_OF_VALIDITY = new Set(['TRUST_CERT_EXPIRED', 'TRUST_CERT_NOT_YET_VALID']);


/** A certificate's common name for the report, never a throw for a damaged one. */
function nameOf(der: Uint8Array): string {
  try {
    const { subject } = parseCertificateOnce(der);
    return subject.commonName ?? subject.text;
  } catch {
    return '?';
  }
}

/** Whether node can read the certificate at all; remembered across verifications (the bytes' answer). */
function readable(der: Uint8Array): boolean {
  return remember(
    derKey('x509-readable', der),
    () => {
      try {
        new X509Certificate(der);
        return true;
      } catch {
        return false;
      }
    },
    () => true,
  );
}

/** How many of the attached certificates cannot be read at all (they are skipped, and the report says so). */
const unreadableCount = (ders: readonly Uint8Array[]): number => ders.filter((der) => !readable(der)).length;

/** The findings of a chain that is not trusted: no chain at all, a chain out of its validity, or a flawed one. */
function chainFindings(chain: ChainResult, timeProven: boolean, at: Date): Finding[] {
  const detail = chain.problems.map((p) => p.messageEn).join('; ');
  const detailVi = chain.problems.map((p) => p.messageVi).join('; ');
  if (chain.problems.length === 0 || chain.problems.some((p) => NO_CHAIN.has(p.code))) return [finding('CHAIN_UNTRUSTED', 'warning', { detail, detailVi })];
  if (chain.problems.every((p) => OUT_OF_VALIDITY.has(p.code))) {
    const notYet = chain.problems.some((p) => p.code === 'TRUST_CERT_NOT_YET_VALID');
    // With the signing time proven, a certificate out of validity then is a failure; without, it may simply have expired since.
    if (timeProven || notYet) return [finding('SIGNED_WHILE_INVALID', 'error', { at: vietnamDateTime(at) }, notYet ? 'NOT_YET_VALID' : 'EXPIRED')];
    const expiry = chain.path.map((der) => tryReadCertificate(der)).flatMap((read) => ('cert' in read ? [read.cert.notAfter] : [])).filter((end) => end < at);
    const first = expiry.sort((a, b) => a.getTime() - b.getTime())[0];
    return [finding('CERTIFICATE_EXPIRED_NO_POE', 'warning', { at: first ? vietnamDateTime(first) : '?' })];
  }
  return [finding('CHAIN_INVALID', 'warning', { detail, detailVi })];
}

async function validateOne(context: Context, field: SignatureField, index: number, later: LaterTimestamps): Promise<SignatureReport> {
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
    coverage: { byteRange: field.byteRange, byteRangeValid: false, coversWholeFile: false, laterRevisions: 0 },
    modifications: { allowed: [], disallowed: [], changes: [] },
    chain: { trusted: false, path: [], problems: [] },
    revocation: { status: 'unknown', source: 'none', revokedAt: undefined },
    indication: 'INDETERMINATE',
    subIndication: undefined,
    verdict: 'indeterminate',
    findings: [],
  };
  try {
    await checkSignature(context, field, report, later, isDocTimestamp);
  } catch (error) {
    // It is this signature's finding either way: the other signatures are still reported. Bytes that cannot be read are
    // the file's defect (invalid); any other error is the checker's, which says nothing against the signature.
    const damaged = error instanceof DerError || error instanceof PdfParseError;
    report.findings.push(finding(damaged ? 'SIGNATURE_CHECK_FAILED' : 'SIGNATURE_CHECK_UNFINISHED', 'error', { detail: messageOf(error) }));
  }
  return { ...report, ...conclude(report.findings) };
}

/** Every check of one signature, filling `report` as it goes; the verdict comes from the findings afterwards. */
async function checkSignature(context: Context, field: SignatureField, report: SignatureReport, later: LaterTimestamps, isDocTimestamp: boolean): Promise<void> {
  const { findings } = report;
  const byteRange = checkByteRange(context.file, field.byteRange);
  report.coverage.byteRangeValid = byteRange.valid;
  if (!byteRange.valid) {
    findings.push(finding('BYTE_RANGE_INVALID', 'error', { detail: byteRange.problem }));
    return;
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
  let legacyDigest = false;
  let candidates: Uint8Array[] = [...(context.dss?.certificates ?? [])];
  let timestamp: TimestampCheck | undefined;
  if (isDocTimestamp) {
    let token: Uint8Array | undefined;
    try {
      token = trimPadding(byteRange.contents);
    } catch (error) {
      findings.push(finding('CMS_UNREADABLE', 'error', { detail: messageOf(error) }));
    }
    if (token) {
      timestamp = documentTimestampCheck(context, field, token, byteRange.signedParts);
      report.integrity = { digestMatches: timestamp.valid, signatureValid: timestamp.valid, certificateBound: undefined };
      if (!timestamp.valid) findings.push(timestampFinding(timestamp));
      signerCertificate = timestamp.tsaCertificate;
      candidates = [...candidates, ...timestamp.certificates];
    }
  } else {
    const cms: CmsCheck = checkCmsSafely(byteRange.contents, byteRange.signedParts);
    report.integrity = { digestMatches: cms.digestMatches, signatureValid: cms.signatureValid, certificateBound: cms.certificateBound };
    legacyDigest = cms.digestName === 'sha1';
    if (!cms.readable) findings.push(finding('CMS_UNREADABLE', 'error', { detail: cms.problem }));
    else if (!cms.signerCertificate) findings.push(finding('SIGNER_CERTIFICATE_MISSING', 'warning'));
    else {
      if (DETACHED_SUBFILTERS.has(field.subFilter) && cms.encapsulatedContent) findings.push(finding('DETACHED_WITH_CONTENT', 'error'));
      if (cms.algorithmUnsupported) findings.push(finding('ALGORITHM_UNSUPPORTED', 'warning', { detail: cms.algorithmUnsupported }));
      // An unsupported digest leaves the digest unchecked, an unsupported signature algorithm the value: neither is a mismatch.
      if (!cms.digestMatches && cms.digestName) findings.push(finding('DIGEST_MISMATCH', 'error'));
      if (!cms.signatureValid && !cms.algorithmUnsupported) findings.push(finding('SIGNATURE_INVALID', 'error'));
      if (cms.certificateBound === false) findings.push(finding('CERTIFICATE_NOT_BOUND', 'error'));
      if (cms.certificateBound === undefined) findings.push(finding('NO_SIGNING_CERTIFICATE_V2', 'info'));
    }
    signerCertificate = cms.signerCertificate;
    candidates = [...candidates, ...cms.certificates];
    timestamp = cms.timestamp;
    if (timestamp && !timestamp.valid) findings.push(timestampFinding(timestamp));
  }
  if (timestamp) {
    report.timestamp = {
      time: timestamp.time?.toISOString() ?? '',
      tsa: timestamp.tsaCertificate ? nameOf(timestamp.tsaCertificate) : undefined,
      valid: timestamp.valid,
    };
  }
  const damaged = unreadableCount(candidates);
  if (damaged > 0) findings.push(finding('EVIDENCE_UNREADABLE', 'info', { count: damaged }));

  const timeProven = report.timestamp?.valid === true || later.existedBy !== undefined;
  if (signerCertificate) {
    try {
      // A copy: the parsed certificate is shared by every signature of the file.
      report.signer = { ...parseCertificateOnce(signerCertificate) };
    } catch (error) {
      findings.push(finding('CERTIFICATE_UNREADABLE', 'error', { detail: messageOf(error) }));
      return;
    }
    // The signing time is proven by its own timestamp, or bounded by a later document timestamp;
    // with neither, nothing proves when it was signed, so the certificate is checked as of now.
    const at = (timestamp?.valid && timestamp.time) || later.existedBy || (context.options.now ?? new Date());
    if (context.options.online || context.options.aiaCacheDir || context.options.aiaCache) {
      candidates = await completeChainOnline(signerCertificate, candidates, context.options.trust, {
        timeoutMs: context.options.revocationTimeoutMs,
        online: context.options.online ?? false,
        cacheDir: context.options.aiaCacheDir,
        ...(context.options.aiaCache ? { cache: context.options.aiaCache } : {}),
      });
    }
    const chain = buildChain(signerCertificate, candidates, context.options.trust, at);
    report.chain = {
      trusted: chain.trusted,
      path: chain.path.map(nameOf),
      problems: chain.problems,
      provisional: chain.provisional ?? false,
      legacySha1: (chain.legacySha1 ?? false) || legacyDigest,
    };
    if (!chain.trusted) findings.push(...chainFindings(chain, timeProven, at));
    else if (chain.provisional) findings.push(finding('PROVISIONAL_ROOT', 'info', { root: report.chain.path.at(-1) }));
    if (report.chain.legacySha1) findings.push(timeProven ? finding('LEGACY_SHA1', 'info') : finding('LEGACY_SHA1_NO_POE', 'warning'));
    const issuer = chain.path[1];
    if (issuer) {
      // First from the file alone (that is what B-LT promises), then online when allowed.
      const evidence = { at, ocspResponses: context.dss?.ocspResponses, crls: context.dss?.crls, timeoutMs: context.options.revocationTimeoutMs };
      let revocation = await checkRevocation(signerCertificate, issuer, { ...evidence, online: false });
      // Then what the signer archived in its CMS (Acrobat's adbe-revocationInfoArchival), still from the file.
      const archived = revocation.status === 'unknown' && !isDocTimestamp ? archivedRevocation(byteRange.contents) : undefined;
      if (archived) {
        const fromCms = await checkRevocation(signerCertificate, issuer, { at, ...archived, online: false });
        if (fromCms.status !== 'unknown') revocation = fromCms;
      }
      revocationInFile = revocation.status !== 'unknown';
      if (!revocationInFile && context.options.online) revocation = await checkRevocation(signerCertificate, issuer, { ...evidence, online: true, cache: context.options.revocationCache });
      report.revocation = { status: revocation.status, source: revocation.source, revokedAt: revocation.revokedAt?.toISOString() };
      if (revocation.status === 'revoked') {
        // Revoked before a proven signing time fails for good; without proof the signature may predate the revocation.
        const at = revocation.revokedAt ? vietnamDateTime(revocation.revokedAt) : '?';
        findings.push(timeProven ? finding('CERTIFICATE_REVOKED', 'error', { at }) : finding('CERTIFICATE_REVOKED', 'warning', { at }, 'REVOKED_NO_POE'));
      }
      if (revocation.status === 'unknown' && !isDocTimestamp) findings.push(finding('REVOCATION_UNKNOWN', 'warning'));
      // An expired certificate known not to be revoked: ETSI's more precise sub-indication.
      if (revocation.status === 'good') {
        for (const f of findings) if (f.code === 'CERTIFICATE_EXPIRED_NO_POE') f.subIndication = 'OUT_OF_BOUNDS_NOT_REVOKED';
      }
    }
  }

  if (!isDocTimestamp) {
    report.level = timeProven && revocationInFile ? (later.archived ? 'B-LTA' : 'B-LT') : timeProven ? 'B-T' : 'B-B';
  }
}

/** A timestamp that does not hold: one over other data is a hash failure, an unreadable or forged one a format failure. */
function timestampFinding(timestamp: TimestampCheck): Finding {
  return finding('TIMESTAMP_INVALID', 'error', { detail: timestamp.problem }, timestamp.problem === 'it stamps other data' ? 'HASH_FAILURE' : 'FORMAT_FAILURE');
}

/** A document timestamp's token checked against the bytes it stamps, once per verification. */
function documentTimestampCheck(context: Context, field: SignatureField, token: Uint8Array, stamped: readonly Uint8Array[]): TimestampCheck {
  const key = field.byteRange.join(' ');
  let check = context.timestampChecks.get(key);
  if (!check) {
    check = checkTimestampToken(token, stamped);
    context.timestampChecks.set(key, check);
  }
  return check;
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
      check = documentTimestampCheck(context, field, trimPadding(range.contents), range.signedParts);
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

export function validatePdf(file: Uint8Array, options: ValidationOptions): Promise<PdfValidationReport> {
  // Every certificate, OCSP response, CRL and signature in the file is parsed or checked once, however many signatures share it.
  return withParseScope(() => validateInScope(file, options));
}

async function validateInScope(file: Uint8Array, options: ValidationOptions): Promise<PdfValidationReport> {
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
    context = { file, pdf, final, dss, ends, options, timestampChecks: new Map() };
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
    // validateOne turns whatever breaks in one signature into its finding: the others are still reported.
    signatures.push(await validateOne(context, field, i + 1, later));
  }
  const verdicts = signatures.map((s) => s.verdict);
  const verdict: Verdict = verdicts.includes('invalid') ? 'invalid' : verdicts.includes('indeterminate') ? 'indeterminate' : 'valid';
  const summary = summarize(signatures);
  return { ...base, signatures, verdict, findings: [], summaryVi: summary.vi, summaryEn: summary.en };
}
