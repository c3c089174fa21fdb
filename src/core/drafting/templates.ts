// The document types a draft can use and their title rules (Decree 30 Appendix I, ô 5a/5b).
import type { Draft, DraftType } from '../../shared/draft.js';

export interface Template {
  type: DraftType;
  /** Printed type name (tên loại văn bản), bold capitals; none for công văn. */
  typeName: string | null;
  /**
   * 'vv': the trích yếu goes after "V/v" under the number, in the left header column (công văn);
   * 'centred': type name, then trích yếu, centred under the header with a short rule.
   */
  title: 'vv' | 'centred';
  /** Abbreviation for the ký hiệu (e.g. QĐ-UBND), as a hint for new drafts. */
  notationPrefix: string;
  nameVi: string;
}

export const templates: Readonly<Record<DraftType, Template>> = {
  'cong-van': { type: 'cong-van', typeName: null, title: 'vv', notationPrefix: '', nameVi: 'Công văn' },
  'quyet-dinh': { type: 'quyet-dinh', typeName: 'QUYẾT ĐỊNH', title: 'centred', notationPrefix: 'QĐ', nameVi: 'Quyết định' },
  'to-trinh': { type: 'to-trinh', typeName: 'TỜ TRÌNH', title: 'centred', notationPrefix: 'TTr', nameVi: 'Tờ trình' },
  'bao-cao': { type: 'bao-cao', typeName: 'BÁO CÁO', title: 'centred', notationPrefix: 'BC', nameVi: 'Báo cáo' },
  'thong-bao': { type: 'thong-bao', typeName: 'THÔNG BÁO', title: 'centred', notationPrefix: 'TB', nameVi: 'Thông báo' },
  'ke-hoach': { type: 'ke-hoach', typeName: 'KẾ HOẠCH', title: 'centred', notationPrefix: 'KH', nameVi: 'Kế hoạch' },
  'giay-moi': { type: 'giay-moi', typeName: 'GIẤY MỜI', title: 'centred', notationPrefix: 'GM', nameVi: 'Giấy mời' },
};

export const upper = (text: string): string => text.normalize('NFC').toLocaleUpperCase('vi');

/** The type name printed for a draft: its own override, else the template's (công văn has none). */
export function typeNameOf(draft: Draft): string | null {
  const template = templates[draft.type];
  if (template.title === 'vv') return null;
  return upper(draft.typeName ?? template.typeName ?? '');
}

/** "V/v triển khai …": the trích yếu of a công văn, without a doubled "V/v" when the author typed it. */
export const vvSubject = (subject: string): string => `V/v ${subject.normalize('NFC').replace(/^\s*(V\/v|Về việc)\s*/iu, '')}`;

/** The metadata type name (Appendix VI TypeName) of a draft. */
export const metadataTypeName = (draft: Draft): string => (draft.typeName ? draft.typeName : templates[draft.type].nameVi);
