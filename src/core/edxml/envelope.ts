// Maps between vanthu's exchange envelope (Decree 30 metadata, files with roles) and an edXML package.
import { documentMetadata, messageEnvelope, type DocumentMetadata, type MessageEnvelope } from '../../shared/exchange-protocol.js';
import { VanthuError } from '../../shared/errors.js';
import type { BussinessDocType, EdxmlAttachment, EdxmlPackage, EdxmlResponseFor } from './types.js';

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
  original?: { sender: string; metadata: DocumentMetadata };
  reason?: string;
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
          documentId: documentIdOf(input.original.sender, input.original.metadata),
        },
      ]
    : [];
  const attachments: EdxmlAttachment[] = input.files.map((f, i) => ({
    // Content ids name the bytes: the hash makes them unique and stable.
    contentId: `${i + 1}.${f.sha256.slice(0, 16)}@vanthu`,
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
      documentId: documentIdOf(envelope.sender, m),
    },
    traces: [{ organId: envelope.sender, timestamp: vietnamTimestamp(input.acceptedAt) }],
    business: { docType: DOC_TYPE[envelope.type], reason: input.reason },
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
  const files = pkg.attachments.map((a, i) => ({ name: a.name, role: roleOf(a, i), bytes: a.bytes }));
  if (files.length > 0 && !files.some((f) => f.role === 'main')) files[0]!.role = 'main';
  const message: ImportedMessage = { sender: h.from.organId, recipients: [...new Set(h.to.map((t) => t.organId))], type, metadata: metadata.data, files };
  // The envelope schema checks organ ids, file names and counts the way a submission is checked.
  const check = messageEnvelope.safeParse({ sender: message.sender, recipients: message.recipients, type, metadata: message.metadata, files: files.map((f) => ({ sha256: '0'.repeat(64), role: f.role, name: f.name })) });
  if (!check.success) {
    const issue = check.error.issues[0]!;
    throw new VanthuError('EDXML_FIELD_INVALID', { field: issue.path.join('.'), detail: issue.message });
  }
  if (type !== 'new') {
    if (!h.responseFor || h.responseFor.length === 0) throw new VanthuError('EDXML_FIELD_INVALID', { field: 'ResponseFor', detail: `a ${type} must name the document it concerns / cần văn bản liên quan` });
    message.responseFor = h.responseFor[0];
  }
  return message;
}
