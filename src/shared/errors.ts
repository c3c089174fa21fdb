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
