// The signature report for a PDF: what each signature proves, in words an official can act on (Vietnamese and English).
import { hasEnglish } from './english-words.js';
import { TECHNICAL_DETAIL_VI } from './errors.js';
import type { CertificateInfo } from './certificate.js';
import type { Modification } from './modification-words.js';

export type Verdict = 'valid' | 'invalid' | 'indeterminate';
export type Severity = 'error' | 'warning' | 'info';

/** ETSI EN 319 102-1 main status indication of a signature validation. */
export type Indication = 'TOTAL-PASSED' | 'TOTAL-FAILED' | 'INDETERMINATE';
/** ETSI EN 319 102-1 sub-indications (the ones vanthu can reach). */
export type SubIndication =
  // TOTAL-FAILED
  | 'FORMAT_FAILURE'
  | 'HASH_FAILURE'
  | 'SIG_CRYPTO_FAILURE'
  | 'REVOKED'
  | 'EXPIRED'
  | 'NOT_YET_VALID'
  // INDETERMINATE
  | 'NO_SIGNING_CERTIFICATE_FOUND'
  | 'NO_CERTIFICATE_CHAIN_FOUND'
  | 'CHAIN_CONSTRAINTS_FAILURE'
  | 'SIG_CONSTRAINTS_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE'
  | 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE'
  | 'OUT_OF_BOUNDS_NO_POE'
  | 'OUT_OF_BOUNDS_NOT_REVOKED'
  | 'REVOKED_NO_POE'
  | 'NO_POE'
  | 'TRY_LATER';

export interface Finding {
  code: FindingCode;
  severity: Severity;
  messageVi: string;
  messageEn: string;
  /** What this finding makes of the signature when it decides the verdict (errors and warnings only). */
  subIndication?: SubIndication;
}

export type SignatureLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA' | 'unknown';

export interface SignatureReport {
  /** 1-based, in the order the signatures were added. */
  index: number;
  fieldName: string;
  kind: 'signature' | 'document-timestamp';
  subFilter: string;
  signer: CertificateInfo | undefined;
  /** /M of the signature dictionary: the signer's claim, not proof. */
  claimedSigningTime: string | undefined;
  /** Proven time from an RFC 3161 timestamp, when there is one. */
  timestamp: { time: string; tsa: string | undefined; valid: boolean } | undefined;
  level: SignatureLevel;
  reason: string | undefined;
  location: string | undefined;
  integrity: {
    /** The document bytes hash to the signed messageDigest. */
    digestMatches: boolean;
    signatureValid: boolean;
    /** signingCertificateV2 names the certificate that signed; undefined when absent. */
    certificateBound: boolean | undefined;
  };
  coverage: {
    byteRange: number[];
    byteRangeValid: boolean;
    coversWholeFile: boolean;
    /** Later incremental updates after this signature's revision. */
    laterRevisions: number;
  };
  /** Changes after this signature's revision: English lines (allowed, disallowed) and each change structured with its Vietnamese wording. */
  modifications: { allowed: string[]; disallowed: string[]; changes: Modification[] };
  /** The certificate path by subject name, leaf first; problems as the trust module words them. */
  chain: {
    trusted: boolean;
    path: string[];
    problems: { code: string; messageVi: string; messageEn: string }[];
    /** The chain ends at a bundled root seen in too few sources (NEAC's 2025–26 service roots). */
    provisional?: boolean;
    /** A certificate below the root is signed with SHA-1 (G1/MIC era). */
    legacySha1?: boolean;
  };
  revocation: { status: 'good' | 'revoked' | 'unknown'; source: 'ocsp' | 'crl' | 'none'; revokedAt: string | undefined };
  /** ETSI EN 319 102-1 outcome; `verdict` is derived from it. */
  indication: Indication;
  subIndication: SubIndication | undefined;
  verdict: Verdict;
  findings: Finding[];
}

export interface PdfValidationReport {
  file: { size: number; sha256: string };
  signatures: SignatureReport[];
  /** 'unsigned' when the file carries no signature at all. */
  verdict: Verdict | 'unsigned';
  /** Problems with the file as a whole (unreadable, not a PDF). */
  findings: Finding[];
  summaryVi: string;
  summaryEn: string;
}

type Params = Record<string, string | number | undefined>;

interface CatalogueEntry {
  vi: (p: Params) => string;
  en: (p: Params) => string;
  /** The ETSI sub-indication this finding gives when it decides (errors and warnings). */
  sub?: SubIndication;
}

// Vietnamese texts hold no English word (tests/unit/shared/validation-text.test.ts scans them): a technical
// detail in English (`detail`) goes to the English text only; `detailVi` carries a Vietnamese one when there is one.
const findingCatalogue = {
  NO_SIGNATURES: { vi: () => 'Tệp không có chữ ký số.', en: () => 'The file carries no digital signature.' },
  NOT_A_PDF: {
    vi: () => 'Không đọc được tệp PDF: tệp bị hỏng hoặc không phải tệp PDF.',
    en: (p: Params) => `The PDF cannot be read: ${p.detail}`,
    sub: 'FORMAT_FAILURE',
  },
  BYTE_RANGE_INVALID: {
    vi: () => 'Vùng dữ liệu được ký trong tệp không đúng cấu trúc: không xác định được phần nào của văn bản đã được ký.',
    en: (p: Params) => `The signed byte range (/ByteRange) is invalid: ${p.detail}`,
    sub: 'FORMAT_FAILURE',
  },
  CMS_UNREADABLE: {
    vi: () => 'Không đọc được dữ liệu chữ ký: dữ liệu bị hỏng hoặc sai cấu trúc.',
    en: (p: Params) => `The signature data cannot be read: ${p.detail}`,
    sub: 'FORMAT_FAILURE',
  },
  DETACHED_WITH_CONTENT: {
    vi: () => 'Chữ ký kiểu tách rời nhưng lại mang kèm một nội dung khác bên trong: không đúng cấu trúc, không chấp nhận.',
    en: () => 'A detached signature that also carries encapsulated content: not allowed.',
    sub: 'FORMAT_FAILURE',
  },
  CERTIFICATE_UNREADABLE: {
    vi: () => 'Chứng thư số của người ký bị hỏng, không đọc được.',
    en: (p: Params) => `The signer's certificate is damaged: ${p.detail}`,
    sub: 'FORMAT_FAILURE',
  },
  DIGEST_MISMATCH: {
    vi: () => 'Nội dung văn bản đã bị thay đổi sau khi ký (mã băm không khớp).',
    en: () => 'The content was changed after signing (digest mismatch).',
    sub: 'HASH_FAILURE',
  },
  SIGNATURE_INVALID: {
    vi: () => 'Giá trị chữ ký không khớp với chứng thư số của người ký.',
    en: () => 'The signature value does not verify with the certificate.',
    sub: 'SIG_CRYPTO_FAILURE',
  },
  ALGORITHM_UNSUPPORTED: {
    vi: () => 'Chữ ký dùng thuật toán chưa hỗ trợ nên chưa kiểm tra được giá trị chữ ký.',
    en: (p: Params) => `The signature uses an algorithm not supported yet, so its value cannot be checked: ${p.detail}`,
    sub: 'CRYPTO_CONSTRAINTS_FAILURE',
  },
  CERTIFICATE_NOT_BOUND: {
    vi: () => 'Chữ ký ghi nhận một chứng thư số khác với chứng thư số đã dùng để ký.',
    en: () => 'signingCertificateV2 does not match the signing certificate.',
    sub: 'FORMAT_FAILURE',
  },
  NO_SIGNING_CERTIFICATE_V2: {
    vi: () => 'Chữ ký không ghi kèm dấu vết chứng thư số của người ký (thường gặp ở chữ ký tạo bằng phần mềm cũ).',
    en: () => 'The signature lacks signingCertificateV2 (not PAdES baseline; common in older signing tools).',
  },
  SIGNER_CERTIFICATE_MISSING: {
    vi: () => 'Không tìm thấy chứng thư số của người ký trong chữ ký.',
    en: () => "The signer's certificate is missing.",
    sub: 'NO_SIGNING_CERTIFICATE_FOUND',
  },
  PARTIAL_COVERAGE: {
    vi: (p: Params) => `Có ${p.count} lần cập nhật tệp sau chữ ký này.`,
    en: (p: Params) => `The file was updated ${p.count} time(s) after this signature.`,
  },
  MODIFIED_AFTER_SIGNING: {
    vi: (p: Params) => `Văn bản bị sửa sau khi ký: ${p.detailVi ?? (hasEnglish(String(p.detail)) ? TECHNICAL_DETAIL_VI : p.detail)}`,
    en: (p: Params) => `The document was modified after signing: ${p.detail}`,
    sub: 'HASH_FAILURE',
  },
  TIMESTAMP_INVALID: {
    vi: () => 'Dấu thời gian không hợp lệ: không chứng minh được thời điểm ký.',
    en: (p: Params) => `The timestamp is invalid: ${p.detail}`,
    sub: 'HASH_FAILURE',
  },
  CHAIN_UNTRUSTED: {
    vi: (p: Params) => `Không có chứng thư gốc tin cậy cho chứng thư số này${p.detailVi ? `: ${p.detailVi}` : '.'}`,
    en: (p: Params) => `The certificate does not chain to a trusted root: ${p.detail}`,
    sub: 'NO_CERTIFICATE_CHAIN_FOUND',
  },
  CHAIN_INVALID: {
    vi: (p: Params) => `Chuỗi chứng thư đến chứng thư gốc tin cậy có lỗi: ${p.detailVi}`,
    en: (p: Params) => `The chain to a trusted root is flawed: ${p.detail}`,
    sub: 'CHAIN_CONSTRAINTS_FAILURE',
  },
  CERTIFICATE_EXPIRED_NO_POE: {
    vi: (p: Params) => `Chứng thư số đã hết hạn lúc ${p.at} và không có dấu thời gian chứng minh văn bản được ký trước đó.`,
    en: (p: Params) => `The certificate expired at ${p.at} and no timestamp proves the document was signed before then.`,
    sub: 'OUT_OF_BOUNDS_NO_POE',
  },
  CERTIFICATE_REVOKED: {
    vi: (p: Params) => `Chứng thư số đã bị thu hồi lúc ${p.at}.`,
    en: (p: Params) => `The certificate was revoked at ${p.at}.`,
    sub: 'REVOKED',
  },
  REVOCATION_UNKNOWN: {
    vi: () => 'Chưa kiểm tra được tình trạng thu hồi của chứng thư số.',
    en: () => 'The revocation status of the certificate could not be checked.',
    sub: 'TRY_LATER',
  },
  SIGNED_WHILE_INVALID: {
    vi: (p: Params) => `Chứng thư số không còn hiệu lực vào thời điểm ký (${p.at}).`,
    en: (p: Params) => `The certificate was not valid at signing time (${p.at}).`,
    sub: 'EXPIRED',
  },
  LEGACY_SHA1: {
    vi: () => 'Chuỗi chứng thư dùng thuật toán cũ (SHA-1); chấp nhận vì thời điểm ký đã được chứng minh trước khi tổ chức chứng thực hết hạn.',
    en: () => 'The chain uses a legacy algorithm (SHA-1); accepted because the signing time is proven before the CA expired.',
  },
  LEGACY_SHA1_NO_POE: {
    vi: () => 'Chuỗi chứng thư dùng thuật toán cũ (SHA-1) mà không có dấu thời gian chứng minh thời điểm ký: chưa xác định được.',
    en: () => 'The chain uses a legacy algorithm (SHA-1) and no timestamp proves the signing time: cannot be decided.',
    sub: 'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
  },
  PROVISIONAL_ROOT: {
    vi: (p: Params) => `Chứng thư gốc "${p.root}" mới được tin cậy tạm thời (chưa đối chiếu đủ nguồn chính thức).`,
    en: (p: Params) => `Root "${p.root}" is trusted provisionally (not yet checked against enough official sources).`,
  },
  EVIDENCE_UNREADABLE: {
    vi: (p: Params) => `Có ${p.count} chứng thư hoặc dữ liệu kiểm tra kèm theo bị hỏng, đã bỏ qua.`,
    en: (p: Params) => `${p.count} attached certificate(s) or validation data item(s) are damaged and were skipped.`,
  },
  SIGNATURE_CHECK_FAILED: {
    vi: () => 'Chữ ký có phần dữ liệu bị hỏng nên không kiểm tra hết được.',
    en: (p: Params) => `Part of the signature is damaged and could not be checked: ${p.detail}`,
    sub: 'FORMAT_FAILURE',
  },
  // The check stopped on the checker's own error (not on the file's bytes): nothing is known against the signature, so it
  // is not called invalid (a document is then held for a clerk and checked again, never returned or refused for it).
  SIGNATURE_CHECK_UNFINISHED: {
    vi: () => 'Chưa kiểm tra xong chữ ký này do trục trặc của phần mềm kiểm tra (không phải do tệp); sẽ kiểm tra lại.',
    en: (p: Params) => `The check of this signature stopped on an error of the checker, not of the file; it will be checked again: ${p.detail}`,
    sub: 'TRY_LATER',
  },
} satisfies Record<string, CatalogueEntry>;

export type FindingCode = keyof typeof findingCatalogue;

/** Every finding code, for renderers and tests that go through them all. */
export const FINDING_CODES = Object.keys(findingCatalogue) as FindingCode[];

/** A finding; `subIndication` overrides the catalogue's when the same finding means different things (revoked with or without proof of time). */
export function finding(code: FindingCode, severity: Severity, params: Params = {}, subIndication?: SubIndication): Finding {
  const entry: CatalogueEntry = findingCatalogue[code];
  const sub = severity === 'info' ? undefined : (subIndication ?? entry.sub);
  return { code, severity, messageVi: entry.vi(params), messageEn: entry.en(params), ...(sub ? { subIndication: sub } : {}) };
}

/** Sub-indications that fail a signature for good (EN 319 102-1 table 5); every other one leaves it indeterminate. */
const TOTAL_FAILED: ReadonlySet<SubIndication> = new Set(['FORMAT_FAILURE', 'HASH_FAILURE', 'SIG_CRYPTO_FAILURE', 'REVOKED', 'EXPIRED', 'NOT_YET_VALID']);

export const indicationOf = (sub: SubIndication): Exclude<Indication, 'TOTAL-PASSED'> => (TOTAL_FAILED.has(sub) ? 'TOTAL-FAILED' : 'INDETERMINATE');

/**
 * The ETSI outcome of a signature from its findings: the first failing finding decides (findings are
 * added in the order of the checks: format, hash, signature, chain, time, revocation), a failure before
 * any indeterminate one; `verdict` is the older three-way form the exchange and the app use.
 */
export function conclude(findings: readonly Finding[]): { indication: Indication; subIndication: SubIndication | undefined; verdict: Verdict } {
  const deciding = findings.filter((f) => f.severity !== 'info');
  const failed = deciding.find((f) => f.subIndication && indicationOf(f.subIndication) === 'TOTAL-FAILED');
  if (failed) return { indication: 'TOTAL-FAILED', subIndication: failed.subIndication, verdict: 'invalid' };
  const open = deciding[0];
  if (open) return { indication: 'INDETERMINATE', subIndication: open.subIndication ?? 'NO_POE', verdict: 'indeterminate' };
  return { indication: 'TOTAL-PASSED', subIndication: undefined, verdict: 'valid' };
}

export const verdictOfIndication = (indication: Indication): Verdict =>
  indication === 'TOTAL-PASSED' ? 'valid' : indication === 'TOTAL-FAILED' ? 'invalid' : 'indeterminate';
