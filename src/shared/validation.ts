// The signature report for a PDF: what each signature proves, in words an official can act on (Vietnamese and English).
import type { CertificateInfo } from './certificate.js';
import type { Modification } from './modification-words.js';

export type Verdict = 'valid' | 'invalid' | 'indeterminate';
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  code: FindingCode;
  severity: Severity;
  messageVi: string;
  messageEn: string;
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
  chain: { trusted: boolean; path: string[]; problems: { code: string; messageVi: string; messageEn: string }[] };
  revocation: { status: 'good' | 'revoked' | 'unknown'; source: 'ocsp' | 'crl' | 'none'; revokedAt: string | undefined };
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

const findingCatalogue = {
  NO_SIGNATURES: { vi: () => 'Tệp không có chữ ký số.', en: () => 'The file carries no digital signature.' },
  NOT_A_PDF: { vi: (p: Params) => `Không đọc được tệp PDF: ${p.detail}`, en: (p: Params) => `The PDF cannot be read: ${p.detail}` },
  BYTE_RANGE_INVALID: {
    vi: (p: Params) => `Vùng ký (/ByteRange) không hợp lệ: ${p.detail}`,
    en: (p: Params) => `The signed byte range (/ByteRange) is invalid: ${p.detail}`,
  },
  CMS_UNREADABLE: { vi: (p: Params) => `Không đọc được dữ liệu chữ ký: ${p.detail}`, en: (p: Params) => `The signature data cannot be read: ${p.detail}` },
  DIGEST_MISMATCH: {
    vi: () => 'Nội dung đã bị thay đổi sau khi ký (mã băm không khớp).',
    en: () => 'The content was changed after signing (digest mismatch).',
  },
  SIGNATURE_INVALID: { vi: () => 'Giá trị chữ ký không đúng với chứng thư số.', en: () => 'The signature value does not verify with the certificate.' },
  CERTIFICATE_NOT_BOUND: {
    vi: () => 'Thuộc tính signingCertificateV2 không khớp chứng thư số đã ký.',
    en: () => 'signingCertificateV2 does not match the signing certificate.',
  },
  NO_SIGNING_CERTIFICATE_V2: {
    vi: () => 'Chữ ký thiếu thuộc tính signingCertificateV2 (không đúng chuẩn PAdES).',
    en: () => 'The signature lacks signingCertificateV2 (not PAdES baseline).',
  },
  SIGNER_CERTIFICATE_MISSING: { vi: () => 'Không tìm thấy chứng thư số của người ký.', en: () => "The signer's certificate is missing." },
  PARTIAL_COVERAGE: {
    vi: (p: Params) => `Có ${p.count} lần cập nhật sau chữ ký này.`,
    en: (p: Params) => `The file was updated ${p.count} time(s) after this signature.`,
  },
  MODIFIED_AFTER_SIGNING: {
    vi: (p: Params) => `Văn bản bị sửa sau khi ký: ${p.detailVi ?? p.detail}`,
    en: (p: Params) => `The document was modified after signing: ${p.detail}`,
  },
  TIMESTAMP_INVALID: { vi: (p: Params) => `Dấu thời gian không hợp lệ: ${p.detail}`, en: (p: Params) => `The timestamp is invalid: ${p.detail}` },
  CHAIN_UNTRUSTED: {
    vi: (p: Params) => `Chứng thư số không thuộc nhà cung cấp được tin cậy: ${p.detail}`,
    en: (p: Params) => `The certificate does not chain to a trusted root: ${p.detail}`,
  },
  CERTIFICATE_REVOKED: {
    vi: (p: Params) => `Chứng thư số đã bị thu hồi lúc ${p.at}.`,
    en: (p: Params) => `The certificate was revoked at ${p.at}.`,
  },
  REVOCATION_UNKNOWN: {
    vi: () => 'Chưa kiểm tra được tình trạng thu hồi của chứng thư số.',
    en: () => 'The revocation status of the certificate could not be checked.',
  },
  SIGNED_WHILE_INVALID: {
    vi: (p: Params) => `Chứng thư số không còn hiệu lực vào thời điểm ký (${p.at}).`,
    en: (p: Params) => `The certificate was not valid at signing time (${p.at}).`,
  },
} satisfies Record<string, { vi: (p: Params) => string; en: (p: Params) => string }>;

export type FindingCode = keyof typeof findingCatalogue;

export function finding(code: FindingCode, severity: Severity, params: Params = {}): Finding {
  const entry: { vi: (p: Params) => string; en: (p: Params) => string } = findingCatalogue[code];
  return { code, severity, messageVi: entry.vi(params), messageEn: entry.en(params) };
}
