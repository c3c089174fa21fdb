// Error codes with Vietnamese and English messages: one catalogue for core, CLI, server and UI.
import { hasEnglish } from './english-words.js';

type Params = Record<string, string | number | undefined>;
type Message = (p: Params) => string;

interface CatalogueEntry {
  vi: Message;
  en: Message;
}

const triesText = (p: Params): { vi: string; en: string } => {
  if (p.triesLeft === 1) return { vi: ' Chỉ còn 1 lần thử trước khi thiết bị bị khóa.', en: ' Only 1 try is left before the token locks.' };
  if (p.triesLeft === 'few') return { vi: ' Còn ít lần thử trước khi thiết bị bị khóa.', en: ' Few tries are left before the token locks.' };
  return { vi: '', en: '' };
};

export const errorCatalogue = {
  BAD_USAGE: {
    vi: (p) => `Cách dùng không đúng: ${p.detail}`,
    en: (p) => `Bad usage: ${p.detail}`,
  },
  BAD_INPUT: {
    vi: (p) => `Dữ liệu đầu vào không hợp lệ: ${p.detail}`,
    en: (p) => `Invalid input: ${p.detail}`,
  },
  TOKEN_MODULE_NOT_FOUND: {
    vi: (p) => `Không tìm thấy thư viện PKCS#11 "${p.path}". Hãy cài trình điều khiển USB token của nhà cung cấp.`,
    en: (p) => `PKCS#11 module "${p.path}" was not found. Install the USB token vendor's driver.`,
  },
  TOKEN_MODULE_NOT_LIBRARY: {
    vi: (p) => `Tệp "${p.path}" không phải là thư viện PKCS#11 (${p.detail}).`,
    en: (p) => `File "${p.path}" is not a PKCS#11 library (${p.detail}).`,
  },
  TOKEN_MODULE_WRONG_ARCH: {
    vi: (p) => `Thư viện "${p.path}" là bản ${p.found}, nhưng vanthu chạy ${p.expected}: không thể nạp. Hãy dùng bản ${p.expected} của trình điều khiển.`,
    en: (p) => `Module "${p.path}" is built for ${p.found} but vanthu runs on ${p.expected}, so it cannot be loaded. Use the ${p.expected} build of the driver.`,
  },
  TOKEN_MODULE_LOAD_FAILED: {
    vi: (p) => `Không nạp được thư viện PKCS#11 "${p.path}": ${p.detail}`,
    en: (p) => `Could not load PKCS#11 module "${p.path}": ${p.detail}`,
  },
  TOKEN_NOT_FOUND: {
    vi: (p) => `Không thấy USB token "${p.token}". Hãy cắm token vào máy.`,
    en: (p) => `USB token "${p.token}" was not found. Plug the token in.`,
  },
  TOKEN_REMOVED: {
    vi: (p) => `USB token "${p.token}" đã bị rút ra. Hãy cắm lại và đăng nhập lại bằng mã PIN.`,
    en: (p) => `USB token "${p.token}" was removed. Plug it back in and sign in with the PIN again.`,
  },
  TOKEN_PIN_INCORRECT: {
    vi: (p) => `Mã PIN không đúng.${triesText(p).vi}`,
    en: (p) => `Wrong PIN.${triesText(p).en}`,
  },
  TOKEN_PIN_LOCKED: {
    vi: (p) => `USB token "${p.token}" đã bị khóa PIN do nhập sai quá nhiều lần. Liên hệ nhà cung cấp chứng thư số để mở khóa.`,
    en: (p) => `The PIN of USB token "${p.token}" is locked after too many wrong tries. Contact the certificate provider to unlock it.`,
  },
  TOKEN_PIN_INVALID: {
    vi: (p) => `Mã PIN không hợp lệ: ${p.detail}`,
    en: (p) => `The PIN is not acceptable: ${p.detail}`,
  },
  TOKEN_NOT_LOGGED_IN: {
    vi: (p) => `Chưa đăng nhập USB token "${p.token}". Hãy nhập mã PIN.`,
    en: (p) => `Not signed in to USB token "${p.token}". Enter the PIN.`,
  },
  TOKEN_CERT_NOT_FOUND: {
    vi: (p) => `Không thấy chứng thư số "${p.cert}" trên USB token "${p.token}".`,
    en: (p) => `Certificate "${p.cert}" is not on USB token "${p.token}".`,
  },
  TOKEN_KEY_NOT_FOUND: {
    vi: (p) => `USB token "${p.token}" không có khóa bí mật đi kèm chứng thư số "${p.cert}".`,
    en: (p) => `USB token "${p.token}" holds no private key for certificate "${p.cert}".`,
  },
  TOKEN_MECHANISM_UNSUPPORTED: {
    vi: (p) => `USB token không hỗ trợ thuật toán ký ${p.algorithm}.`,
    en: (p) => `The USB token does not support the ${p.algorithm} signature algorithm.`,
  },
  TOKEN_OPERATION_FAILED: {
    vi: (p) => `USB token báo lỗi khi ${p.operation}: ${p.detail}`,
    en: (p) => `The USB token failed to ${p.operation}: ${p.detail}`,
  },
  CERT_PARSE_FAILED: {
    vi: (p) => `Không đọc được chứng thư số: ${p.detail}`,
    en: (p) => `Could not read the certificate: ${p.detail}`,
  },
  // PDF
  PDF_INVALID: {
    vi: (p) => `Không đọc được tệp PDF: ${p.detail}`,
    en: (p) => `Could not read the PDF file: ${p.detail}`,
  },
  PDF_ENCRYPTED: {
    vi: () => 'Tệp PDF được mã hóa (có mật khẩu): hãy gỡ mật khẩu trước khi ký.',
    en: () => 'The PDF file is encrypted (password protected): remove the password before signing.',
  },
  PDF_CERTIFIED_NO_CHANGES: {
    vi: (p) => `Tệp PDF đã được chứng nhận bởi chữ ký "${p.field}" và không cho phép thay đổi nào, kể cả thêm chữ ký.`,
    en: (p) => `The PDF is certified by signature "${p.field}", which allows no changes, not even another signature.`,
  },
  PDF_PAGE_OUT_OF_RANGE: {
    vi: (p) => `Trang ${p.page} không có trong tệp PDF (tệp có ${p.count} trang).`,
    en: (p) => `Page ${p.page} is not in the PDF (it has ${p.count} pages).`,
  },
  PDF_FIELD_NAME_TAKEN: {
    vi: (p) => `Tệp PDF đã có trường tên "${p.field}": hãy chọn tên khác cho trường chữ ký.`,
    en: (p) => `The PDF already has a field named "${p.field}": choose another name for the signature field.`,
  },
  PDF_IMAGE_INVALID: {
    vi: (p) => `Ảnh chữ ký/con dấu không phải tệp PNG hợp lệ: ${p.detail}`,
    en: (p) => `The signature or seal image is not a valid PNG file: ${p.detail}`,
  },
  PDF_TEXT_GLYPH_MISSING: {
    vi: (p) => `Phông chữ ${p.font} không có các ký tự: ${p.chars}`,
    en: (p) => `Font ${p.font} has no glyph for: ${p.chars}`,
  },
  PDF_SIGNATURE_TOO_LARGE: {
    vi: (p) => `Chữ ký số (${p.size} byte) lớn hơn chỗ đã dành trong tệp PDF (${p.reserved} byte).`,
    en: (p) => `The signature (${p.size} bytes) is larger than the space reserved in the PDF (${p.reserved} bytes).`,
  },
  PDF_OUTPUT_NOT_WRITABLE: {
    vi: (p) => `Không ghi được tệp đã ký vào ${p.file} (${p.reason}). Hãy kiểm tra thư mục và quyền ghi; tệp cũ, nếu có, vẫn còn nguyên.`,
    en: (p) => `The signed file could not be written to ${p.file} (${p.reason}). Check the folder and the write permission; an older file, if any, is left as it was.`,
  },
  PDF_PLACEHOLDER_INVALID: {
    vi: (p) => `Chỗ dành cho chữ ký trong tệp PDF đã chuẩn bị bị sai hoặc đã bị sửa: ${p.detail}`,
    en: (p) => `The signature placeholder of the prepared PDF is wrong or was changed: ${p.detail}`,
  },
  // CMS and timestamps
  CMS_INVALID: {
    vi: (p) => `Không đọc được chữ ký số CMS: ${p.detail}`,
    en: (p) => `Could not read the CMS signature: ${p.detail}`,
  },
  CMS_SIGNATURE_MISMATCH: {
    vi: (p) => `Chữ ký do USB token tạo ra không khớp với chứng thư số "${p.cert}": khóa trên token có thể không đi kèm chứng thư này.`,
    en: (p) => `The signature the USB token made does not match certificate "${p.cert}": the key on the token may not belong to it.`,
  },
  TSA_UNREACHABLE: {
    vi: (p) => `Không kết nối được máy chủ cấp dấu thời gian ${p.url}: ${p.detail}. Kiểm tra mạng rồi thử lại.`,
    en: (p) => `Could not reach the timestamp server ${p.url}: ${p.detail}. Check the network and try again.`,
  },
  TSA_TIMEOUT: {
    vi: (p) => `Máy chủ cấp dấu thời gian ${p.url} không trả lời sau ${p.seconds} giây. Văn bản sẽ được gắn dấu thời gian khi thử lại.`,
    en: (p) => `The timestamp server ${p.url} did not answer within ${p.seconds} seconds. The timestamp can be retried later.`,
  },
  TSA_CANCELLED: {
    vi: (p) => `Đã hủy yêu cầu dấu thời gian tới ${p.url}.`,
    en: (p) => `The timestamp request to ${p.url} was cancelled.`,
  },
  TSA_HTTP_ERROR: {
    vi: (p) => `Máy chủ cấp dấu thời gian ${p.url} báo lỗi HTTP ${p.status}.`,
    en: (p) => `The timestamp server ${p.url} answered HTTP ${p.status}.`,
  },
  TSA_REJECTED: {
    vi: (p) => `Máy chủ cấp dấu thời gian ${p.url} từ chối yêu cầu (trạng thái ${p.status}${p.statusText ? `: ${p.statusText}` : ''}).`,
    en: (p) => `The timestamp server ${p.url} rejected the request (status ${p.status}${p.statusText ? `: ${p.statusText}` : ''}).`,
  },
  TSA_BAD_RESPONSE: {
    vi: (p) => `Máy chủ cấp dấu thời gian ${p.url} trả về dữ liệu không hợp lệ: ${p.detail}`,
    en: (p) => `The timestamp server ${p.url} sent an invalid answer: ${p.detail}`,
  },
  TSA_IMPRINT_MISMATCH: {
    vi: (p) => `Dấu thời gian từ ${p.url} không được cấp cho chữ ký này (giá trị băm không khớp).`,
    en: (p) => `The timestamp from ${p.url} was not issued for this signature (the hash does not match).`,
  },
  TSA_NONCE_MISMATCH: {
    vi: (p) => `Dấu thời gian từ ${p.url} không trả lời đúng yêu cầu đã gửi (mã dùng một lần không khớp).`,
    en: (p) => `The timestamp from ${p.url} does not answer the request that was sent (nonce mismatch).`,
  },
  TSA_SIGNATURE_INVALID: {
    vi: (p) => `Chữ ký trên dấu thời gian từ ${p.url} không hợp lệ: ${p.detail}`,
    en: (p) => `The signature on the timestamp from ${p.url} is not valid: ${p.detail}`,
  },
  // Store
  STORE_CORRUPT: {
    vi: (p) => `Tệp cơ sở dữ liệu "${p.path}" bị hỏng hoặc không phải cơ sở dữ liệu của vanthu (${p.detail}). Tệp được giữ nguyên: hãy sao lưu nó và khôi phục từ bản sao lưu gần nhất.`,
    en: (p) => `The database file "${p.path}" is damaged or is not a vanthu database (${p.detail}). The file was left untouched: keep a copy and restore the latest backup.`,
  },
  STORE_TOO_NEW: {
    vi: (p) => `Cơ sở dữ liệu "${p.path}" do phiên bản vanthu mới hơn tạo ra (lược đồ ${p.found}, phiên bản này hiểu tới ${p.supported}). Hãy cập nhật vanthu; dữ liệu không bị thay đổi.`,
    en: (p) => `The database "${p.path}" was written by a newer vanthu (schema ${p.found}; this version knows up to ${p.supported}). Update vanthu; nothing was changed.`,
  },
  STORE_FTS5_MISSING: {
    vi: () => 'Bản SQLite đi kèm không có FTS5 nên không thể tìm kiếm văn bản. Hãy cài lại vanthu.',
    en: () => 'The bundled SQLite lacks FTS5, so documents cannot be searched. Reinstall vanthu.',
  },
  STORE_DISK_FULL: {
    vi: (p) => `Ổ đĩa đã đầy, không ghi được ${p.what}. Hãy giải phóng dung lượng rồi thử lại; dữ liệu đã lưu không bị mất.`,
    en: (p) => `The disk is full, so ${p.what} could not be written. Free some space and try again; nothing already saved was lost.`,
  },
  STORE_BUSY: {
    vi: () => 'Cơ sở dữ liệu đang bị một tiến trình khác giữ quá lâu. Hãy thử lại.',
    en: () => 'The database is held by another process for too long. Try again.',
  },
  STORE_NOT_FOUND: {
    vi: (p) => `Không tìm thấy ${p.what} số ${p.id}.`,
    en: (p) => `${p.what} ${p.id} was not found.`,
  },
  STORE_TRANSITION_NOT_ALLOWED: {
    vi: (p) => `Văn bản ${p.id} đang ở trạng thái "${p.from}", không thể chuyển sang "${p.to}".`,
    en: (p) => `Document ${p.id} is "${p.from}" and cannot move to "${p.to}".`,
  },
  STORE_NUMBER_ALREADY_ASSIGNED: {
    vi: (p) => `Văn bản ${p.id} đã được cấp số ${p.number}.`,
    en: (p) => `Document ${p.id} already has number ${p.number}.`,
  },
  STORE_BLOB_MISSING: {
    vi: (p) => `Tệp ${p.sha256} không còn trong kho lưu trữ (có thể đã bị xóa ngoài vanthu). Văn bản liên quan cần được xử lý lại.`,
    en: (p) => `File ${p.sha256} is no longer in the store (it may have been deleted outside vanthu). The documents that use it need attention.`,
  },
  STORE_BLOB_CORRUPT: {
    vi: (p) => `Tệp ${p.sha256} trong kho lưu trữ đã bị thay đổi (mã băm không khớp). Văn bản liên quan cần được xử lý lại.`,
    en: (p) => `File ${p.sha256} in the store was changed (its hash does not match). The documents that use it need attention.`,
  },
  STORE_SETTINGS_INVALID: {
    vi: (p) => `Cài đặt không hợp lệ: ${p.detail}`,
    en: (p) => `Invalid settings: ${p.detail}`,
  },
  // Trust
  TRUST_ROOT_FILE_INVALID: {
    vi: (p) => `Không đọc được chứng thư gốc tin cậy trong tệp "${p.path}": ${p.detail}`,
    en: (p) => `Could not read a trusted root certificate from "${p.path}": ${p.detail}`,
  },
  TRUST_ROOT_NOT_CA: {
    vi: (p) => `Chứng thư "${p.subject}" không phải chứng thư của tổ chức cấp chứng thư (không có ràng buộc cơ bản cho phép cấp chứng thư), nên không thể dùng làm chứng thư gốc tin cậy.`,
    en: (p) => `The certificate "${p.subject}" is not a certification authority's certificate (basicConstraints CA is not set), so it cannot be a trusted root.`,
  },
  TRUST_ROOT_BYTES_INVALID: {
    vi: () => `Tệp đã chọn không phải chứng thư số đọc được (dạng PEM hoặc DER).`,
    en: (p) => `The chosen file is not a readable certificate (PEM or DER): ${p.detail}`,
  },
  TRUST_ISSUER_NOT_FOUND: {
    vi: (p) => `Không tìm thấy chứng thư của đơn vị cấp cho "${p.subject}" (đơn vị cấp: "${p.issuer}"). Hãy bổ sung chứng thư CA trung gian.`,
    en: (p) => `The issuer certificate of "${p.subject}" (issuer "${p.issuer}") was not found. Add the intermediate CA certificate.`,
  },
  TRUST_ROOT_NOT_TRUSTED: {
    vi: (p) => `Chuỗi chứng thư kết thúc ở chứng thư gốc "${p.subject}" không nằm trong danh sách tin cậy.`,
    en: (p) => `The chain ends at root certificate "${p.subject}", which is not in the trusted list.`,
  },
  TRUST_CERT_EXPIRED: {
    vi: (p) => `Chứng thư số "${p.subject}" đã hết hạn từ ${p.notAfter}.`,
    en: (p) => `Certificate "${p.subject}" expired on ${p.notAfter}.`,
  },
  TRUST_CERT_NOT_YET_VALID: {
    vi: (p) => `Chứng thư số "${p.subject}" chưa có hiệu lực (có hiệu lực từ ${p.notBefore}).`,
    en: (p) => `Certificate "${p.subject}" is not valid yet (valid from ${p.notBefore}).`,
  },
  TRUST_SIGNATURE_INVALID: {
    vi: (p) => `Chữ ký của "${p.issuer}" trên chứng thư số "${p.subject}" không hợp lệ: chứng thư có thể đã bị sửa đổi.`,
    en: (p) => `The signature of "${p.issuer}" on certificate "${p.subject}" is not valid: the certificate may have been altered.`,
  },
  TRUST_ISSUER_NOT_CA: {
    vi: (p) => `Chứng thư "${p.subject}" không phải chứng thư của tổ chức chứng thực (CA) nên không được cấp chứng thư khác.`,
    en: (p) => `Certificate "${p.subject}" is not a certification authority (CA) certificate, so it may not issue certificates.`,
  },
  TRUST_ISSUER_NO_KEY_CERT_SIGN: {
    vi: (p) => `Khóa của CA "${p.subject}" không được phép ký chứng thư (thiếu keyCertSign).`,
    en: (p) => `The key of CA "${p.subject}" is not allowed to sign certificates (no keyCertSign).`,
  },
  TRUST_PATH_LENGTH_EXCEEDED: {
    vi: (p) => `CA "${p.subject}" chỉ cho phép ${p.pathLen} CA trung gian bên dưới, chuỗi chứng thư vượt quá giới hạn này.`,
    en: (p) => `CA "${p.subject}" allows only ${p.pathLen} intermediate CAs below it; the chain exceeds that limit.`,
  },
  TRUST_CHAIN_TOO_LONG: {
    vi: (p) => `Chuỗi chứng thư dài hơn ${p.max} chứng thư: dừng xây dựng chuỗi.`,
    en: (p) => `The certificate chain is longer than ${p.max} certificates: chain building stopped.`,
  },
  TRUST_CHAIN_LOOP: {
    vi: (p) => `Chuỗi chứng thư bị lặp vòng tại "${p.subject}".`,
    en: (p) => `The certificate chain loops back to "${p.subject}".`,
  },
  TRUST_KEY_USAGE_NOT_SIGNING: {
    vi: (p) => `Chứng thư số "${p.subject}" không được phép dùng để ký văn bản (thiếu digitalSignature/nonRepudiation).`,
    en: (p) => `Certificate "${p.subject}" may not be used to sign documents (no digitalSignature or nonRepudiation key usage).`,
  },
  TRUST_CERT_REVOKED: {
    vi: (p) => `Chứng thư số "${p.subject}" đã bị thu hồi từ ${p.revokedAt}${p.reason ? ` (lý do: ${p.reason})` : ''}.`,
    en: (p) => `Certificate "${p.subject}" was revoked on ${p.revokedAt}${p.reason ? ` (reason: ${p.reason})` : ''}.`,
  },
  TRUST_REVOCATION_UNCHECKED: {
    vi: (p) => `Không kiểm tra được trạng thái thu hồi của chứng thư số "${p.subject}". Chữ ký vẫn được tạo nhưng cần kiểm tra lại khi có mạng.`,
    en: (p) => `The revocation status of certificate "${p.subject}" could not be checked. Signing can go on, but check it again when online.`,
  },
  TRUST_REVOCATION_OFFLINE: {
    vi: (p) => `Đang ngoại tuyến và không có dữ liệu OCSP/CRL dùng được kèm theo cho chứng thư số "${p.subject}".`,
    en: (p) => `Offline, and no usable OCSP response or CRL was supplied for certificate "${p.subject}".`,
  },
  TRUST_REVOCATION_NO_SOURCE: {
    vi: (p) => `Chứng thư số "${p.subject}" không ghi địa chỉ OCSP hay CRL nào để kiểm tra trạng thái thu hồi.`,
    en: (p) => `Certificate "${p.subject}" names no OCSP or CRL address to check its revocation status.`,
  },
  TRUST_REVOCATION_NO_ISSUER: {
    vi: (p) => `Không có chứng thư của đơn vị cấp cho "${p.subject}" nên không kiểm tra được trạng thái thu hồi.`,
    en: (p) => `Without the issuer certificate of "${p.subject}" its revocation status cannot be checked.`,
  },
  TRUST_REVOCATION_UNREACHABLE: {
    vi: (p) => `Không kết nối được máy chủ ${p.service} ${p.url}: ${p.detail}`,
    en: (p) => `Could not reach the ${p.service} server ${p.url}: ${p.detail}`,
  },
  TRUST_REVOCATION_TIMEOUT: {
    vi: (p) => `Máy chủ ${p.service} ${p.url} không trả lời sau ${p.seconds} giây.`,
    en: (p) => `The ${p.service} server ${p.url} did not answer within ${p.seconds} seconds.`,
  },
  TRUST_REVOCATION_HTTP_ERROR: {
    vi: (p) => `Máy chủ ${p.service} ${p.url} báo lỗi HTTP ${p.status}.`,
    en: (p) => `The ${p.service} server ${p.url} answered HTTP ${p.status}.`,
  },
  TRUST_OCSP_BAD_RESPONSE: {
    vi: (p) => `Phản hồi OCSP (${p.sourceVi}) không hợp lệ: ${p.detail}`,
    en: (p) => `The OCSP response (${p.sourceEn}) is not valid: ${p.detail}`,
  },
  TRUST_OCSP_REJECTED: {
    vi: (p) => `Máy chủ OCSP (${p.sourceVi}) từ chối trả lời (trạng thái ${p.status}).`,
    en: (p) => `The OCSP responder (${p.sourceEn}) declined to answer (status ${p.status}).`,
  },
  TRUST_OCSP_SIGNATURE_INVALID: {
    vi: (p) => `Chữ ký trên phản hồi OCSP (${p.sourceVi}) không hợp lệ: phản hồi có thể đã bị sửa đổi.`,
    en: (p) => `The signature on the OCSP response (${p.sourceEn}) is not valid: the response may have been altered.`,
  },
  TRUST_OCSP_RESPONDER_NOT_AUTHORIZED: {
    vi: (p) => `Phản hồi OCSP (${p.sourceVi}) không do CA cấp chứng thư hoặc máy chủ OCSP được CA ủy quyền ký: ${p.detail}`,
    en: (p) => `The OCSP response (${p.sourceEn}) is not signed by the issuing CA or a responder it authorised: ${p.detail}`,
  },
  TRUST_OCSP_NONCE_MISMATCH: {
    vi: (p) => `Phản hồi OCSP (${p.sourceVi}) không trả lời đúng yêu cầu đã gửi (mã dùng một lần không khớp).`,
    en: (p) => `The OCSP response (${p.sourceEn}) does not answer the request that was sent (nonce mismatch).`,
  },
  TRUST_OCSP_NO_MATCH: {
    vi: (p) => `Phản hồi OCSP (${p.sourceVi}) không nói về chứng thư số "${p.subject}".`,
    en: (p) => `The OCSP response (${p.sourceEn}) says nothing about certificate "${p.subject}".`,
  },
  TRUST_OCSP_CERT_UNKNOWN: {
    vi: (p) => `Máy chủ OCSP (${p.sourceVi}) không biết chứng thư số "${p.subject}".`,
    en: (p) => `The OCSP responder (${p.sourceEn}) does not know certificate "${p.subject}".`,
  },
  TRUST_OCSP_STALE: {
    vi: (p) => `Phản hồi OCSP (${p.sourceVi}) đã cũ: cập nhật ${p.thisUpdate}, hết hiệu lực ${p.nextUpdate}.`,
    en: (p) => `The OCSP response (${p.sourceEn}) is out of date: issued ${p.thisUpdate}, valid until ${p.nextUpdate}.`,
  },
  TRUST_CRL_BAD: {
    vi: (p) => `Danh sách thu hồi CRL (${p.sourceVi}) không hợp lệ: ${p.detail}`,
    en: (p) => `The certificate revocation list (${p.sourceEn}) is not valid: ${p.detail}`,
  },
  TRUST_CRL_WRONG_ISSUER: {
    vi: (p) => `Danh sách thu hồi CRL (${p.sourceVi}) không do CA "${p.issuer}" phát hành.`,
    en: (p) => `The certificate revocation list (${p.sourceEn}) was not issued by CA "${p.issuer}".`,
  },
  TRUST_CRL_SIGNATURE_INVALID: {
    vi: (p) => `Chữ ký trên danh sách thu hồi CRL (${p.sourceVi}) không hợp lệ: danh sách có thể đã bị sửa đổi.`,
    en: (p) => `The signature on the certificate revocation list (${p.sourceEn}) is not valid: the list may have been altered.`,
  },
  TRUST_CRL_STALE: {
    vi: (p) => `Danh sách thu hồi CRL (${p.sourceVi}) đã cũ: cập nhật ${p.thisUpdate}, hết hiệu lực ${p.nextUpdate}.`,
    en: (p) => `The certificate revocation list (${p.sourceEn}) is out of date: issued ${p.thisUpdate}, valid until ${p.nextUpdate}.`,
  },
  // Signing appearance
  APPEARANCE_SIGNER_NAME_NOT_FOUND: {
    vi: (p) => `Không tìm thấy tên người ký "${p.name}" trên trang ${p.page} để tự đặt chữ ký. Hãy chỉ rõ vị trí bằng --page N và --rect x,y,rộng,cao (đơn vị điểm, pt).`,
    en: (p) => `The signer's name "${p.name}" is not on page ${p.page}, so the signature cannot be placed automatically. Give the position with --page N and --rect x,y,width,height (in points).`,
  },
  APPEARANCE_NO_ROOM: {
    vi: (p) => `Không đủ chỗ trống phía trên tên "${p.name}" (trang ${p.page}) để đặt ảnh chữ ký: chỉ có ${p.room} điểm (pt). Hãy chỉ rõ vị trí bằng --page và --rect.`,
    en: (p) => `There is not enough space above the name "${p.name}" (page ${p.page}) for the signature image: only ${p.room} points. Give the position with --page and --rect.`,
  },
  APPEARANCE_LEADER_SIGNATURE_NOT_FOUND: {
    vi: (p) => `Không tìm thấy chữ ký hiển thị của người có thẩm quyền${p.field ? ` (trường "${p.field}")` : ''} để đóng dấu lên. Văn bản phải được lãnh đạo ký trước; hoặc chỉ rõ vị trí dấu bằng --page và --rect.`,
    en: (p) => `No visible signature of the competent signer${p.field ? ` (field "${p.field}")` : ''} was found to put the seal over. The leader must sign first; or give the seal's position with --page and --rect.`,
  },
  APPEARANCE_ISSUING_TEXT_NOT_FOUND: {
    vi: (p) => `Không tìm thấy "${p.text}" trên trang ${p.page} để ghi ${p.whatVi}.`,
    en: (p) => `"${p.text}" is not on page ${p.page}, so the ${p.whatEn} cannot be written there.`,
  },
  APPEARANCE_ISSUING_ALREADY_FILLED: {
    vi: (p) => `Văn bản đã có ${p.whatVi} ("${p.found}") ở trang ${p.page}: không ghi đè.`,
    en: (p) => `The document already shows the ${p.whatEn} ("${p.found}") on page ${p.page}: it is not overwritten.`,
  },
  APPEARANCE_ISSUING_MISMATCH: {
    vi: (p) => `${p.whatVi} in sẵn trong văn bản ("${p.printed}") khác với giá trị được cấp ("${p.given}").`,
    en: (p) => `The ${p.whatEn} printed in the document ("${p.printed}") differs from the one assigned ("${p.given}").`,
  },
  // Signature levels (B-LT, B-LTA)
  SIGNING_LTV_INCOMPLETE: {
    vi: (p) => `Chưa đủ dữ liệu kiểm tra dài hạn (${p.level}) cho chữ ký "${p.field}": ${p.detail}. Hãy thử lại khi có mạng.`,
    en: (p) => `Long-term validation data (${p.level}) is incomplete for signature "${p.field}": ${p.detail}. Try again when the network is back.`,
  },
  SIGNING_CERTIFICATE_REFUSED: {
    vi: (p) => `Không ký bằng chứng thư số "${p.subject}": ${p.detail}`,
    en: (p) => `Refusing to sign with certificate "${p.subject}": ${p.detail}`,
  },
  SIGNING_UNSUPPORTED_LEVEL: {
    vi: (p) => `Mức chữ ký ${p.level} không được hỗ trợ.`,
    en: (p) => `Signature level ${p.level} is not supported.`,
  },
  // Outbox
  OUTBOX_UNKNOWN_KIND: {
    vi: (p) => `Không có bộ xử lý cho loại công việc "${p.kind}" trong hàng đợi: công việc cần được xem lại.`,
    en: (p) => `No handler for outbox job kind "${p.kind}": the job needs attention.`,
  },
  OUTBOX_GAVE_UP: {
    vi: (p) => `Đã thử ${p.attempts} lần mà vẫn lỗi: ${p.detailVi}`,
    en: (p) => `Still failing after ${p.attempts} attempts: ${p.detailEn}`,
  },
  OUTBOX_LEASE_LOST: {
    vi: (p) => `Công việc ${p.job} đã được tiến trình khác nhận xử lý (hết hạn giữ): kết quả của lần chạy này bị bỏ.`,
    en: (p) => `Job ${p.job} was taken over by another worker (its lease expired): this run's result is discarded.`,
  },
  OUTBOX_JOB_FINISHED: {
    vi: (p) => `Công việc ${p.job} đã kết thúc (${p.state}), không thể ${p.actionVi}.`,
    en: (p) => `Job ${p.job} has already ended (${p.state}) and cannot be ${p.actionEn}.`,
  },
  OUTBOX_FILE_CHANGED: {
    vi: (p) => `Tệp của văn bản ${p.document} đã thay đổi kể từ khi xếp hàng ký (phiên bản ${p.expected}, nay là ${p.found}): không ký đè lên bản mới.`,
    en: (p) => `The file of document ${p.document} changed since signing was queued (revision ${p.expected}, now ${p.found}): the newer revision is not signed blindly.`,
  },
  OUTBOX_NO_MAIN_FILE: {
    vi: (p) => `Văn bản ${p.document} chưa có tệp chính để ký.`,
    en: (p) => `Document ${p.document} has no main file to sign.`,
  },
  OUTBOX_CRASHED: {
    vi: (p) => `Công việc làm tiến trình xử lý dừng đột ngột ${p.attempts} lần liền: đã dừng thử lại.`,
    en: (p) => `The job's worker stopped abruptly ${p.attempts} times in a row: no more retries.`,
  },
  OUTBOX_INTERNAL: {
    vi: (p) => `Lỗi không mong đợi khi xử lý công việc: ${p.detail}`,
    en: (p) => `Unexpected error while running the job: ${p.detail}`,
  },
  // Server
  SERVER_UNAUTHENTICATED: {
    vi: () => 'Chưa đăng nhập: hãy gửi mã truy cập (Authorization: Bearer …) lấy từ /v1/auth/token.',
    en: () => 'Not signed in: send the bearer token (Authorization: Bearer …) obtained from /v1/auth/token.',
  },
  SERVER_TOKEN_EXPIRED: {
    vi: () => 'Mã truy cập đã hết hạn: hãy đăng nhập lại bằng USB token.',
    en: () => 'The bearer token has expired: sign in again with the USB token.',
  },
  SERVER_CHALLENGE_INVALID: {
    vi: () => 'Mã thử thách không hợp lệ, đã dùng hoặc đã hết hạn: hãy xin mã mới rồi ký lại.',
    en: () => 'The challenge is unknown, already used or expired: ask for a new one and sign again.',
  },
  SERVER_LOGIN_SIGNATURE_INVALID: {
    vi: () => 'Chữ ký đăng nhập không khớp với chứng thư số đã gửi.',
    en: () => 'The login signature does not verify with the certificate sent.',
  },
  SERVER_CERT_UNTRUSTED: {
    vi: (p) => `Chứng thư số "${p.subject}" không được máy chủ tin cậy: ${p.detailVi}`,
    en: (p) => `Certificate "${p.subject}" is not trusted by the server: ${p.detailEn}`,
  },
  SERVER_CERT_REVOKED: {
    vi: (p) => `Chứng thư số "${p.subject}" đã bị thu hồi.`,
    en: (p) => `Certificate "${p.subject}" has been revoked.`,
  },
  SERVER_CERT_REVOCATION_UNKNOWN: {
    vi: (p) => `Máy chủ không kiểm tra được trạng thái thu hồi của chứng thư số "${p.subject}": thử lại sau.`,
    en: (p) => `The server could not check whether certificate "${p.subject}" is revoked: try again later.`,
  },
  SERVER_CERT_NOT_BOUND: {
    vi: (p) => `Chứng thư số "${p.subject}" chưa được gắn với cơ quan nào trên máy chủ trao đổi.`,
    en: (p) => `Certificate "${p.subject}" is not bound to any agency on the exchange server.`,
  },
  SERVER_NOT_FOUND: {
    vi: (p) => `Không tìm thấy ${p.whatVi}.`,
    en: (p) => `${p.whatEn} was not found.`,
  },
  SERVER_ROUTE_NOT_FOUND: {
    vi: (p) => `Máy chủ không có địa chỉ ${p.method} ${p.url}.`,
    en: (p) => `The server has no route ${p.method} ${p.url}.`,
  },
  SERVER_MALFORMED_JSON: {
    vi: (p) => `Nội dung yêu cầu không phải JSON hợp lệ: ${p.detail}`,
    en: (p) => `The request body is not valid JSON: ${p.detail}`,
  },
  SERVER_BAD_REQUEST: {
    vi: (p) => `Yêu cầu không hợp lệ: ${p.detail}`,
    en: (p) => `Invalid request: ${p.detail}`,
  },
  SERVER_PAYLOAD_TOO_LARGE: {
    vi: () => 'Nội dung yêu cầu quá lớn.',
    en: () => 'The request body is too large.',
  },
  SERVER_UNSUPPORTED_MEDIA_TYPE: {
    vi: (p) => `Kiểu nội dung "${p.type}" không được hỗ trợ ở đây.`,
    en: (p) => `Content type "${p.type}" is not supported here.`,
  },
  SERVER_RATE_LIMITED: {
    vi: (p) => `Quá nhiều yêu cầu: hãy thử lại sau ${p.after}.`,
    en: (p) => `Too many requests: try again in ${p.after}.`,
  },
  SERVER_BLOB_HASH_MISMATCH: {
    vi: (p) => `Tệp tải lên có mã băm ${p.actual}, không phải ${p.expected} như đã khai: tệp không được lưu.`,
    en: (p) => `The uploaded file hashes to ${p.actual}, not ${p.expected} as declared: nothing was stored.`,
  },
  SERVER_UPLOAD_OFFSET_MISMATCH: {
    vi: (p) => `Vị trí tải tiếp (${p.given}) khác vị trí máy chủ đã nhận (${p.offset}): hãy hỏi lại vị trí rồi tải tiếp.`,
    en: (p) => `The upload offset (${p.given}) differs from what the server holds (${p.offset}): ask for the offset and resume from there.`,
  },
  SERVER_UPLOAD_TOO_LONG: {
    vi: (p) => `Dữ liệu tải lên vượt quá độ dài đã khai (${p.length} byte).`,
    en: (p) => `The upload goes past its declared length (${p.length} bytes).`,
  },
  SERVER_RANGE_NOT_SATISFIABLE: {
    vi: (p) => `Khoảng byte "${p.range}" nằm ngoài tệp (${p.size} byte).`,
    en: (p) => `Byte range "${p.range}" lies outside the file (${p.size} bytes).`,
  },
  SERVER_IDEMPOTENCY_KEY_MISSING: {
    vi: () => 'Thiếu tiêu đề Idempotency-Key (mã văn bản UUID) khi gửi văn bản.',
    en: () => 'The Idempotency-Key header (the message UUID) is missing.',
  },
  SERVER_IDEMPOTENCY_CONFLICT: {
    vi: (p) => `Mã văn bản ${p.id} đã được dùng cho một lần gửi có nội dung khác.`,
    en: (p) => `Message id ${p.id} was already used for a submission with different content.`,
  },
  SERVER_SENDER_MISMATCH: {
    vi: (p) => `Cơ quan gửi ${p.sender} khác cơ quan đã đăng nhập (${p.agency}).`,
    en: (p) => `Sender ${p.sender} is not the agency signed in (${p.agency}).`,
  },
  SERVER_UNKNOWN_RECIPIENT: {
    vi: (p) => `Cơ quan nhận ${p.organId} không có trong danh bạ.`,
    en: (p) => `Recipient ${p.organId} is not in the directory.`,
  },
  SERVER_IN_REPLY_TO_INVALID: {
    vi: (p) => `Văn bản gốc ${p.id} không tồn tại hoặc không do cơ quan này gửi, nên không thể ${p.typeVi}.`,
    en: (p) => `Original message ${p.id} does not exist or was not sent by this agency, so it cannot be the target of a ${p.type}.`,
  },
  SERVER_SUBMISSION_INVALID: {
    vi: (p) => `Văn bản không được nhận: ${p.count} lỗi trong tệp đính kèm.`,
    en: (p) => `The submission was refused: ${p.count} problem(s) with its files.`,
  },
  SERVER_FILE_MISSING: {
    vi: (p) => `Máy chủ chưa có tệp ${p.name} (${p.sha256}): hãy tải tệp lên trước.`,
    en: (p) => `The server does not have file ${p.name} (${p.sha256}): upload it first.`,
  },
  SERVER_FILE_NOT_PDF: {
    vi: (p) => `Tệp ${p.name} không phải PDF: chỉ nhận văn bản PDF có chữ ký số.`,
    en: (p) => `File ${p.name} is not a PDF: only digitally signed PDFs are accepted.`,
  },
  SERVER_PDF_NOT_VALID: {
    vi: (p) => `Tệp ${p.name}: chữ ký không hợp lệ hoặc chưa xác định được (${p.verdict}). ${p.summaryVi}`,
    en: (p) => `File ${p.name}: the signatures are not valid or cannot be confirmed (${p.verdict}). ${p.summaryEn}`,
  },
  SERVER_PDF_NOT_COVERED: {
    vi: (p) => `Tệp ${p.name}: có nội dung thêm vào sau chữ ký cuối cùng.`,
    en: (p) => `File ${p.name}: something was added after the last signature.`,
  },
  SERVER_PDF_NOT_SIGNED_BY_SENDER: {
    vi: (p) => `Tệp ${p.name} không có chữ ký số của cơ quan gửi ${p.sender}.`,
    en: (p) => `File ${p.name} carries no signature of the sending agency ${p.sender}.`,
  },
  SERVER_EDXML_ORIGINAL_HELD: {
    vi: (p) => `Văn bản gốc ${p.id} đang chờ kiểm tra lại chữ ký số; gói này sẽ được nhận khi văn bản gốc đã được quyết định.`,
    en: (p) => `The original document ${p.id} is held for a signature re-check; this package is taken once the original is decided.`,
  },
  SERVER_PDF_NOT_SEALED_BY_ORGANIZATION: {
    vi: (p) => `Tệp ${p.name}: chữ ký số cuối cùng không phải chữ ký số hợp lệ của một cơ quan, tổ chức (cơ quan gửi ${p.sender} chỉ được biết qua Trục liên thông).`,
    en: (p) => `File ${p.name}: the last signature is not a valid organization (agency) signature (the sender ${p.sender} is known only through the national axis).`,
  },
  SERVER_STATUS_TRANSITION: {
    vi: (p) => `Không thể chuyển trạng thái văn bản ${p.id} từ "${p.from}" sang "${p.to}".`,
    en: (p) => `Message ${p.id} cannot go from status "${p.from}" to "${p.to}".`,
  },
  SERVER_STATUS_NOT_ALLOWED: {
    vi: (p) => `Cơ quan ${p.agency} không được báo trạng thái "${p.code}" cho văn bản này.`,
    en: (p) => `Agency ${p.agency} may not report status "${p.code}" for this message.`,
  },
  SERVER_ORGAN_ID_INVALID: {
    vi: (p) => `Mã định danh cơ quan "${p.organId}" không dùng được: chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch dưới (ví dụ 000.00.00.H14).`,
    en: (p) => `Agency id "${p.organId}" is not usable: letters, digits, ".", "-" and "_" only (e.g. 000.00.00.H14).`,
  },
  SERVER_AGENCY_EXISTS: {
    vi: (p) => `Cơ quan ${p.organId} đã có trong danh bạ.`,
    en: (p) => `Agency ${p.organId} is already in the directory.`,
  },
  SERVER_AGENCY_IN_USE: {
    vi: (p) => `Không xóa được cơ quan ${p.organId}: ${p.detailVi}.`,
    en: (p) => `Agency ${p.organId} cannot be removed: ${p.detailEn}.`,
  },
  SERVER_CERT_ALREADY_BOUND: {
    vi: (p) => `Chứng thư số "${p.subject}" đã được gắn với cơ quan ${p.organId}.`,
    en: (p) => `Certificate "${p.subject}" is already bound to agency ${p.organId}.`,
  },
  SERVER_DATABASE_URL_INVALID: {
    vi: (p) => `Địa chỉ cơ sở dữ liệu "${p.url}" không hợp lệ: dùng sqlite:ĐƯỜNG_DẪN hoặc postgres://…`,
    en: (p) => `Database address "${p.url}" is invalid: use sqlite:PATH or postgres://…`,
  },
  SERVER_RECEIPT_KEY_INVALID: {
    vi: (p) => `Khóa ký biên nhận "${p.path}" không dùng được (cần khóa riêng Ed25519 hoặc ECDSA dạng PEM): ${p.detail}`,
    en: (p) => `The receipt signing key "${p.path}" cannot be used (an Ed25519 or ECDSA private key in PEM is needed): ${p.detail}`,
  },
  SERVER_AUDIT_BROKEN: {
    vi: (p) => `Nhật ký kiểm toán bị đứt hoặc bị sửa tại mục ${p.seq}: ${p.detail}`,
    en: (p) => `The audit log is broken or altered at entry ${p.seq}: ${p.detail}`,
  },
  SERVER_INTERNAL: {
    vi: () => 'Lỗi máy chủ không mong đợi; yêu cầu không được thực hiện. Hãy thử lại.',
    en: () => 'Unexpected server error; the request was not carried out. Try again.',
  },
  SERVER_RECIPIENT_NOT_ORIGINAL: {
    vi: (p) => `Cơ quan ${p.organId} không nhận văn bản gốc ${p.id}, nên không thể gửi cho cơ quan đó văn bản ${p.typeVi}.`,
    en: (p) => `Agency ${p.organId} did not receive the original message ${p.id}, so it cannot be sent its ${p.type}.`,
  },
  SERVER_AXIS_UNREACHABLE: {
    vi: (p) => `Không liên lạc được với Trục liên thông văn bản quốc gia (${p.operation}): ${p.detail}. Sẽ thử lại sau.`,
    en: (p) => `The national document exchange axis could not be reached (${p.operation}): ${p.detail}. It will be tried again.`,
  },
  SERVER_AXIS_REFUSED: {
    vi: (p) => `Trục liên thông văn bản quốc gia từ chối yêu cầu ${p.operation}: ${p.detail}`,
    en: (p) => `The national document exchange axis refused ${p.operation}: ${p.detail}`,
  },
  SERVER_SHUTTING_DOWN: {
    vi: () => 'Máy chủ đang dừng để bảo trì; yêu cầu chưa được thực hiện. Hãy thử lại sau giây lát.',
    en: () => 'The server is shutting down; the request was not carried out. Try again in a moment.',
  },
  // edXML (QCVN 102:2016)
  EDXML_MALFORMED: {
    vi: (p) => `Gói edXML không đúng cú pháp XML (dòng ${p.line}): ${p.detail}`,
    en: (p) => `The edXML package is not well-formed XML (line ${p.line}): ${p.detail}`,
  },
  EDXML_DTD_FORBIDDEN: {
    vi: () => 'Gói edXML chứa khai báo DOCTYPE/ENTITY: không được phép (nguy cơ tấn công thực thể ngoài XXE); gói bị từ chối.',
    en: () => 'The edXML package contains a DOCTYPE/ENTITY declaration, which is not allowed (external entity attacks); the package is refused.',
  },
  EDXML_TOO_LARGE: {
    vi: (p) => `Gói edXML quá lớn (${p.size}; tối đa ${p.limit}).`,
    en: (p) => `The edXML package is too large (${p.size}; at most ${p.limit}).`,
  },
  EDXML_NOT_EDXML: {
    vi: (p) => `Tệp không phải gói edXML theo QCVN 102:2016: ${p.detail}`,
    en: (p) => `The file is not a QCVN 102:2016 edXML package: ${p.detail}`,
  },
  EDXML_FIELD_INVALID: {
    vi: (p) => `Trường ${p.field} của gói edXML không hợp lệ: ${p.detail}`,
    en: (p) => `Field ${p.field} of the edXML package is invalid: ${p.detail}`,
  },
  EDXML_ATTACHMENT_INVALID: {
    vi: (p) => `Tệp đính kèm "${p.name}" của gói edXML không hợp lệ: ${p.detail}`,
    en: (p) => `Attachment "${p.name}" of the edXML package is invalid: ${p.detail}`,
  },
  // Drafting
  DRAFT_GLYPH_MISSING: {
    vi: (p) => `Phông chữ Liberation Serif không có các ký tự: ${p.chars}. Hãy thay bằng ký tự tiếng Việt chuẩn (Unicode dựng sẵn).`,
    en: (p) => `The Liberation Serif font has no glyph for: ${p.chars}. Replace them with standard (precomposed Unicode) characters.`,
  },
  DRAFT_BLOCK_TOO_TALL: {
    vi: (p) => `Một khối nội dung (hàng bảng hoặc phần ký) cao ${p.height} pt, vượt quá chiều cao trang (${p.room} pt): hãy chia nhỏ.`,
    en: (p) => `A block (a table row or the signer block) is ${p.height} pt tall, more than a page holds (${p.room} pt): split it.`,
  },
  DRAFT_VERSION_CONFLICT: {
    vi: (p) => `Dự thảo ${p.id} đã được sửa thành phiên bản ${p.current} trong khi bạn sửa phiên bản ${p.expected}: hãy mở lại bản mới nhất.`,
    en: (p) => `Draft ${p.id} was changed to version ${p.current} while you were editing version ${p.expected}: reopen the latest version.`,
  },
  DRAFT_IMPORT_NOT_PDF: {
    vi: (p) => `Tệp "${p.name}" không phải là PDF dùng được làm tệp chính: ${p.detail}`,
    en: (p) => `File "${p.name}" is not a PDF that can be the main file: ${p.detail}`,
  },
  DRAFT_DOCX_CONVERTER_MISSING: {
    vi: () => 'Chưa cài LibreOffice nên không chuyển được tệp .docx sang PDF. Hãy cài LibreOffice (lệnh soffice) hoặc xuất tệp sang PDF từ Word rồi nhập tệp PDF.',
    en: () => 'LibreOffice is not installed, so the .docx file cannot be converted to PDF. Install LibreOffice (the soffice command) or export the file to PDF from Word and import the PDF.',
  },
  DRAFT_DOCX_CONVERSION_FAILED: {
    vi: (p) => `LibreOffice không chuyển được tệp "${p.name}" sang PDF: ${p.detail}`,
    en: (p) => `LibreOffice could not convert "${p.name}" to PDF: ${p.detail}`,
  },
  // Exchange client
  EXCHANGE_UNREACHABLE: {
    vi: (p) => `Không kết nối được máy chủ trao đổi ${p.url}: ${p.detail}. Văn bản vẫn nằm trong hàng đợi và sẽ được gửi lại.`,
    en: (p) => `Cannot reach the exchange server ${p.url}: ${p.detail}. The document stays queued and will be retried.`,
  },
  EXCHANGE_OFFLINE: {
    vi: (p) => `Máy chủ trao đổi ${p.url} đang không truy cập được (đã lỗi liên tiếp); sẽ thử lại sau ${p.retryInSeconds} giây. Văn bản vẫn nằm trong hàng đợi.`,
    en: (p) => `The exchange server ${p.url} is offline (repeated failures); the next try is in ${p.retryInSeconds} s. The document stays queued.`,
  },
  EXCHANGE_NOT_SENT: {
    vi: (p) => `Văn bản ${p.id} chưa được gửi qua máy chủ trao đổi nên không thể thu hồi.`,
    en: (p) => `Document ${p.id} has not been sent through the exchange server, so it cannot be recalled.`,
  },
  EXCHANGE_PENDING_CHECK: {
    vi: (p) => `Máy chủ trao đổi đã nhận văn bản (mã ${p.messageId}) nhưng đang chờ kiểm tra chữ ký vì chưa tra được tình trạng thu hồi chứng thư số; hỏi lại sau ${p.retryInSeconds} giây: gửi lại đúng văn bản đó sẽ nhận được biên nhận khi máy chủ kiểm tra xong, hoặc lý do từ chối.`,
    en: (p) => `The exchange server holds message ${p.messageId} pending a signature check (a certificate's revocation status could not be checked yet); ask again in ${p.retryInSeconds} s: sending the same document again gets the receipt once the server has checked it, or the refusal.`,
  },
  EXCHANGE_ALREADY_SENT: {
    vi: (p) => `Văn bản ${p.id} với đúng các tệp này đã được gửi tới đúng các nơi nhận này (mã thông điệp ${p.messageId}). Muốn gửi lại lần nữa thì xác nhận gửi lại.`,
    en: (p) => `Document ${p.id} with these very files was already sent to these recipients (message ${p.messageId}). To send it once more, confirm a new sending.`,
  },
  EXCHANGE_RECALL_BEFORE_ORIGINAL: {
    vi: (p) => `Yêu cầu thu hồi ${p.messageId} đến trước văn bản gốc ${p.original}; để lại cho lần nhận sau.`,
    en: (p) => `Recall ${p.messageId} arrived before its original ${p.original}; left for the next pull.`,
  },
  EXCHANGE_REFUSED: {
    vi: (p) => `Máy chủ trao đổi từ chối (${p.status} ${p.code}): ${p.messageVi}`,
    en: (p) => `The exchange server refused (${p.status} ${p.code}): ${p.messageEn}`,
  },
  EXCHANGE_NEEDS_LOGIN: {
    vi: () => 'Cần đăng nhập bằng thiết bị ký số (nhập mã PIN) để kết nối máy chủ trao đổi; công việc đang chờ.',
    en: () => 'Sign in with the token (enter the PIN) to connect to the exchange server; the work is waiting.',
  },
  EXCHANGE_RECEIPT_INVALID: {
    vi: (p) => `Biên nhận của máy chủ cho văn bản ${p.messageId} không hợp lệ: ${p.detail}`,
    en: (p) => `The server's receipt for message ${p.messageId} is not valid: ${p.detail}`,
  },
  EXCHANGE_DOWNLOAD_MISMATCH: {
    vi: (p) => `Tệp tải về không khớp mã băm ${p.sha256}; không lưu.`,
    en: (p) => `The downloaded file does not match its hash ${p.sha256}; not stored.`,
  },
  EXCHANGE_INCOMING_INVALID: {
    vi: (p) => `Văn bản đến ${p.messageId} (tệp "${p.name}") có chữ ký không hợp lệ (${p.verdict}); không nhận vào sổ.`,
    en: (p) => `Incoming message ${p.messageId} (file "${p.name}") has an invalid signature (${p.verdict}); not registered.`,
  },
  // Documents (registers and compose)
  DOCUMENT_FILE_NOT_PDF: {
    vi: (p) => `Tệp "${p.name}" không phải là tệp PDF; chỉ nhận tệp PDF.`,
    en: (p) => `File "${p.name}" is not a PDF file; only PDF files are accepted.`,
  },
  DOCUMENT_FILE_TOO_LARGE: {
    vi: (p) => `Tệp "${p.name}" quá lớn (${p.size} byte); tối đa ${p.max} byte.`,
    en: (p) => `File "${p.name}" is too large (${p.size} bytes); the limit is ${p.max} bytes.`,
  },
  DOCUMENT_FILE_EMPTY: {
    vi: (p) => `Tệp "${p.name}" rỗng.`,
    en: (p) => `File "${p.name}" is empty.`,
  },
  DOCUMENT_MAIN_FILE_COUNT: {
    vi: (p) => `Văn bản phải có đúng một tệp chính (PDF); đã gửi ${p.count}.`,
    en: (p) => `A document needs exactly one main file (PDF); ${p.count} were given.`,
  },
  DOCUMENT_NOT_EDITABLE: {
    vi: (p) => `Văn bản ${p.id} không còn là dự thảo (${p.state}): không sửa được nữa.`,
    en: (p) => `Document ${p.id} is no longer a draft (${p.state}): it cannot be edited.`,
  },
  // The document page (signing feature): signing, issuing and sending from the app.
  SIGNING_NO_STORE: {
    vi: () => 'Kho văn bản chưa mở: không ký, cấp số hay gửi được lúc này.',
    en: () => 'The document store is not open: signing, issuing and sending are unavailable.',
  },
  SIGNING_NOT_SIGNED_BY_LEADER: {
    vi: (p) => `Văn bản ${p.id} chưa được người có thẩm quyền ký (đang ở trạng thái "${p.state}"): văn thư chỉ cấp số và đóng dấu văn bản đã được lãnh đạo ký.`,
    en: (p) => `Document ${p.id} has not been signed by the competent person (it is "${p.state}"): the clerk numbers and seals only documents the leader signed.`,
  },
  SIGNING_IMAGE_MISSING: {
    vi: (p) => (p.what === 'seal' ? 'Chưa chọn ảnh con dấu (PNG) trong Cài đặt.' : 'Chưa chọn ảnh chữ ký (PNG) trong Cài đặt.'),
    en: (p) => (p.what === 'seal' ? 'No seal image (PNG) is chosen in Settings.' : 'No signature image (PNG) is chosen in Settings.'),
  },
  SIGNING_IMAGE_FILE_MISSING: {
    vi: (p) => `Không đọc được tệp ảnh chữ ký đã chọn (${p.path}): tệp đã bị xóa hoặc chuyển đi. Hãy chọn lại ảnh, hoặc ký với dấu chỉ có chữ.`,
    en: (p) => `The chosen signature image file (${p.path}) cannot be read: it was deleted or moved. Choose the image again, or sign with the text-only stamp.`,
  },
  SIGNING_TSA_NOT_SET: {
    vi: (p) => `Mức ký ${p.level} cần dịch vụ cấp dấu thời gian (TSA): hãy nhập địa chỉ TSA trong Cài đặt, hoặc ký mức B-B.`,
    en: (p) => `Level ${p.level} needs a timestamp service (TSA): enter its address in Settings, or sign at B-B.`,
  },
  SIGNING_FAILED: {
    vi: (p) => `Không ký được văn bản: ${p.detailVi}`,
    en: (p) => `The document could not be signed: ${p.detailEn}`,
  },
  SIGNING_FILE_TOO_LARGE: {
    vi: (p) => `Tệp quá lớn để hiển thị (${p.size} byte, tối đa ${p.max} byte).`,
    en: (p) => `The file is too large to show (${p.size} bytes, at most ${p.max}).`,
  },
  ATTENTION_NOTHING_TO_DO: {
    vi: () => 'Văn bản này không còn việc nào chờ xử lý (có thể đã được gửi, đã hủy hoặc đã được xử lý ở chỗ khác). Hãy xem lại trạng thái của văn bản.',
    en: () => 'Nothing about this document is waiting any more (it may have been sent, cancelled or handled elsewhere). Look at its state again.',
  },
  ATTENTION_SENDING_NOW: {
    vi: () => 'Văn bản đang được gửi đi ngay lúc này nên chưa thể hủy hay sửa. Chờ vài giây cho có kết quả rồi thử lại.',
    en: () => 'The document is on the wire right now, so it cannot be cancelled or changed yet. Wait a few seconds for the outcome, then try again.',
  },
  SIGNING_NO_RECIPIENTS: {
    vi: (p) => `Văn bản ${p.id} chưa có nơi nhận: hãy chọn cơ quan nhận trước khi gửi.`,
    en: (p) => `Document ${p.id} has no recipients: choose the receiving agencies before sending.`,
  },
  DEMO_TOOLS_MISSING: {
    vi: (p) => `Không dùng thử được trên máy này: thiếu công cụ ${p.tools}. Hãy cài các gói softhsm2, opensc và openssl rồi mở lại ứng dụng.`,
    en: (p) => `The demo cannot run on this machine: ${p.tools} missing. On Linux run "npm run setup" (installs softhsm2, opensc, openssl) and open the app again.`,
  },
  DEMO_FAILED: {
    vi: (p) => `Không khởi động được bản dùng thử: ${p.detail}`,
    en: (p) => `The demo could not start: ${p.detail}`,
  },
} satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof errorCatalogue;

/** Said in Vietnamese in place of a technical detail that only exists in English; the English message and the log keep it. */
export const TECHNICAL_DETAIL_VI = 'chi tiết kỹ thuật đã được ghi vào nhật ký';

/**
 * The detail as each language's message shows it. A detail comes from a library or the core, often in English:
 * "vi / en" (or "en / vi") gives each side its half; detailVi/detailEn are taken as they are; a detail with English words is
 * never put into the Vietnamese message (it stays in messageEn, which the log keeps).
 */
function detailIn(params: Params, language: 'vi' | 'en'): Params {
  const detail = params.detail;
  if (typeof detail !== 'string') return params;
  const halves = detail.split(' / ');
  // Either order: "vi / en" or "en / vi" (the Vietnamese half is the one without English words).
  const pair =
    halves.length !== 2 ? undefined : !hasEnglish(halves[0]!) ? { vi: halves[0]!, en: halves[1]! } : !hasEnglish(halves[1]!) ? { vi: halves[1]!, en: halves[0]! } : undefined;
  if (language === 'en') return { ...params, detail: typeof params.detailEn === 'string' ? params.detailEn : (pair?.en ?? detail) };
  if (typeof params.detailVi === 'string') return { ...params, detail: params.detailVi };
  if (pair) return { ...params, detail: pair.vi };
  return hasEnglish(detail) ? { ...params, detail: TECHNICAL_DETAIL_VI } : params;
}

/** A failure the user must understand: a stable code, and the message in both languages. */
export class VanthuError extends Error {
  readonly code: ErrorCode;
  readonly messageVi: string;
  readonly messageEn: string;
  readonly params: Params;

  constructor(code: ErrorCode, params: Params = {}, options?: { cause?: unknown }) {
    const entry: CatalogueEntry = errorCatalogue[code];
    const en = entry.en(detailIn(params, 'en'));
    super(en, options);
    this.name = 'VanthuError';
    this.code = code;
    this.messageEn = en;
    this.messageVi = entry.vi(detailIn(params, 'vi'));
    this.params = params;
  }

  /** Both languages, Vietnamese first, for logs and the CLI. */
  get bilingual(): string {
    return `${this.messageVi}\n${this.messageEn}`;
  }

  toJSON(): { code: ErrorCode; messageVi: string; messageEn: string; params: Params } {
    return { code: this.code, messageVi: this.messageVi, messageEn: this.messageEn, params: this.params };
  }
}

export const isVanthuError = (error: unknown, code?: ErrorCode): error is VanthuError =>
  error instanceof VanthuError && (code === undefined || error.code === code);
