// The compose form's values, turned into Decree 30 metadata and checked with the shared schema; each problem becomes a field message.
import { documentMetadataSchema, type DocumentMetadataInput, type Priority, type Recipient, type Secrecy } from '../../../shared/document.js';
import type { DocumentRecordDto } from '../../../shared/ipc/documents.js';

export interface ComposeValues {
  /** The issuing agency (ours): its organ id and name, and the notation the number is printed with (UBND-VP). */
  organName: string;
  organId: string;
  codeNotation: string;
  typeName: string;
  subject: string;
  signerPosition: string;
  signerFullName: string;
  issuedPlace: string;
  dueDate: string;
  priority: Priority;
  secrecy: Secrecy;
  recipients: Recipient[];
}

export const emptyValues: ComposeValues = {
  organName: '',
  organId: '',
  codeNotation: '',
  typeName: 'Công văn',
  subject: '',
  signerPosition: '',
  signerFullName: '',
  issuedPlace: '',
  dueDate: '',
  priority: 0,
  secrecy: 0,
  recipients: [],
};

/** Text fields of the form, in screen order (the first invalid one gets the focus). */
export const textFields = ['organName', 'organId', 'codeNotation', 'typeName', 'subject', 'signerPosition', 'signerFullName', 'issuedPlace', 'dueDate'] as const;
export type TextField = (typeof textFields)[number];
export type FieldName = TextField | 'recipients' | 'priority' | 'secrecy';

/** A message key under documents.errors and its parameters. */
export interface FieldProblem {
  key: 'required' | 'tooLong' | 'date' | 'invalid';
  max?: number;
}

const optional = (value: string): string | undefined => (value.trim() === '' ? undefined : value.trim());

export function toMetadata(values: ComposeValues): DocumentMetadataInput {
  return {
    organName: optional(values.organName),
    organId: optional(values.organId),
    codeNotation: optional(values.codeNotation),
    typeName: optional(values.typeName),
    subject: values.subject.trim(),
    signerPosition: optional(values.signerPosition),
    signerFullName: optional(values.signerFullName),
    issuedPlace: optional(values.issuedPlace),
    dueDate: optional(values.dueDate),
    priority: values.priority,
    secrecy: values.secrecy,
    recipients: values.recipients,
  };
}

/** Drops undefined keys: the IPC payload is JSON, and the strict schema wants no stray keys. */
export const compact = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

export function validate(values: ComposeValues): Partial<Record<FieldName, FieldProblem>> {
  const result = documentMetadataSchema.safeParse(compact(toMetadata(values)));
  if (result.success) return {};
  const problems: Partial<Record<FieldName, FieldProblem>> = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0] as FieldName;
    if (problems[field]) continue;
    if (issue.code === 'too_big' && typeof issue.maximum === 'number') problems[field] = { key: 'tooLong', max: issue.maximum };
    else if (issue.code === 'too_small') problems[field] = { key: 'required' };
    else if (issue.code === 'invalid_format') problems[field] = { key: 'date' };
    else problems[field] = { key: 'invalid' };
  }
  return problems;
}

export function valuesFrom(document: DocumentRecordDto): ComposeValues {
  return {
    organName: document.organName ?? '',
    organId: document.organId ?? '',
    codeNotation: document.codeNotation ?? '',
    typeName: document.typeName ?? '',
    subject: document.subject,
    signerPosition: document.signerPosition ?? '',
    signerFullName: document.signerFullName ?? '',
    issuedPlace: document.issuedPlace ?? '',
    dueDate: document.dueDate ?? '',
    priority: document.priority,
    secrecy: document.secrecy,
    recipients: document.recipients.map((r) => ({ organId: r.organId, organName: r.organName })),
  };
}

/** Common Decree 30 document types (Appendix III), offered as suggestions. */
export const documentTypes = ['Công văn', 'Quyết định', 'Chỉ thị', 'Thông báo', 'Kế hoạch', 'Tờ trình', 'Báo cáo', 'Giấy mời', 'Công điện', 'Biên bản', 'Hướng dẫn', 'Chương trình'];
