// Error codes with Vietnamese and English messages: one catalogue for core, CLI, server and UI.

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
    vi: (p) => `Dấu thời gian từ ${p.url} không trả lời đúng yêu cầu đã gửi (nonce không khớp).`,
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
} satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof errorCatalogue;

/** A failure the user must understand: a stable code, and the message in both languages. */
export class VanthuError extends Error {
  readonly code: ErrorCode;
  readonly messageVi: string;
  readonly messageEn: string;
  readonly params: Params;

  constructor(code: ErrorCode, params: Params = {}, options?: { cause?: unknown }) {
    const entry: CatalogueEntry = errorCatalogue[code];
    const en = entry.en(params);
    super(en, options);
    this.name = 'VanthuError';
    this.code = code;
    this.messageEn = en;
    this.messageVi = entry.vi(params);
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
