// The Vietnamese and English names of request fields, so a refused IPC request names the field a person sees, never a code path like "metadata.subject".

interface FieldLabel {
  vi: string;
  en: string;
}

/** The fields a person fills on some screen, by their name in the IPC contract (the last name on the path wins). */
const LABELS: Record<string, FieldLabel> = {
  subject: { vi: 'Trích yếu', en: 'Subject' },
  codeNotation: { vi: 'Ký hiệu', en: 'Notation' },
  codeNumber: { vi: 'Số', en: 'Number' },
  typeName: { vi: 'Loại văn bản', en: 'Document type' },
  issuedDate: { vi: 'Ngày ban hành', en: 'Issue date' },
  issuedPlace: { vi: 'Địa danh', en: 'Place' },
  organName: { vi: 'Tên cơ quan', en: 'Agency name' },
  organId: { vi: 'Mã định danh cơ quan', en: 'Agency id' },
  organization: { vi: 'Cơ quan', en: 'Agency' },
  recipients: { vi: 'Nơi nhận', en: 'Recipients' },
  signerFullName: { vi: 'Họ và tên người ký', en: 'Signer’s name' },
  signerPosition: { vi: 'Chức vụ người ký', en: 'Signer’s position' },
  signerName: { vi: 'Người ký', en: 'Signer' },
  priority: { vi: 'Độ khẩn', en: 'Urgency' },
  secrecy: { vi: 'Độ mật', en: 'Secrecy' },
  body: { vi: 'Nội dung văn bản', en: 'Body' },
  reason: { vi: 'Lý do', en: 'Reason' },
  deadline: { vi: 'Hạn xử lý', en: 'Deadline' },
  handler: { vi: 'Đơn vị hoặc người chủ trì xử lý', en: 'Unit or person in charge' },
  leader: { vi: 'Lãnh đạo', en: 'Leader' },
  note: { vi: 'Ghi chú', en: 'Note' },
  result: { vi: 'Kết quả xử lý', en: 'Result' },
  pin: { vi: 'Mã PIN', en: 'PIN' },
  serverUrl: { vi: 'Địa chỉ máy chủ trao đổi', en: 'Exchange server address' },
  tsaUrl: { vi: 'Địa chỉ máy chủ dấu thời gian', en: 'Timestamp server address' },
  fileName: { vi: 'Tên tệp', en: 'File name' },
  files: { vi: 'Tệp văn bản', en: 'Files' },
  query: { vi: 'Từ khóa tìm kiếm', en: 'Search words' },
  year: { vi: 'Năm', en: 'Year' },
  from: { vi: 'Từ ngày', en: 'From' },
  to: { vi: 'Đến ngày', en: 'To' },
  language: { vi: 'Ngôn ngữ', en: 'Language' },
};

const UNKNOWN_FIELD: FieldLabel = { vi: 'một mục thông tin', en: 'a field' };

/** The field a zod issue path points at, in both languages; the path itself goes to the English message only for a field we do not name. */
export function fieldLabel(path: readonly PropertyKey[]): FieldLabel & { known: boolean } {
  for (let i = path.length - 1; i >= 0; i--) {
    const key = path[i];
    if (typeof key === 'string' && Object.hasOwn(LABELS, key)) return { ...LABELS[key]!, known: true };
  }
  return { ...UNKNOWN_FIELD, known: false };
}
