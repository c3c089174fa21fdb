// What a package holds, for people: kind, parties, document ids, business type, status and what it answers, attachments (nested packages too), signature — as data and as bilingual text.
import { statusLabel } from './status-codes.js';
import type { EdxmlAnyPackage, EdxmlAttachment, EdxmlOrganization, EdxmlSignatureCheck } from './types.js';

const BUSINESS = [
  { vi: 'Văn bản mới', en: 'new' },
  { vi: 'Thu hồi', en: 'recall' },
  { vi: 'Cập nhật', en: 'update' },
  { vi: 'Thay thế', en: 'replace' },
] as const;

export interface AttachmentSummary {
  name: string;
  contentType: string;
  bytes: number;
  contentId: string;
  /** The files of a zip, with the summary of each nested package. */
  unpacked?: { name: string; bytes: number; nested?: PackageSummary }[];
}

export interface PackageSummary {
  kind: 'document' | 'status';
  from: { organId: string; name?: string };
  to: { organId: string; name?: string }[];
  documentId?: string;
  number?: string;
  notation?: string;
  subject?: string;
  business?: { type: number; vi: string; en: string; reason?: string; documentId?: string };
  status?: { code: string; vi: string; en: string; description?: string; at: string; staff?: string };
  answers?: { organId: string; documentId?: string; code?: string; date?: string };
  traces: { organId: string; timestamp: string }[];
  attachments: AttachmentSummary[];
  signature: EdxmlSignatureCheck | { result: 'unsigned' };
}

const party = (o: EdxmlOrganization): { organId: string; name?: string } => ({ organId: o.organId, ...(o.organName ? { name: o.organName } : {}) });

function attachment(a: EdxmlAttachment): AttachmentSummary {
  return {
    name: a.name,
    contentType: a.contentType,
    bytes: a.bytes.length,
    contentId: a.contentId,
    ...(a.unpacked ? { unpacked: a.unpacked.map((e) => ({ name: e.name, bytes: e.bytes.length, ...(e.nested ? { nested: describePackage(e.nested) } : {}) })) } : {}),
  };
}

export function describePackage(pkg: EdxmlAnyPackage): PackageSummary {
  const business = pkg.business ? { type: pkg.business.docType, ...BUSINESS[pkg.business.docType], ...(pkg.business.reason ? { reason: pkg.business.reason } : {}), ...(pkg.business.documentId ? { documentId: pkg.business.documentId } : {}) } : undefined;
  const common = { traces: pkg.traces, signature: pkg.signature ?? { result: 'unsigned' as const }, ...(business ? { business } : {}) };
  if (pkg.kind === 'status') {
    const s = pkg.status;
    return {
      kind: 'status',
      from: party(s.from),
      to: [{ organId: s.responseFor.organId }],
      status: { code: s.statusCode, ...statusLabel(s.statusCode), ...(s.description ? { description: s.description } : {}), at: s.timestamp, ...(s.staffInfo?.staff ? { staff: s.staffInfo.staff } : {}) },
      answers: { organId: s.responseFor.organId, ...(s.responseFor.documentId ? { documentId: s.responseFor.documentId } : {}), ...(s.responseFor.code ? { code: s.responseFor.code } : {}), ...(s.responseFor.promulgationDate ? { date: s.responseFor.promulgationDate } : {}) },
      attachments: [],
      ...common,
    };
  }
  const h = pkg.header;
  const answers = h.responseFor?.[0];
  return {
    kind: 'document',
    from: party(h.from),
    to: h.to.map(party),
    ...(h.documentId ? { documentId: h.documentId } : {}),
    ...(h.code ? { number: h.code.codeNumber, notation: h.code.codeNotation } : {}),
    subject: h.subject,
    ...(answers ? { answers: { organId: answers.organId, ...(answers.documentId ? { documentId: answers.documentId } : {}), ...(answers.code ? { code: answers.code } : {}) } } : {}),
    attachments: pkg.attachments.map(attachment),
    ...common,
  };
}

const who = (p: { organId: string; name?: string }): string => (p.name ? `${p.organId} (${p.name})` : p.organId);

function signatureLine(s: PackageSummary['signature']): string {
  if (s.result === 'unsigned') return 'không ký / unsigned';
  const label = { valid: 'hợp lệ / valid', invalid: 'KHÔNG hợp lệ / INVALID', unchecked: 'không kiểm tra được / could not be checked' }[s.result];
  const algorithm = s.algorithm ? ` ${s.algorithm.replace(/^.*#/, '')}` : '';
  const placeholder = s.placeholderCertificate ? '; chứng thư giữ chỗ / placeholder certificate' : '';
  return `${label}${algorithm}${s.subject ? ` — ${s.subject}` : ''}${placeholder}${s.detail ? ` (${s.detail})` : ''}`;
}

/** The summary as lines "Nhãn / Label: value", nested packages indented. */
export function summaryText(s: PackageSummary, indent = ''): string {
  const lines: string[] = [];
  const add = (vi: string, en: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') lines.push(`${indent}${vi} / ${en}: ${value}`);
  };
  add('Loại gói', 'Kind', s.kind === 'status' ? 'gói trạng thái / status package' : 'gói văn bản / document package');
  add('Nơi gửi', 'From', who(s.from));
  add(s.kind === 'status' ? 'Gửi cho' : 'Nơi nhận', s.kind === 'status' ? 'To' : 'Recipients', s.to.map(who).join('; '));
  add('Mã văn bản', 'DocumentId', s.documentId);
  add('Số, ký hiệu', 'Number and notation', s.number ? `${s.number}${s.notation ? `/${s.notation}` : ''}` : undefined);
  add('Trích yếu', 'Subject', s.subject);
  if (s.business) add('Nghiệp vụ', 'Business type', `${s.business.type} ${s.business.vi} / ${s.business.en}${s.business.reason ? ` — ${s.business.reason}` : ''}`);
  if (s.status) add('Trạng thái', 'Status', `${s.status.code} ${s.status.vi} / ${s.status.en}${s.status.description ? ` — ${s.status.description}` : ''} (${s.status.at})`);
  if (s.answers) add('Trả lời văn bản', 'Answers document', `${s.answers.documentId ?? s.answers.code ?? '—'} (${s.answers.organId})`);
  add('Vết chuyển', 'Trace', s.traces.map((t) => `${t.organId} ${t.timestamp}`).join(' → '));
  add('Chữ ký', 'Signature', signatureLine(s.signature));
  if (s.attachments.length > 0) lines.push(`${indent}Tệp đính kèm / Attachments:`);
  for (const a of s.attachments) {
    lines.push(`${indent}  - ${a.name} (${a.contentType}, ${a.bytes} bytes, ${a.contentId})`);
    for (const e of a.unpacked ?? []) {
      lines.push(`${indent}      · ${e.name} (${e.bytes} bytes)${e.nested ? ' — gói edXML lồng / nested edXML package:' : ''}`);
      if (e.nested) lines.push(summaryText(e.nested, `${indent}        `));
    }
  }
  return lines.join('\n');
}
