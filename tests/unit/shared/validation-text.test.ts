// The report in plain words: Vietnamese holds no English word, times are Vietnam time, every outcome says what it means and what to do.
import { describe, expect, it } from 'vitest';
import { errorCatalogue, type ErrorCode } from '../../../src/shared/errors.js';
import { FINDING_CODES, conclude, finding, indicationOf, type PdfValidationReport, type SignatureReport, type SubIndication } from '../../../src/shared/validation.js';
import { SUB_INDICATIONS, filesSummary, findingsForPeople, renderReportText, signatureMeaning, visibleFindings } from '../../../src/shared/validation-text.js';
import { vietnamDateTime } from '../../../src/shared/vietnam-time.js';

/** Technical names a Vietnamese clerk meets as they are (like "PDF"); anything else in plain ASCII letters must be Vietnamese. */
const ALLOWED = new Set(['PDF', 'PAdES', 'CAdES', 'OCSP', 'CRL', 'SHA', 'CA', 'TSA', 'USB', 'B', 'T', 'LT', 'LTA', 'keyCertSign', 'digitalSignature', 'nonRepudiation']);
/** English words that are also spelled like Vietnamese syllables, so the syllable test alone would let them through. */
const ENGLISH_LOOKALIKES = new Set(['the', 'to', 'at', 'by', 'on', 'not', 'but', 'then', 'than', 'no', 'is', 'it', 'in', 'of', 'and', 'or', 'for']);
// A Vietnamese syllable written without its marks: initial consonant, vowels, final consonant.
const VIETNAMESE_SYLLABLE = /^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|g|h|k|l|m|n|p|r|s|t|v|x)?[aeiouy]{1,3}(ch|ng|nh|c|m|n|p|t)?$/;

/** Names are the certificates' own (proper nouns such as "RootCA … G2"), not our words. */
const NAMES = ['RootCA chuyên dùng Chính phủ G2', 'CA phục vụ các cơ quan Nhà nước G2'];

function englishWords(text: string): string[] {
  const words = NAMES.reduce((t, name) => t.split(name).join(' '), text).split(/[^\p{L}]+/u).filter((w) => /^[A-Za-z]+$/.test(w));
  return words.filter((w) => !ALLOWED.has(w) && (ENGLISH_LOOKALIKES.has(w.toLowerCase()) || !VIETNAMESE_SYLLABLE.test(w.toLowerCase())));
}

const viParams = { detail: 'chi tiết', detailVi: 'chứng thư hết hạn', count: 2, at: '07/12/2026 08:05:40', root: 'Gốc quốc gia', subject: 'Nguyễn Văn A', issuer: 'Cơ quan cấp', notAfter: '01/01/2030 07:00:00', notBefore: '01/01/2020 07:00:00', pathLen: 0, max: 8 };

const TIME = '2026-12-07T01:05:40.000Z';
function signature(sub: SubIndication | undefined, overrides: Partial<SignatureReport> = {}): SignatureReport {
  const findings = sub ? [finding('REVOCATION_UNKNOWN', 'warning', {}, sub)] : [finding('PARTIAL_COVERAGE', 'info', { count: 1 }), finding('NO_SIGNING_CERTIFICATE_V2', 'info')];
  return {
    index: 1,
    fieldName: 'Chữ ký lãnh đạo',
    kind: 'signature',
    subFilter: 'ETSI.CAdES.detached',
    signer: { subject: { commonName: 'Nguyễn Thị Hồng Nhung', organization: 'Ủy ban nhân dân tỉnh Cao Bằng', text: 'CN=Nguyễn Thị Hồng Nhung' }, issuer: { commonName: 'CA phục vụ các cơ quan Nhà nước G2' } } as SignatureReport['signer'],
    claimedSigningTime: '2026-12-07T08:05:40+07:00',
    timestamp: { time: TIME, tsa: 'Máy chủ dấu thời gian', valid: true },
    level: 'B-LT',
    reason: 'Ban hành',
    location: 'Cao Bằng',
    integrity: { digestMatches: true, signatureValid: true, certificateBound: undefined },
    coverage: { byteRange: [0, 1, 2, 3], byteRangeValid: true, coversWholeFile: false, laterRevisions: 1 },
    modifications: { allowed: [], disallowed: [], changes: [] },
    chain: { trusted: true, path: ['Nguyễn Thị Hồng Nhung', 'CA phục vụ các cơ quan Nhà nước G2', 'RootCA chuyên dùng Chính phủ G2'], problems: [], provisional: false },
    revocation: { status: sub ? 'unknown' : 'good', source: sub ? 'none' : 'ocsp', revokedAt: undefined },
    ...conclude(findings),
    findings,
    ...overrides,
  };
}

describe('the report in plain words', () => {
  it('has no English word in any Vietnamese finding, chain problem, outcome or advice', () => {
    const texts: string[] = [];
    for (const code of FINDING_CODES) {
      if (code === 'MODIFIED_AFTER_SIGNING') continue; // its detail comes from the modification analysis (another module's words)
      texts.push(finding(code, 'warning', viParams).messageVi);
    }
    const chainProblems: ErrorCode[] = ['TRUST_ISSUER_NOT_FOUND', 'TRUST_ROOT_NOT_TRUSTED', 'TRUST_CERT_EXPIRED', 'TRUST_CERT_NOT_YET_VALID', 'TRUST_SIGNATURE_INVALID', 'TRUST_ISSUER_NOT_CA', 'TRUST_ISSUER_NO_KEY_CERT_SIGN', 'TRUST_PATH_LENGTH_EXCEEDED', 'TRUST_CHAIN_TOO_LONG', 'TRUST_CHAIN_LOOP'];
    for (const code of chainProblems) texts.push(errorCatalogue[code].vi(viParams));
    for (const sub of SUB_INDICATIONS) {
      const { headline, advice } = signatureMeaning({ indication: indicationOf(sub), subIndication: sub, kind: 'signature' }, 'vi');
      texts.push(headline, advice ?? '');
      texts.push(renderReportText(report([signature(sub)]), 'vi'));
    }
    texts.push(renderReportText(report([signature(undefined), signature(undefined, { kind: 'document-timestamp', index: 2 })]), 'vi'));
    texts.push(filesSummary(['valid', 'invalid', 'indeterminate', 'unsigned', 'unreadable'], 'vi'));
    const offenders = texts.flatMap((text) => englishWords(text).map((word) => `${word} in "${text.slice(0, 120)}"`));
    expect(offenders).toEqual([]);
    // The scan itself catches what the issue saw.
    expect(englishWords('…được tin cậy: The issuer certificate of "Cơ quan"')).toEqual(['The', 'issuer', 'certificate', 'of']);
    expect(englishWords('Thu hồi: unknown (none) good (crl) [warning]')).toEqual(['unknown', 'none', 'good', 'crl', 'warning']);
  });

  it('writes times in Vietnam time as dd/MM/yyyy HH:mm:ss', () => {
    expect(vietnamDateTime('2026-12-07T17:30:05Z')).toBe('08/12/2026 00:30:05');
    const text = renderReportText(report([signature(undefined)]), 'vi');
    expect(text).toContain('07/12/2026 08:05:40 (theo dấu thời gian Máy chủ dấu thời gian)');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('says what each outcome means for the clerk and what to do', () => {
    const valid = renderReportText(report([signature(undefined)]), 'vi');
    expect(valid).toContain('HỢP LỆ — Chữ ký hợp lệ');
    expect(renderReportText(report([signature('HASH_FAILURE')]), 'vi')).toContain('Văn bản đã bị sửa sau khi ký');
    expect(renderReportText(report([signature('TRY_LATER')]), 'vi')).toContain('Chưa kiểm tra được tình trạng thu hồi — kiểm tra lại khi có mạng');
    expect(renderReportText(report([signature('NO_CERTIFICATE_CHAIN_FOUND')]), 'vi')).toContain('Không có chứng thư gốc tin cậy');
    for (const sub of SUB_INDICATIONS) expect(signatureMeaning({ indication: indicationOf(sub), subIndication: sub, kind: 'signature' }, 'vi').advice, sub).toBeTruthy();
    expect(renderReportText(report([signature('TRY_LATER')]), 'en')).toContain('ETSI EN 319 102-1: INDETERMINATE / TRY_LATER');
  });

  it('does not show as problems what every real VGCA or Acrobat file carries', () => {
    const ordinary = signature(undefined);
    expect(ordinary.findings.map((f) => f.code)).toEqual(['PARTIAL_COVERAGE', 'NO_SIGNING_CERTIFICATE_V2']);
    expect(visibleFindings(ordinary.findings)).toEqual([]);
    expect(findingsForPeople(ordinary)).toEqual([]);
    expect(renderReportText(report([ordinary]), 'vi')).not.toContain('PAdES baseline');
    expect(renderReportText(report([ordinary]), 'vi')).not.toContain('không đúng chuẩn');
    // A note that matters is still shown, and an outcome that is not valid comes first with its advice.
    const legacy = signature(undefined, { findings: [finding('LEGACY_SHA1', 'info')] });
    expect(visibleFindings(legacy.findings).map((f) => f.code)).toEqual(['LEGACY_SHA1']);
    expect(findingsForPeople(signature('TRY_LATER'))[0]?.messageVi).toMatch(/^Chưa kiểm tra được tình trạng thu hồi/);
  });

  it('ends a many-file check with a summary line', () => {
    expect(filesSummary(['valid', 'valid', 'invalid'], 'vi')).toBe('3 tệp: 2 hợp lệ, 1 không hợp lệ');
    expect(filesSummary(['valid', 'unreadable'], 'en')).toBe('2 file(s): 1 valid, 1 unreadable');
  });
});

describe('ETSI indication from the findings', () => {
  it('fails before it leaves undecided, and passes only with no deciding finding', () => {
    expect(conclude([finding('REVOCATION_UNKNOWN', 'warning'), finding('DIGEST_MISMATCH', 'error')])).toEqual({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE', verdict: 'invalid' });
    expect(conclude([finding('CHAIN_UNTRUSTED', 'warning', { detail: 'x' }), finding('REVOCATION_UNKNOWN', 'warning')])).toEqual({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND', verdict: 'indeterminate' });
    expect(conclude([finding('PARTIAL_COVERAGE', 'info', { count: 1 })])).toEqual({ indication: 'TOTAL-PASSED', subIndication: undefined, verdict: 'valid' });
    expect(conclude([finding('CERTIFICATE_REVOKED', 'warning', { at: 'x' }, 'REVOKED_NO_POE')]).indication).toBe('INDETERMINATE');
    expect(conclude([finding('CERTIFICATE_REVOKED', 'error', { at: 'x' })]).indication).toBe('TOTAL-FAILED');
  });
});

function report(signatures: SignatureReport[]): PdfValidationReport {
  const verdict = signatures.some((s) => s.verdict === 'invalid') ? 'invalid' : signatures.some((s) => s.verdict === 'indeterminate') ? 'indeterminate' : 'valid';
  return { file: { size: 1, sha256: '00' }, signatures, verdict, findings: [], summaryVi: `${signatures.length} chữ ký`, summaryEn: `${signatures.length} signature(s)` };
}
