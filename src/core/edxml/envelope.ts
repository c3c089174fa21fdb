// Maps between vanthu's exchange envelope (Decree 30 metadata, files with roles) and an edXML package.
import { documentMetadata, messageEnvelope, type DocumentMetadata, type MessageEnvelope } from '../../shared/exchange-protocol.js';
import { VanthuError } from '../../shared/errors.js';
import { safeBaseName } from './text-safety.js';
import type { BussinessDocType, EdxmlAttachment, EdxmlPackage, EdxmlResponseFor, EdxmlStatusPackage, EdxmlTraceHeader } from './types.js';

type MessageType = MessageEnvelope['type'];
type FileRole = MessageEnvelope['files'][number]['role'];

export const DOC_TYPE: Record<MessageType, BussinessDocType> = { new: 0, recall: 1, update: 2, replace: 3 };
const TYPE_OF: MessageType[] = ['new', 'recall', 'update', 'replace'];

/** The file's role travels in the attachment's Description (edXML has no field for it). */
const ROLE_TEXT: Record<FileRole, string> = { main: 'Văn bản chính', appendix: 'Phụ lục', attachment: 'Tài liệu đính kèm' };

export const toEdxmlDate = (iso: string | undefined): string | undefined => iso?.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$1/$2/$3');
export const fromEdxmlDate = (date: string | undefined): string | undefined => date?.replace(/^(\d{4})\/(\d{2})\/(\d{2})$/, '$1-$2-$3');

/** yyyy/MM/dd HH:mm:ss in Vietnam time (UTC+7, no daylight saving), as TraceHeader wants. */
export function vietnamTimestamp(at: Date): string {
  const t = new Date(at.getTime() + 7 * 3600_000).toISOString();
  return `${t.slice(0, 4)}/${t.slice(5, 7)}/${t.slice(8, 10)} ${t.slice(11, 19)}`;
}

/** `{OrganId},{yyyy/MM/dd},{number}/{notation}`, when the document has a number and a date. */
export function documentIdOf(organId: string, metadata: DocumentMetadata): string | undefined {
  if (!metadata.codeNumber || !metadata.issuedDate) return undefined;
  return `${organId},${toEdxmlDate(metadata.issuedDate)},${metadata.codeNumber}${metadata.codeNotation ? `/${metadata.codeNotation}` : ''}`;
}

export interface ExportInput {
  envelope: MessageEnvelope;
  senderName?: string;
  /** Names of the recipients, by organ id, from the directory. */
  recipientNames?: ReadonlyMap<string, string>;
  acceptedAt: Date;
  /** The files of the envelope, in its order, with their bytes. */
  files: { name: string; role: FileRole; sha256: string; bytes: Uint8Array }[];
  /** The message a recall/update/replace refers to. */
  original?: { sender: string; metadata: DocumentMetadata; documentId?: string };
  reason?: string;
  /** What an imported package carried and must travel on unchanged: its DocumentId (never recomputed) and trace list. */
  received?: { documentId?: string; traces?: EdxmlTraceHeader[] };
  /** The organ id our trace header names (this server's system id or the sender); now for its timestamp. */
  tracedBy?: string;
  now?: Date;
}

export function envelopeToEdxml(input: ExportInput): EdxmlPackage {
  const { envelope } = input;
  const m = envelope.metadata;
  const responseFor: EdxmlResponseFor[] = input.original
    ? [
        {
          organId: input.original.sender,
          code: input.original.metadata.codeNumber ? `${input.original.metadata.codeNumber}${input.original.metadata.codeNotation ? `/${input.original.metadata.codeNotation}` : ''}` : undefined,
          promulgationDate: toEdxmlDate(input.original.metadata.issuedDate),
          documentId: input.original.documentId ?? documentIdOf(input.original.sender, input.original.metadata),
        },
      ]
    : [];
  const originalId = responseFor[0]?.documentId;
  const attachments: EdxmlAttachment[] = input.files.map((f, i) => ({
    // Content ids name the bytes: the hash makes them unique and stable.
    contentId: `cid:${i + 1}.${f.sha256.slice(0, 16)}@vanthu`,
    contentType: 'application/pdf',
    name: f.name,
    description: ROLE_TEXT[f.role],
    bytes: f.bytes,
  }));
  return {
    header: {
      from: { organId: envelope.sender, organName: m.organName ?? input.senderName },
      to: envelope.recipients.map((organId) => ({ organId, organName: input.recipientNames?.get(organId) })),
      code: m.codeNumber ? { codeNumber: m.codeNumber, codeNotation: m.codeNotation ?? '' } : undefined,
      promulgationInfo: m.issuedDate ? { promulgationDate: toEdxmlDate(m.issuedDate) } : undefined,
      documentType: m.typeName ? { typeName: m.typeName } : undefined,
      subject: m.subject,
      content: m.description,
      signerInfo: m.signerInfo ? { position: m.signerInfo.position || undefined, fullName: m.signerInfo.fullName || undefined } : undefined,
      dueDate: toEdxmlDate(m.dueDate),
      otherInfo:
        m.priority !== undefined || m.pageAmount !== undefined || m.issuedAmount !== undefined
          ? { priority: m.priority, pageAmount: m.pageAmount, promulgationAmount: m.issuedAmount }
          : undefined,
      responseFor: responseFor.length > 0 ? responseFor : undefined,
      steeringType: m.steeringType,
      documentId: input.received?.documentId ?? documentIdOf(envelope.sender, m),
    },
    // The trace list as it came, then ours: each system the package passed through adds one.
    traces: [...(input.received?.traces ?? []), { organId: input.tracedBy ?? envelope.sender, timestamp: vietnamTimestamp(input.now ?? input.acceptedAt) }],
    business: {
      ...(envelope.type !== 'new' && originalId ? { documentId: originalId } : {}),
      docType: DOC_TYPE[envelope.type],
      reason: input.reason,
      ...((envelope.type === 'update' || envelope.type === 'replace') && originalId ? { replacementInfoList: [{ documentId: originalId, organIds: envelope.recipients }] } : {}),
    },
    attachments,
  };
}

export interface ImportedMessage {
  /** The envelope without file hashes (the caller stores the bytes and fills them in). */
  sender: string;
  recipients: string[];
  type: MessageType;
  metadata: DocumentMetadata;
  files: { name: string; role: FileRole; bytes: Uint8Array }[];
  /** What a recall/update/replace refers to; the caller finds the message. */
  responseFor?: EdxmlResponseFor;
  /** Kept as the package carried them, so an export sends them on unchanged. */
  documentId?: string;
  traces: EdxmlTraceHeader[];
}

/** The files a package carries: PDFs as they are; a zip's PDFs (and those of a package nested in it) in its place. */
function filesOf(pkg: EdxmlPackage): EdxmlAttachment[] {
  return pkg.attachments.flatMap((a) => {
    if (!a.unpacked) return [a];
    return a.unpacked.flatMap((entry) => {
      if (entry.nested && entry.nested.kind !== 'status') return filesOf(entry.nested);
      if (entry.nested) return [];
      return [{ contentId: `${a.contentId}/${entry.path}`, contentType: 'application/pdf', name: entry.name, description: a.description, bytes: entry.bytes }];
    });
  });
}

function roleOf(attachment: EdxmlAttachment, index: number): FileRole {
  const description = attachment.description?.normalize('NFC').toLowerCase() ?? '';
  if (description.startsWith(ROLE_TEXT.appendix.toLowerCase())) return 'appendix';
  if (description === ROLE_TEXT.main.toLowerCase()) return 'main';
  if (description === ROLE_TEXT.attachment.toLowerCase()) return 'attachment';
  // Packages from other systems do not say: the first file is the document, the rest go with it.
  return index === 0 ? 'main' : 'attachment';
}

/** The package's fields as vanthu metadata, checked against Decree 30's limits (EDXML_FIELD_INVALID otherwise). */
export function edxmlToMessage(pkg: EdxmlPackage): ImportedMessage {
  const h = pkg.header;
  const type = TYPE_OF[pkg.business?.docType ?? 0]!;
  const raw = {
    subject: h.subject,
    codeNumber: h.code?.codeNumber,
    codeNotation: h.code?.codeNotation || undefined,
    issuedDate: fromEdxmlDate(h.promulgationInfo?.promulgationDate),
    organName: h.from.organName,
    typeName: h.documentType?.typeName,
    description: h.content,
    signerInfo: h.signerInfo && (h.signerInfo.position || h.signerInfo.fullName) ? { position: h.signerInfo.position ?? '', fullName: h.signerInfo.fullName ?? '' } : undefined,
    priority: h.otherInfo?.priority,
    pageAmount: h.otherInfo?.pageAmount,
    issuedAmount: h.otherInfo?.promulgationAmount,
    dueDate: fromEdxmlDate(h.dueDate),
    steeringType: h.steeringType,
  };
  const metadata = documentMetadata.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  if (!metadata.success) {
    const issue = metadata.error.issues[0]!;
    throw new VanthuError('EDXML_FIELD_INVALID', { field: issue.path.join('.'), detail: issue.message });
  }
  const files = filesOf(pkg).map((a, i) => ({ name: safeBaseName(a.name), role: roleOf(a, i), bytes: a.bytes }));
  if (files.length > 0 && !files.some((f) => f.role === 'main')) files[0]!.role = 'main';
  const message: ImportedMessage = {
    sender: h.from.organId,
    recipients: [...new Set(h.to.map((t) => t.organId))],
    type,
    metadata: metadata.data,
    files,
    ...(h.documentId ? { documentId: h.documentId } : {}),
    traces: pkg.traces,
  };
  // The envelope schema checks organ ids, file names and counts the way a submission is checked.
  const check = messageEnvelope.safeParse({ sender: message.sender, recipients: message.recipients, type, metadata: message.metadata, files: files.map((f) => ({ sha256: '0'.repeat(64), role: f.role, name: f.name })) });
  if (!check.success) {
    const issue = check.error.issues[0]!;
    throw new VanthuError('EDXML_FIELD_INVALID', { field: issue.path.join('.'), detail: issue.message });
  }
  if (type !== 'new') {
    // The original: ResponseFor (as vanthu and most producers write it), else Bussiness's DocumentId or its first ReplacementInfo.
    const pointer = h.responseFor?.[0] ?? pkg.business?.documentId ?? pkg.business?.replacementInfoList?.[0]?.documentId;
    if (!pointer) throw new VanthuError('EDXML_FIELD_INVALID', { field: 'ResponseFor', detail: `a ${type} must name the document it concerns / cần văn bản liên quan` });
    // A DocumentId "{OrganId},{date},{number}" names its sender; a UUID does not, and then it is the sender's own document.
    message.responseFor = typeof pointer === 'string' ? { organId: /^[^,]+,\d{4}\/\d{2}\/\d{2},/.test(pointer) ? pointer.split(',')[0]! : h.from.organId, documentId: pointer } : pointer;
    if (!message.responseFor.documentId && pkg.business?.documentId) message.responseFor.documentId = pkg.business.documentId;
  }
  return message;
}

export interface StatusExportInput {
  /** The agency reporting the status, and its name from the directory. */
  from: { organId: string; organName?: string };
  /** The document the status answers, as the recipient received it. */
  original: { sender: string; metadata: DocumentMetadata; documentId?: string };
  code: string;
  description?: string;
  at: Date;
  staff?: { department?: string; staff?: string; mobile?: string; email?: string };
  tracedBy?: string;
}

/** A status package answering `original` (ResponseFor names it by its DocumentId, kept as received). */
export function statusToEdxml(input: StatusExportInput): EdxmlStatusPackage {
  const m = input.original.metadata;
  const code = m.codeNumber ? `${m.codeNumber}${m.codeNotation ? `/${m.codeNotation}` : ''}` : undefined;
  return {
    kind: 'status',
    status: {
      from: { organId: input.from.organId, ...(input.from.organName ? { organName: input.from.organName } : {}) },
      responseFor: {
        organId: input.original.sender,
        ...(code ? { code } : {}),
        ...(m.issuedDate ? { promulgationDate: toEdxmlDate(m.issuedDate) } : {}),
        ...((input.original.documentId ?? documentIdOf(input.original.sender, m)) ? { documentId: input.original.documentId ?? documentIdOf(input.original.sender, m) } : {}),
      },
      ...(input.staff ? { staffInfo: input.staff } : {}),
      statusCode: input.code,
      ...(input.description ? { description: input.description } : {}),
      timestamp: vietnamTimestamp(input.at),
    },
    traces: [{ organId: input.tracedBy ?? input.from.organId, timestamp: vietnamTimestamp(input.at) }],
  };
}
