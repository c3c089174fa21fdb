// Official documents: Decree 30 Appendix VI metadata (zod schemas with its length limits), workflow states and status codes.
import { z } from 'zod';

/** Appendix VI maximum lengths. issuedPlace has no limit in the appendix: 100 is our choice (check). */
export const METADATA_LIMITS = {
  organId: 13,
  fileCatalog: 4,
  fileNotation: 20,
  typeName: 100,
  codeNumber: 11,
  codeNotation: 30,
  organName: 200,
  subject: 500,
  signerPosition: 100,
  signerFullName: 50,
  toPlaces: 1000,
  issuedPlace: 100,
} as const;

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'yyyy-mm-dd');

/** Priority (độ khẩn) as edXML codes it: 0 normal, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc, 4 hỏa tốc hẹn giờ. */
export const priorityCodes = [0, 1, 2, 3, 4] as const;
export type Priority = (typeof priorityCodes)[number];

/** Secrecy (độ mật): 0 none, 1 MẬT, 2 TỐI MẬT, 3 TUYỆT MẬT. */
export const secrecyCodes = [0, 1, 2, 3] as const;
export type Secrecy = (typeof secrecyCodes)[number];

export const recipientSchema = z.strictObject({
  organId: text(METADATA_LIMITS.organId),
  organName: text(METADATA_LIMITS.organName),
});
export type Recipient = z.infer<typeof recipientSchema>;

export const documentMetadataSchema = z.strictObject({
  /** Issuing agency (for outgoing: our own agency). */
  organId: text(METADATA_LIMITS.organId).optional(),
  organName: text(METADATA_LIMITS.organName).optional(),
  codeNumber: text(METADATA_LIMITS.codeNumber).optional(),
  codeNotation: text(METADATA_LIMITS.codeNotation).optional(),
  issuedDate: isoDate.optional(),
  issuedPlace: text(METADATA_LIMITS.issuedPlace).optional(),
  typeName: text(METADATA_LIMITS.typeName).optional(),
  subject: text(METADATA_LIMITS.subject),
  language: z.string().trim().min(2).max(10).optional(),
  pageAmount: z.number().int().min(1).optional(),
  description: z.string().max(2000).optional(),
  priority: z.literal(priorityCodes).default(0),
  secrecy: z.literal(secrecyCodes).default(0),
  signerPosition: text(METADATA_LIMITS.signerPosition).optional(),
  signerFullName: text(METADATA_LIMITS.signerFullName).optional(),
  issuedAmount: z.number().int().min(1).optional(),
  dueDate: isoDate.optional(),
  fileCatalog: z.string().regex(/^\d{4}$/).optional(),
  fileNotation: text(METADATA_LIMITS.fileNotation).optional(),
  docOrdinal: z.number().int().min(1).optional(),
  recipients: z.array(recipientSchema).default([]),
  // Incoming only.
  toPlaces: text(METADATA_LIMITS.toPlaces).optional(),
  /** edXML DocumentId `{OrganId},{yyyy/MM/dd},{number}/{notation}` of a received document. */
  exchangeDocumentId: z.string().trim().min(1).max(300).optional(),
});
export type DocumentMetadataInput = z.input<typeof documentMetadataSchema>;
export type DocumentMetadata = z.output<typeof documentMetadataSchema>;

export type Direction = 'outgoing' | 'incoming';

export const outgoingStates = ['draft', 'signed_by_leader', 'issued', 'queued', 'sending', 'sent', 'failed', 'needs_attention'] as const;
export const incomingStates = ['received', 'registered', 'accepted', 'rejected', 'assigned', 'processing', 'done', 'recalled', 'needs_attention'] as const;
export type OutgoingState = (typeof outgoingStates)[number];
export type IncomingState = (typeof incomingStates)[number];
export type DocumentState = OutgoingState | IncomingState;

/**
 * Allowed moves of an outgoing document. needs_attention can be entered from any live state and left
 * back to one where a person can act; `sent` is final for the document (recipients then move on their own).
 */
export const outgoingTransitions: Readonly<Record<OutgoingState, readonly OutgoingState[]>> = {
  draft: ['signed_by_leader', 'needs_attention'],
  signed_by_leader: ['issued', 'draft', 'needs_attention'],
  issued: ['queued', 'needs_attention'],
  queued: ['sending', 'needs_attention'],
  // sending -> queued: a transient failure goes back to the queue for a retry.
  sending: ['sent', 'queued', 'failed', 'needs_attention'],
  sent: [],
  failed: ['queued', 'needs_attention'],
  needs_attention: ['draft', 'signed_by_leader', 'issued', 'queued'],
};

export const incomingTransitions: Readonly<Record<IncomingState, readonly IncomingState[]>> = {
  // A misaddressed or invalid document is returned (rejected) before or after registering.
  // The sender may recall it before the clerk answered too (the automatic receipt is only 01).
  received: ['registered', 'rejected', 'recalled', 'needs_attention'],
  registered: ['accepted', 'rejected', 'recalled', 'needs_attention'],
  accepted: ['assigned', 'processing', 'done', 'recalled'],
  assigned: ['processing', 'done', 'recalled'],
  processing: ['done', 'recalled'],
  done: ['recalled'],
  rejected: [],
  recalled: [],
  needs_attention: ['received', 'registered', 'rejected'],
};

export const initialState: Readonly<Record<Direction, DocumentState>> = { outgoing: 'draft', incoming: 'received' };

export const canTransition = (direction: Direction, from: DocumentState, to: DocumentState): boolean => {
  const table: Readonly<Record<string, readonly string[]>> = direction === 'outgoing' ? outgoingTransitions : incomingTransitions;
  return table[from]?.includes(to) ?? false;
};

/** Per-recipient status codes of DOMAIN.md (edXML status). */
export const recipientStatusCodes = ['01', '02', '03', '04', '05', '06', '13', '15', '16'] as const;
export type RecipientStatus = (typeof recipientStatusCodes)[number];

/**
 * Allowed status moves for one recipient, `null` being "no status yet" (check: our reading of the
 * edXML flow; the server enforces the same table). 16 (recall refused) returns to processing states.
 */
export const recipientStatusTransitions: Readonly<Record<RecipientStatus | 'none', readonly RecipientStatus[]>> = {
  none: ['01'],
  '01': ['02', '03', '13'],
  '02': [],
  '03': ['04', '05', '06', '13'],
  '04': ['05', '06', '13'],
  '05': ['06', '13'],
  '06': ['13'],
  '13': ['15', '16'],
  '15': [],
  '16': ['03', '04', '05', '06', '13'],
};

export const canChangeRecipientStatus = (from: RecipientStatus | null, to: RecipientStatus): boolean =>
  recipientStatusTransitions[from ?? 'none'].includes(to);

export type FileRole = 'main' | 'appendix' | 'attachment';
export const fileRoles = ['main', 'appendix', 'attachment'] as const satisfies readonly FileRole[];

export const signatureLevels = ['none', 'B-B', 'B-T', 'B-LT', 'B-LTA'] as const;
export type SignatureLevel = (typeof signatureLevels)[number];
/** What a revision added: nothing (the original upload) or which signature of Appendix I. */
export const signatureKinds = ['none', 'leader', 'seal', 'attachment', 'copy'] as const;
export type SignatureKind = (typeof signatureKinds)[number];

/** "05" for 5: outgoing numbers under 10 get a leading 0 (Decree 30). */
export const formatCodeNumber = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** "Số: 05/UBND-VP": number, "/", notation in upper case. */
export const formatNumberNotation = (codeNumber: string, codeNotation: string): string => `${codeNumber}/${codeNotation.toUpperCase()}`;
