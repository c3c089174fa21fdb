// The signature report in plain words (Vietnamese without English, or English) for the CLI, the app and the inbox: what each verdict means for the clerk and what to do.
import type { Finding, FindingCode, Indication, PdfValidationReport, SignatureReport, SubIndication, Verdict } from './validation.js';
import { vietnamDateTime } from './vietnam-time.js';

export type ReportLanguage = 'vi' | 'en';

interface Meaning {
  vi: string;
  en: string;
  adviceVi?: string;
  adviceEn?: string;
}

const PASSED: Meaning = {
  vi: 'Chữ ký hợp lệ',
  en: 'The signature is valid',
  adviceVi: 'Văn bản còn nguyên như lúc ký và người ký đã được xác thực.',
  adviceEn: 'The document is as it was signed and the signer is authenticated.',
};
const TIMESTAMP_PASSED: Meaning = {
  vi: 'Dấu thời gian hợp lệ',
  en: 'The document timestamp is valid',
  adviceVi: 'Văn bản đã tồn tại nguyên vẹn vào thời điểm ghi trên dấu thời gian.',
  adviceEn: 'The document existed unchanged at the time the timestamp states.',
};

const ASK_SENDER_VI = 'Không dùng văn bản này; đề nghị nơi gửi gửi lại bản đúng.';
const ASK_SENDER_EN = 'Do not rely on this document; ask the sender for a correct copy.';
const ASK_IT_VI = 'Hỏi bộ phận công nghệ thông tin của cơ quan trước khi dùng văn bản.';
const ASK_IT_EN = 'Ask your IT staff before relying on the document.';

/** What each ETSI sub-indication means for the clerk, and what to do. */
const MEANINGS: Record<SubIndication, Meaning> = {
  HASH_FAILURE: { vi: 'Văn bản đã bị sửa sau khi ký', en: 'The document was changed after it was signed', adviceVi: ASK_SENDER_VI, adviceEn: ASK_SENDER_EN },
  SIG_CRYPTO_FAILURE: { vi: 'Chữ ký không khớp với chứng thư số của người ký', en: "The signature does not match the signer's certificate", adviceVi: ASK_SENDER_VI, adviceEn: ASK_SENDER_EN },
  FORMAT_FAILURE: { vi: 'Chữ ký bị hỏng hoặc sai cấu trúc', en: 'The signature is damaged or malformed', adviceVi: ASK_SENDER_VI, adviceEn: ASK_SENDER_EN },
  REVOKED: {
    vi: 'Chứng thư số của người ký đã bị thu hồi trước khi ký',
    en: "The signer's certificate was revoked before signing",
    adviceVi: 'Không chấp nhận văn bản; báo cho nơi gửi.',
    adviceEn: 'Do not accept the document; tell the sender.',
  },
  EXPIRED: {
    vi: 'Chứng thư số của người ký đã hết hạn khi ký',
    en: "The signer's certificate had expired when signing",
    adviceVi: 'Không chấp nhận văn bản; đề nghị nơi gửi ký lại bằng chứng thư số còn hạn.',
    adviceEn: 'Do not accept the document; ask the sender to sign again with a valid certificate.',
  },
  NOT_YET_VALID: {
    vi: 'Chứng thư số của người ký chưa có hiệu lực khi ký',
    en: "The signer's certificate was not yet valid when signing",
    adviceVi: ASK_SENDER_VI,
    adviceEn: ASK_SENDER_EN,
  },
  NO_SIGNING_CERTIFICATE_FOUND: { vi: 'Không tìm thấy chứng thư số của người ký', en: "The signer's certificate is not in the signature", adviceVi: ASK_SENDER_VI, adviceEn: ASK_SENDER_EN },
  NO_CERTIFICATE_CHAIN_FOUND: {
    vi: 'Không có chứng thư gốc tin cậy',
    en: 'No trusted root certificate',
    adviceVi: 'Nếu nơi cấp chứng thư số là tổ chức chứng thực hợp pháp, hãy nhờ bộ phận công nghệ thông tin thêm chứng thư gốc của họ vào danh sách tin cậy.',
    adviceEn: "If the certificate's issuer is a lawful certification authority, have your IT staff add its root to the trusted list.",
  },
  CHAIN_CONSTRAINTS_FAILURE: { vi: 'Chuỗi chứng thư của người ký có lỗi', en: "The signer's certificate chain is flawed", adviceVi: ASK_IT_VI, adviceEn: ASK_IT_EN },
  SIG_CONSTRAINTS_FAILURE: { vi: 'Chữ ký không đáp ứng yêu cầu kiểm tra', en: 'The signature does not meet the validation constraints', adviceVi: ASK_IT_VI, adviceEn: ASK_IT_EN },
  CRYPTO_CONSTRAINTS_FAILURE: {
    vi: 'Chữ ký dùng thuật toán chưa hỗ trợ',
    en: 'The signature uses an algorithm not supported yet',
    adviceVi: ASK_IT_VI,
    adviceEn: ASK_IT_EN,
  },
  CRYPTO_CONSTRAINTS_FAILURE_NO_POE: {
    vi: 'Chữ ký dùng thuật toán cũ (SHA-1) mà không có dấu thời gian',
    en: 'The signature uses a legacy algorithm (SHA-1) without a timestamp',
    adviceVi: 'Đề nghị nơi gửi ký lại bằng chứng thư số mới.',
    adviceEn: 'Ask the sender to sign again with a current certificate.',
  },
  OUT_OF_BOUNDS_NO_POE: {
    vi: 'Chứng thư số đã hết hạn và không có dấu thời gian chứng minh thời điểm ký',
    en: 'The certificate has expired and no timestamp proves when it was signed',
    adviceVi: 'Đề nghị nơi gửi gửi bản có dấu thời gian, hoặc ký lại.',
    adviceEn: 'Ask the sender for a timestamped copy, or to sign again.',
  },
  OUT_OF_BOUNDS_NOT_REVOKED: {
    vi: 'Chứng thư số đã hết hạn (chưa bị thu hồi) và không có dấu thời gian chứng minh thời điểm ký',
    en: 'The certificate has expired (not revoked) and no timestamp proves when it was signed',
    adviceVi: 'Đề nghị nơi gửi gửi bản có dấu thời gian, hoặc ký lại.',
    adviceEn: 'Ask the sender for a timestamped copy, or to sign again.',
  },
  REVOKED_NO_POE: {
    vi: 'Chứng thư số đã bị thu hồi và không chứng minh được văn bản được ký trước đó',
    en: 'The certificate is revoked and nothing proves the document was signed before',
    adviceVi: 'Không chấp nhận văn bản khi chưa xác minh với nơi gửi.',
    adviceEn: 'Do not accept the document before checking with the sender.',
  },
  NO_POE: { vi: 'Không chứng minh được thời điểm ký', en: 'The signing time cannot be proven', adviceVi: ASK_IT_VI, adviceEn: ASK_IT_EN },
  TRY_LATER: {
    vi: 'Chưa kiểm tra được tình trạng thu hồi — kiểm tra lại khi có mạng',
    en: 'Revocation not checked yet — check again when online',
    adviceVi: 'Chữ ký còn nguyên; kiểm tra lại khi máy có mạng để biết chứng thư số có bị thu hồi không.',
    adviceEn: 'The signature is intact; check again when online to learn whether the certificate was revoked.',
  },
};

/** The headline and advice for one signature's outcome. */
export function signatureMeaning(signature: Pick<SignatureReport, 'indication' | 'subIndication' | 'kind'>, language: ReportLanguage): { headline: string; advice: string | undefined } {
  const meaning =
    signature.indication === 'TOTAL-PASSED' ? (signature.kind === 'document-timestamp' ? TIMESTAMP_PASSED : PASSED) : MEANINGS[signature.subIndication ?? 'NO_POE'];
  return language === 'vi' ? { headline: meaning.vi, advice: meaning.adviceVi } : { headline: meaning.en, advice: meaning.adviceEn };
}

/** Every sub-indication, for tests and documentation. */
export const SUB_INDICATIONS = Object.keys(MEANINGS) as SubIndication[];

/** Notes worth showing although they decide nothing; other informational findings are what every real file carries. */
const NOTES: ReadonlySet<FindingCode> = new Set(['LEGACY_SHA1', 'PROVISIONAL_ROOT', 'EVIDENCE_UNREADABLE']);

/**
 * The findings to show a person: problems, and notes that matter. Left out: what ordinary VGCA and
 * Acrobat files all carry (no signingCertificateV2, later benign updates), which is not a problem.
 */
export const visibleFindings = (findings: readonly Finding[]): Finding[] => findings.filter((f) => f.severity !== 'info' || NOTES.has(f.code));

const SEVERITY_WORD = { vi: { error: 'Lỗi', warning: 'Cảnh báo', info: 'Ghi chú' }, en: { error: 'Error', warning: 'Warning', info: 'Note' } } as const;
const VERDICT_WORD = {
  vi: { valid: 'HỢP LỆ', invalid: 'KHÔNG HỢP LỆ', indeterminate: 'CHƯA XÁC ĐỊNH', unsigned: 'KHÔNG CÓ CHỮ KÝ' },
  en: { valid: 'VALID', invalid: 'INVALID', indeterminate: 'INDETERMINATE', unsigned: 'UNSIGNED' },
} as const;

export const verdictWord = (verdict: Verdict | 'unsigned', language: ReportLanguage): string => VERDICT_WORD[language][verdict];

const INDICATION_EN: Record<Indication, string> = { 'TOTAL-PASSED': 'TOTAL-PASSED', 'TOTAL-FAILED': 'TOTAL-FAILED', INDETERMINATE: 'INDETERMINATE' };

function revocationText(s: SignatureReport, language: ReportLanguage): string {
  const source = s.revocation.source === 'none' ? '' : ` (${s.revocation.source.toUpperCase()})`;
  if (s.revocation.status === 'good') return language === 'vi' ? `chưa bị thu hồi${source}` : `not revoked${source}`;
  if (s.revocation.status === 'revoked') {
    const at = s.revocation.revokedAt ? vietnamDateTime(s.revocation.revokedAt) : '?';
    return language === 'vi' ? `đã bị thu hồi lúc ${at}${source}` : `revoked at ${at} (Vietnam time)${source}`;
  }
  return language === 'vi' ? 'chưa kiểm tra được' : 'not checked';
}

function timeText(s: SignatureReport, language: ReportLanguage): string {
  if (s.timestamp?.valid && s.timestamp.time) {
    const tsa = s.timestamp.tsa ? ` ${s.timestamp.tsa}` : '';
    return language === 'vi' ? `${vietnamDateTime(s.timestamp.time)} (theo dấu thời gian${tsa})` : `${vietnamDateTime(s.timestamp.time)} Vietnam time (timestamp${tsa})`;
  }
  if (s.claimedSigningTime) {
    return language === 'vi' ? `${vietnamDateTime(s.claimedSigningTime)} (người ký tự ghi, chưa được chứng minh)` : `${vietnamDateTime(s.claimedSigningTime)} Vietnam time (claimed by the signer, not proven)`;
  }
  return '—';
}

/** One signature as lines of text. */
export function renderSignatureText(s: SignatureReport, language: ReportLanguage): string {
  const vi = language === 'vi';
  const { headline, advice } = signatureMeaning(s, language);
  const who = s.signer ? `${s.signer.subject.commonName ?? s.signer.subject.text}${s.signer.subject.organization ? ` — ${s.signer.subject.organization}` : ''}` : '?';
  const kind = s.kind === 'document-timestamp' ? (vi ? 'Dấu thời gian văn bản' : 'Document timestamp') : vi ? 'Chữ ký' : 'Signature';
  const trust = s.chain.trusted ? (s.chain.provisional ? (vi ? ' (tin cậy tạm thời)' : ' (trusted provisionally)') : vi ? ' (tin cậy)' : ' (trusted)') : '';
  const coverage = s.coverage.coversWholeFile
    ? vi ? 'toàn bộ tệp' : 'the whole file'
    : vi ? `phần văn bản lúc ký; sau đó có ${s.coverage.laterRevisions} lần cập nhật${s.modifications.disallowed.length === 0 ? ' (đều được phép)' : ''}` : `the document as signed; ${s.coverage.laterRevisions} later update(s)${s.modifications.disallowed.length === 0 ? ' (all allowed)' : ''}`;
  const intact = s.integrity.digestMatches && s.integrity.signatureValid;
  const lines = [
    `#${s.index} ${kind} "${s.fieldName}": ${verdictWord(s.verdict, language)} — ${headline}`,
    ...(vi ? [] : [`   ETSI EN 319 102-1: ${INDICATION_EN[s.indication]}${s.subIndication ? ` / ${s.subIndication}` : ''}`]),
    ...(advice ? [`   ${s.indication === 'TOTAL-PASSED' ? (vi ? 'Ý nghĩa' : 'Meaning') : vi ? 'Nên làm' : 'What to do'}: ${advice}`] : []),
    `   ${vi ? 'Người ký' : 'Signer'}: ${who}`,
    `   ${vi ? 'Chuỗi chứng thư' : 'Certificate chain'}: ${s.chain.path.join(' → ') || '—'}${trust}`,
    `   ${vi ? 'Thời điểm ký' : 'Signing time'}: ${timeText(s, language)}`,
    `   ${vi ? 'Mức chữ ký' : 'Level'}: ${s.level === 'unknown' ? '—' : `PAdES ${s.level}`}`,
    `   ${vi ? 'Toàn vẹn' : 'Integrity'}: ${intact ? (vi ? 'còn nguyên' : 'intact') : vi ? 'không còn nguyên' : 'broken'} · ${vi ? 'Phạm vi ký' : 'Covers'}: ${coverage}`,
    `   ${vi ? 'Thu hồi' : 'Revocation'}: ${revocationText(s, language)}`,
    ...visibleFindings(s.findings).map((f) => `   - ${SEVERITY_WORD[language][f.severity]}: ${vi ? f.messageVi : f.messageEn}`),
  ];
  return `${lines.join('\n')}\n`;
}

/** A whole file's report: its verdict and summary, then each signature. */
export function renderReportText(report: PdfValidationReport, language: ReportLanguage, fileName?: string): string {
  const vi = language === 'vi';
  const head = `${fileName ? `${fileName}: ` : ''}${verdictWord(report.verdict, language)} — ${vi ? report.summaryVi : report.summaryEn}\n`;
  const fileFindings = report.findings.map((f) => `- ${vi ? f.messageVi : f.messageEn}\n`).join('');
  return `${head}${fileFindings}${report.signatures.map((s) => renderSignatureText(s, language)).join('')}`;
}

/** "3 tệp: 2 hợp lệ, 1 không hợp lệ" — the last line of a many-file check; only the counts that are not zero after the first. */
export function filesSummary(verdicts: readonly (Verdict | 'unsigned' | 'unreadable')[], language: ReportLanguage): string {
  const words = {
    vi: { valid: 'hợp lệ', invalid: 'không hợp lệ', indeterminate: 'chưa xác định', unsigned: 'không có chữ ký', unreadable: 'không đọc được' },
    en: { valid: 'valid', invalid: 'invalid', indeterminate: 'indeterminate', unsigned: 'unsigned', unreadable: 'unreadable' },
  }[language];
  const order = ['valid', 'invalid', 'indeterminate', 'unsigned', 'unreadable'] as const;
  const parts = order.filter((v, i) => i === 0 || verdicts.includes(v)).map((v) => `${verdicts.filter((x) => x === v).length} ${words[v]}`);
  return language === 'vi' ? `${verdicts.length} tệp: ${parts.join(', ')}` : `${verdicts.length} file(s): ${parts.join(', ')}`;
}

/**
 * What a screen lists under a signature: first, unless it is valid, what the outcome means and what
 * to do; then the visible findings. Same shape for the signatures panel and the inbox.
 */
export function findingsForPeople(signature: SignatureReport): { severity: Finding['severity']; messageVi: string; messageEn: string }[] {
  const shown = visibleFindings(signature.findings).map((f) => ({ severity: f.severity, messageVi: f.messageVi, messageEn: f.messageEn }));
  if (signature.indication === 'TOTAL-PASSED') return shown;
  const vi = signatureMeaning(signature, 'vi');
  const en = signatureMeaning(signature, 'en');
  const meaning = {
    severity: signature.indication === 'TOTAL-FAILED' ? ('error' as const) : ('warning' as const),
    messageVi: `${vi.headline}.${vi.advice ? ` ${vi.advice}` : ''}`,
    messageEn: `${en.headline}.${en.advice ? ` ${en.advice}` : ''}`,
  };
  return [meaning, ...shown];
}
