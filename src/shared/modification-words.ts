// What changed in a PDF after a signature, as stable codes with parameters, worded in Vietnamese (no English words) and English.

export type ModificationParams = Record<string, string | number | undefined>;

/** Vietnamese names of the PDF object types a change can touch; unknown types are just "đối tượng". */
const TYPE_VI: Record<string, string> = {
  Page: 'trang',
  Pages: 'cây trang',
  Annot: 'chú thích',
  Font: 'phông chữ',
  XObject: 'đối tượng đồ họa',
  Catalog: 'danh mục tài liệu',
  DSS: 'dữ liệu xác thực',
  VRI: 'dữ liệu xác thực',
  Metadata: 'siêu dữ liệu',
  Sig: 'chữ ký',
  ExtGState: 'trạng thái đồ họa',
};

const objectVi = (p: ModificationParams): string => {
  const kind = p.type ? TYPE_VI[String(p.type)] : undefined;
  return `đối tượng số ${p.object}${kind ? ` (${kind})` : ''}`;
};
const objectEn = (p: ModificationParams): string => `object ${p.object} ${p.generation ?? 0} R${p.type ? ` (${p.type})` : ''}`;
const pageVi = (p: ModificationParams): string => (p.page ? `trang ${p.page}` : `một trang (đối tượng số ${p.object})`);
const subject = (p: ModificationParams): string => (p.page ? `page ${p.page}, ` : '');

const catalogue = {
  // Allowed: what signing, timestamping and long-term validation data add.
  ANNOTATION_SIGNATURE_ADDED: { vi: () => 'thêm ô chữ ký trên trang', en: () => 'annotations: signature added' },
  FIELD_SIGNATURE_ADDED: { vi: () => 'thêm trường chữ ký', en: () => 'form fields: signature added' },
  EMPTY_SIGNATURE_FIELD_SIGNED: { vi: () => 'ký vào trường chữ ký để trống', en: () => 'empty signature field signed' },
  DSS_ADDED: { vi: () => 'thêm dữ liệu xác thực dài hạn', en: () => 'validation data (DSS) added' },
  DSS_UPDATED: { vi: () => 'cập nhật dữ liệu xác thực dài hạn', en: () => 'validation data (DSS) updated' },
  INFO_UPDATED: { vi: () => 'cập nhật thông tin mô tả tài liệu', en: () => 'document information (Info) updated' },
  XMP_UPDATED: { vi: () => 'cập nhật siêu dữ liệu tài liệu', en: () => 'XMP metadata updated' },
  FORM_SETTINGS_UPDATED: { vi: () => 'cập nhật thiết lập biểu mẫu cho chữ ký', en: () => 'form settings (AcroForm) updated for signing' },
  PERMISSIONS_UPDATED: { vi: () => 'cập nhật quyền hạn chữ ký', en: () => 'signature permissions (Perms) updated' },
  TOOL_PRIVATE_KEY: {
    vi: (p: ModificationParams) => `phần mềm ${p.tool} ghi dữ liệu riêng vào ${objectVi(p)}`,
    en: (p: ModificationParams) => `private key /${p.key} of ${p.tool} written into ${objectEn(p)}`,
  },
  SAME_CONTENT_REWRITTEN: {
    vi: (p: ModificationParams) => `ghi lại ${p.count} đối tượng với nội dung không đổi`,
    en: (p: ModificationParams) => `${p.count} object(s) rewritten with the same content`,
  },
  // Not allowed.
  PAGE_CONTENT_CHANGED: {
    vi: (p: ModificationParams) => `nội dung ${pageVi(p)} bị thay đổi`,
    en: (p: ModificationParams) => `${subject(p)}page ${objectEn(p)}: ${p.keys} changed`,
  },
  PAGES_CHANGED: { vi: () => 'trang bị thêm, bớt hoặc đổi thứ tự', en: () => 'pages added, removed or reordered' },
  ANNOTATION_ADDED: {
    vi: (p: ModificationParams) => `thêm chú thích không phải chữ ký vào ${pageVi(p)}`,
    en: (p: ModificationParams) => `${subject(p)}${p.label}: annotations other than signatures added${p.subtype ? ` (${p.subtype})` : ''}`,
  },
  ANNOTATIONS_REMOVED: {
    vi: (p: ModificationParams) => `chú thích trên ${pageVi(p)} bị xóa hoặc đổi thứ tự`,
    en: (p: ModificationParams) => `${subject(p)}${p.label}: annotations removed or reordered`,
  },
  FORM_FIELD_ADDED: { vi: () => 'thêm trường biểu mẫu không phải chữ ký', en: (p: ModificationParams) => `${p.label}: form fields other than signatures added` },
  FORM_FIELDS_REMOVED: { vi: () => 'trường biểu mẫu bị xóa hoặc đổi thứ tự', en: (p: ModificationParams) => `${p.label}: form fields removed or reordered` },
  FORM_FIELD_CHANGED: {
    vi: (p: ModificationParams) => `giá trị hoặc hình hiển thị của trường biểu mẫu${p.field ? ` "${p.field}"` : ''} bị thay đổi (đối tượng số ${p.object})`,
    en: (p: ModificationParams) => `${objectEn(p)}: ${p.keys} changed${p.field ? ` (field "${p.field}")` : ''}`,
  },
  FORM_CHANGED: { vi: () => 'thiết lập biểu mẫu bị thay đổi', en: (p: ModificationParams) => `form (AcroForm) entries ${p.keys} changed` },
  FORM_REMOVED: { vi: () => 'biểu mẫu bị xóa', en: () => 'form (AcroForm) removed' },
  CATALOG_CHANGED: { vi: () => 'danh mục tài liệu bị thay đổi', en: (p: ModificationParams) => `catalog entries ${p.keys} changed` },
  CATALOG_REPLACED: {
    vi: () => 'danh mục tài liệu bị thay bằng một danh mục khác',
    en: (p: ModificationParams) => `the document catalog was replaced (trailer /Root ${p.before} R → ${p.after} R)`,
  },
  OBJECT_CHANGED: {
    vi: (p: ModificationParams) => `${objectVi(p)} bị thay đổi`,
    en: (p: ModificationParams) => `${objectEn(p)}${p.keys ? `: ${p.keys}` : ''} changed`,
  },
  OBJECT_DELETED: {
    vi: (p: ModificationParams) => `đối tượng số ${p.object} bị xóa bởi một bảng tham chiếu chéo mới`,
    en: (p: ModificationParams) => `object ${p.object}: deleted by a later cross-reference section`,
  },
  OBJECT_GENERATION_CHANGED: {
    vi: (p: ModificationParams) => `đối tượng số ${p.object} bị định nghĩa lại với số thế hệ ${p.generation} thay cho ${p.before}`,
    en: (p: ModificationParams) => `object ${p.object}: redefined under generation ${p.generation} instead of ${p.before} by a later cross-reference section`,
  },
  OBJECT_REPLACED_BY_XREF: {
    vi: (p: ModificationParams) => `bảng tham chiếu chéo mới trỏ đối tượng số ${p.object} tới dữ liệu không phải đối tượng đó`,
    en: (p: ModificationParams) => `object ${p.object}: a later cross-reference section points it at other bytes, which are not that object (${p.found})`,
  },
  OBJECT_REDIRECTED_IN_SIGNED_BYTES: {
    vi: (p: ModificationParams) => `đối tượng số ${p.object} được định nghĩa hai lần trong phần đã ký, và bảng tham chiếu chéo mới chọn định nghĩa khác`,
    en: (p: ModificationParams) =>
      `object ${p.object}: defined twice in the signed revision, and a later cross-reference section points it at other bytes than when signed`,
  },
  MISSING_OBJECT_DEFINED: {
    vi: (p: ModificationParams) => `đối tượng số ${p.object} đã được tham chiếu nhưng chưa có khi ký, và được thêm vào sau khi ký`,
    en: (p: ModificationParams) => `object ${p.object}: referenced but missing when signed, and defined by a later update`,
  },
  REVISION_UNREADABLE: {
    vi: () => 'không đọc được phiên bản tài liệu đã ký',
    en: (p: ModificationParams) => `the signed revision cannot be read: ${p.detail}`,
  },
} satisfies Record<string, { vi: (p: ModificationParams) => string; en: (p: ModificationParams) => string }>;

export type ModificationCode = keyof typeof catalogue;

export interface Modification {
  code: ModificationCode;
  params: ModificationParams;
  /** Whether the change is one signing, timestamping or adding validation data makes. */
  allowed: boolean;
  messageVi: string;
  messageEn: string;
}

export function modification(code: ModificationCode, allowed: boolean, params: ModificationParams = {}): Modification {
  const entry: { vi: (p: ModificationParams) => string; en: (p: ModificationParams) => string } = catalogue[code];
  return { code, params, allowed, messageVi: entry.vi(params), messageEn: entry.en(params) };
}
