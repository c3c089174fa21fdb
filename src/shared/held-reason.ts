// Why an incoming document is held "cần kiểm tra lại", in plain words for the clerk: read from the reason the re-check keeps (file name, finding codes).

export type HeldOutcome = 'indeterminate' | 'invalid';

/** The usual causes of a hold, in words a clerk acts on (the codes are the validator's finding codes). */
const CAUSES: Record<string, { vi: string; en: string }> = {
  REVOCATION_UNKNOWN: {
    vi: 'chưa hỏi được tình trạng thu hồi chứng thư số (máy chủ OCSP/CRL không trả lời hoặc máy không có mạng)',
    en: 'the certificate’s revocation status could not be asked (the OCSP/CRL service did not answer, or there is no network)',
  },
  CHAIN_UNTRUSTED: {
    vi: 'máy chưa có chứng thư gốc của tổ chức cấp chứng thư số cho người ký',
    en: 'this computer lacks the root certificate of the signer’s certificate authority',
  },
  CHAIN_INCOMPLETE: { vi: 'thiếu chứng thư trung gian để xác minh người ký', en: 'an intermediate certificate is missing' },
  CERTIFICATE_EXPIRED_NO_POE: {
    vi: 'chứng thư số đã hết hạn và văn bản không có dấu thời gian chứng minh thời điểm ký',
    en: 'the certificate has expired and no timestamp proves when it was signed',
  },
  REVOKED_NO_POE: { vi: 'chứng thư số đã bị thu hồi, chưa rõ văn bản ký trước hay sau thời điểm đó', en: 'the certificate was revoked; it is not known whether the signature came before' },
  SIGNATURE_CHECK_UNFINISHED: {
    vi: 'phần mềm kiểm tra gặp trục trặc khi kiểm tra chữ ký (không phải do tệp)',
    en: 'the checker met an error of its own while checking the signature (not the file’s)',
  },
  CERTIFICATE_REVOKED: { vi: 'chứng thư số đã bị thu hồi, chưa rõ văn bản ký trước hay sau thời điểm đó', en: 'the certificate was revoked; it is not known whether the signature came before' },
};

const GENERIC = { vi: 'chưa xác minh được chữ ký trên máy này', en: 'the signature could not be verified on this computer yet' };

/** One file's part of a kept reason: "name: indeterminate (CODE, CODE) — summary". */
function partText(part: string, language: 'vi' | 'en'): string {
  const match = /^(.*?): indeterminate \(([^)]*)\)/.exec(part);
  if (!match) return part.includes(':') ? `${part.slice(0, part.indexOf(':'))}: ${GENERIC[language]}` : GENERIC[language];
  const codes = match[2]!.split(',').map((c) => c.trim());
  const causes = [...new Set(codes.flatMap((code) => (CAUSES[code] ? [CAUSES[code][language]] : [])))];
  return `${match[1]}: ${(causes.length > 0 ? causes : [GENERIC[language]]).join('; ')}`;
}

/**
 * The clerk's sentence for a held document. 'indeterminate': why it could not be decided and that vanthu
 * checks again by itself; 'invalid': a re-check found the signature invalid, and the clerk decides.
 */
export function heldReasonText(reason: string, outcome: HeldOutcome, language: 'vi' | 'en'): string {
  if (outcome === 'invalid') {
    return language === 'vi'
      ? 'Kiểm tra lại thấy chữ ký không hợp lệ. Văn bản không tự động trả lại: văn thư xem chi tiết chữ ký rồi quyết định tiếp nhận hay từ chối.'
      : 'A re-check found the signature invalid. The document is not returned automatically: look at the signature details and accept or return it.';
  }
  const parts = reason.split('; ').filter(Boolean).map((part) => partText(part, language));
  return language === 'vi'
    ? `Chưa kết luận được chữ ký: ${parts.join('. ')}. vanthu sẽ tự kiểm tra lại; không trả lại văn bản.`
    : `The signature could not be decided: ${parts.join('. ')}. vanthu checks again by itself; the document is not returned.`;
}
