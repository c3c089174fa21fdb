// The VGCA Sign Service protocol as e-office pages use it (DOMAIN.md): operations, request fields, the answer shape, failures.

export const OPERATIONS = [
  'SignApproved',
  'SignIssued',
  'SignIncome',
  'Comment',
  'SignAppendix',
  'SignCopy',
  'SignFile',
  'SignFiles',
  'SignXML',
  'VerifyXML',
  'SignMsg',
  'VerifyMsg',
  'VerifyPDF',
  'GetCertInfo',
  'GetVersion',
  'Config',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Operations that put a PAdES signature on a downloaded PDF and upload it. */
export const PDF_SIGNING_OPERATIONS = ['SignApproved', 'SignIssued', 'SignIncome', 'Comment', 'SignAppendix', 'SignCopy', 'SignFile'] as const satisfies readonly Operation[];
export type PdfSigningOperation = (typeof PDF_SIGNING_OPERATIONS)[number];

export const isOperation = (name: string): name is Operation => (OPERATIONS as readonly string[]).includes(name);
export const isPdfSigningOperation = (name: Operation): name is PdfSigningOperation => (PDF_SIGNING_OPERATIONS as readonly string[]).includes(name);

export interface MetaDataEntry {
  Key: string;
  Value: string;
}

export interface BatchFile {
  FileID?: string | number;
  FileName?: string;
  URL?: string;
}

/** What a page sends on the socket (every field optional: pages differ). */
export interface ServiceRequest {
  /** The URL the PDF is downloaded from. */
  FileName?: string;
  /** The URL the signed PDF is POSTed to as multipart `uploadfile`. */
  FileUploadHandler?: string;
  SessionId?: string;
  JWTToken?: string;
  DocNumber?: string;
  IssuedDate?: string;
  MetaData?: MetaDataEntry[];
  Files?: BatchFile[];
  /** SignMsg/VerifyMsg: the text signed (a page-chosen field name; several are accepted). */
  Message?: string;
  Content?: string;
  /** VerifyMsg: the base64 CMS signature to check; SignXML/VerifyXML: the XML. */
  Signature?: string;
  XmlContent?: string;
  /** Comment: the comment text. */
  Comment?: string;
}

/** The answer the page reads: Status 0 is success, anything else a failure whose Message it shows. */
export interface ServiceAnswer {
  Status: number;
  Message: string;
  /** Stable code of a failure (not read by vendor scripts; for logs and our pages). */
  ErrorCode?: string;
  FileServer?: string;
  FileName?: string;
  DocumentNumber?: string;
  DocumentDate?: string;
  CustomSignatureText?: string;
  Signature?: string;
  /** The signed file kept on this machine (when the upload failed, the page can tell the user where). */
  KeptFile?: string;
  [extra: string]: unknown;
}

export const STATUS = {
  OK: 0,
  CANCELLED: 1,
  ORIGIN_REFUSED: 2,
  URL_REFUSED: 3,
  DOWNLOAD_FAILED: 4,
  SIGNING_FAILED: 5,
  UPLOAD_FAILED: 6,
  BAD_REQUEST: 7,
  UNSUPPORTED: 8,
  NOT_VALID: 9,
  BUSY: 10,
} as const;

/** A request that ends in a non-zero Status, with the Vietnamese message the page shows. */
export class ServiceFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageVi: string,
    messageEn: string,
    readonly extra: Partial<ServiceAnswer> = {},
  ) {
    super(messageEn);
  }
}

export const failureAnswer = (failure: ServiceFailure): ServiceAnswer => ({ ...failure.extra, Status: failure.status, Message: failure.messageVi, ErrorCode: failure.code });

export const cancelled = (): ServiceFailure => new ServiceFailure(STATUS.CANCELLED, 'CANCELLED', 'Người dùng đã hủy ký số.', 'The user cancelled the signing.');

/**
 * The body of a request: a JSON object, or for GetCertInfo/Config a bare word ("get_cert_info",
 * "config") that carries nothing.
 */
export function parseRequest(body: string): ServiceRequest {
  const text = body.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ServiceFailure(STATUS.BAD_REQUEST, 'BAD_REQUEST', 'Yêu cầu ký số không đúng định dạng JSON.', 'The request is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ServiceFailure(STATUS.BAD_REQUEST, 'BAD_REQUEST', 'Yêu cầu ký số phải là một đối tượng JSON.', 'The request must be a JSON object.');
  }
  const request = parsed as Record<string, unknown>;
  for (const [key, value] of Object.entries(request)) {
    if (['MetaData', 'Files'].includes(key)) {
      if (value !== undefined && value !== null && !Array.isArray(value)) throw new ServiceFailure(STATUS.BAD_REQUEST, 'BAD_REQUEST', `Trường ${key} phải là một danh sách.`, `${key} must be an array.`);
    } else if (value !== null && typeof value === 'object') {
      throw new ServiceFailure(STATUS.BAD_REQUEST, 'BAD_REQUEST', `Trường ${key} không đúng kiểu.`, `${key} has the wrong type.`);
    }
  }
  return request as ServiceRequest;
}

/** A MetaData value by key (case-insensitive, as pages spell keys differently). */
export const metaValue = (request: ServiceRequest, key: string): string | undefined =>
  request.MetaData?.find((entry) => typeof entry?.Key === 'string' && entry.Key.toLowerCase() === key.toLowerCase())?.Value;

/** What each flow is called when the user is asked to confirm it. */
export const FLOW_NAMES_VI: Record<Operation, string> = {
  SignApproved: 'Ký duyệt (chữ ký của lãnh đạo)',
  SignIssued: 'Đóng dấu phát hành (số và ngày văn bản)',
  SignIncome: 'Ký tiếp nhận văn bản đến',
  Comment: 'Ký ý kiến',
  SignAppendix: 'Ký phụ lục, văn bản kèm theo',
  SignCopy: 'Ký bản sao điện tử',
  SignFile: 'Ký tệp',
  SignFiles: 'Ký nhiều tệp',
  SignXML: 'Ký dữ liệu XML',
  VerifyXML: 'Kiểm tra chữ ký XML',
  SignMsg: 'Ký thông điệp',
  VerifyMsg: 'Kiểm tra chữ ký thông điệp',
  VerifyPDF: 'Kiểm tra chữ ký tệp PDF',
  GetCertInfo: 'Xem thông tin chứng thư số',
  GetVersion: 'Xem phiên bản',
  Config: 'Mở cài đặt',
};
