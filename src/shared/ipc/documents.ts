// IPC channels of the document registers: lists, search, compose (metadata and files), and the cached agency directory.
import { z } from 'zod';
import {
  documentMetadataSchema,
  recipientSchema,
  fileRoles,
  incomingStates,
  outgoingStates,
  priorityCodes,
  recipientStatusCodes,
  secrecyCodes,
  signatureKinds,
  signatureLevels,
} from '../document.js';
import { draftSchema } from '../draft.js';

/** The register views of the documents page. */
export const documentViews = ['outgoing', 'incoming', 'drafts', 'outbox', 'sent'] as const;
export type DocumentView = (typeof documentViews)[number];

/** Largest file the compose screen sends (the renderer checks it before reading; main checks again). */
export const MAX_FILE_BYTES = 30 * 1024 * 1024;
/** Files per call (main + appendices + attachments). */
export const MAX_FILES = 20;
/** Base64 length of MAX_FILE_BYTES. */
const MAX_BASE64 = Math.ceil(MAX_FILE_BYTES / 3) * 4;

const documentState = z.enum([...new Set<string>([...outgoingStates, ...incomingStates])] as [string, ...string[]]);
const recipientStatus = z.enum(recipientStatusCodes);
const documentId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const recipientWithStatus = z.object({
  organId: z.string(),
  organName: z.string(),
  status: recipientStatus.nullable(),
  statusAt: z.number().nullable(),
});

export const documentSummarySchema = z.object({
  id: z.number(),
  direction: z.enum(['outgoing', 'incoming']),
  state: documentState,
  codeNumber: z.string().nullable(),
  codeNotation: z.string().nullable(),
  issuedDate: z.string().nullable(),
  organName: z.string().nullable(),
  subject: z.string(),
  priority: z.literal(priorityCodes),
  secrecy: z.literal(secrecyCodes),
  updatedAt: z.number(),
  recipients: z.array(recipientWithStatus.omit({ statusAt: true })),
  /** Incoming, once assigned: the deadline in force (yyyy-MM-dd, a Vietnam-time day). */
  deadline: z.string().optional(),
  /** Why it needs attention (or is being retried), one short sentence in each language; absent when nothing is wrong. */
  attention: z.object({ vi: z.string(), en: z.string() }).optional(),
});
export type DocumentSummaryDto = z.infer<typeof documentSummarySchema>;

const revision = z.object({
  revision: z.number(),
  sha256: z.string(),
  size: z.number(),
  signatureLevel: z.enum(signatureLevels),
  signatureKind: z.enum(signatureKinds),
  signer: z.string().nullable(),
  createdAt: z.number(),
  problem: z.enum(['missing', 'hash_mismatch']).nullable(),
});

const fileRecord = z.object({ id: z.number(), role: z.enum(fileRoles), name: z.string(), position: z.number(), revisions: z.array(revision) });

const historyEntry = z.object({
  at: z.number(),
  kind: z.enum(['created', 'edited', 'state', 'number', 'recipient_status']),
  from: z.string().nullable().optional(),
  to: z.string().nullable().optional(),
  recipientOrganId: z.string().optional(),
  reason: z.string().optional(),
});

export const documentRecordSchema = documentMetadataSchema.omit({ recipients: true }).extend({
  id: z.number(),
  direction: z.enum(['outgoing', 'incoming']),
  state: documentState,
  recipients: z.array(recipientWithStatus),
  arrivalNumber: z.number().optional(),
  arrivalDate: z.string().optional(),
  receipt: z.string().optional(),
  /** Outgoing and numbered by a web e-office system (its origin), not by our register's counter. */
  numberedBy: z.string().optional(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type DocumentRecordDto = z.infer<typeof documentRecordSchema>;

/** One file sent from the compose screen: bytes as base64 (the IPC payload is JSON), capped in size. */
export const fileUploadSchema = z.strictObject({
  name: z.string().trim().min(1).max(255),
  role: z.enum(fileRoles),
  contentBase64: z
    .string()
    .min(1)
    .max(MAX_BASE64)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/),
});
export type FileUpload = z.infer<typeof fileUploadSchema>;

export const directoryEntrySchema = z.object({ organId: z.string(), name: z.string(), parent: z.string().nullable() });
export type DirectoryEntryDto = z.infer<typeof directoryEntrySchema>;

const created = z.object({ id: z.number(), duplicates: z.array(documentSummarySchema.omit({ recipients: true })) });

/** Largest file the verify page sends for a printed report (as the verify page's own check). */
export const MAX_REPORT_SOURCE_BYTES = 50 * 1024 * 1024;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** A printed or exported file: saved into the data folder's exports/ (shown to the user), and its bytes for saving elsewhere. */
const savedFileSchema = z.object({ fileName: z.string(), savedPath: z.string(), contentBase64: z.string() });
export type SavedFileDto = z.infer<typeof savedFileSchema>;

export const registerExportRequestSchema = z.union([
  z.strictObject({ kind: z.enum(['outgoing', 'incoming']), format: z.enum(['pdf', 'xlsx']), year: z.number().int().min(1900).max(9999) }),
  z.strictObject({ kind: z.enum(['outgoing', 'incoming']), format: z.enum(['pdf', 'xlsx']), from: isoDate, to: isoDate }),
]);
/** What a document needing attention shows: why (vi + en, never an internal id), since when, and the actions that fit. */
export const attentionViewSchema = z.object({
  documentId: z.number(),
  subject: z.string(),
  numberNotation: z.string().nullable(),
  state: documentState,
  kind: z.enum(['needs_attention', 'retrying', 'waiting']),
  cause: z.string(),
  vi: z.string(),
  en: z.string(),
  shortVi: z.string(),
  shortEn: z.string(),
  actions: z.array(z.enum(['retry', 'edit_recipients', 'resign', 'cancel', 'contact', 'login'])),
  since: z.number(),
  nextRetryAt: z.number().nullable(),
  recipients: z.array(z.object({ organId: z.string(), organName: z.string() })),
});
export type AttentionViewDto = z.infer<typeof attentionViewSchema>;

export const recipientContactSchema = z.object({ organId: z.string(), name: z.string(), parent: z.string().nullable(), inDirectory: z.boolean() });
export type RecipientContactDto = z.infer<typeof recipientContactSchema>;

const stateAnswer = z.object({ state: documentState });

export const documentsChannels = {
  'documents.list': {
    request: z.strictObject({
      view: z.enum(documentViews),
      /** Full-text search (diacritics folded), every word must match. */
      query: z.string().max(200).optional(),
      state: documentState.optional(),
      /** The previous page's nextCursor. */
      cursor: documentId.nullable().optional(),
      /** Without a cursor: start at this position (a jump far down the list, without fetching every page before it). */
      offset: z.number().int().min(0).max(10_000_000).optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    // total: how many match, counted on the first page only (no cursor, no offset) so later pages stay index scans.
    response: z.object({ items: z.array(documentSummarySchema), nextCursor: z.number().nullable(), total: z.number().optional() }),
  },
  'documents.get': {
    request: z.strictObject({ id: documentId }),
    response: z.object({ document: documentRecordSchema, files: z.array(fileRecord), history: z.array(historyEntry) }),
  },
  'documents.create': {
    request: z.strictObject({ metadata: documentMetadataSchema, files: z.array(fileUploadSchema).max(MAX_FILES) }),
    response: created,
  },
  'documents.updateMetadata': {
    request: z.strictObject({ id: documentId, metadata: documentMetadataSchema }),
    response: created,
  },
  'documents.addFiles': {
    request: z.strictObject({ id: documentId, files: z.array(fileUploadSchema).min(1).max(MAX_FILES) }),
    response: z.object({ fileIds: z.array(z.number()) }),
  },
  /** Documents needing attention or being retried, newest trouble first (the notification area). */
  'attention.list': { request: z.strictObject({}), response: z.object({ items: z.array(attentionViewSchema) }) },
  /** One document's attention panel: why, the actions, and its recipients as the directory knows them. */
  'attention.get': {
    request: z.strictObject({ id: documentId }),
    response: z.object({ attention: attentionViewSchema.nullable(), contacts: z.array(recipientContactSchema) }),
  },
  /** Queue the failed job again (needs_attention -> queued), or run a sleeping retry now. */
  'attention.retry': { request: z.strictObject({ id: documentId }), response: stateAnswer },
  /** Take the sending out of the outbox; the document (back to issued) and its history stay. */
  'attention.cancel': { request: z.strictObject({ id: documentId }), response: stateAnswer },
  /** The file was refused: out of the outbox, back to draft (number kept, each file back to its unsigned content) to be signed and issued again. */
  'attention.resign': { request: z.strictObject({ id: documentId }), response: stateAnswer },
  /** New recipients, then queued again as a new sending. */
  'attention.resend': {
    request: z.strictObject({ id: documentId, recipients: z.array(recipientSchema).min(1).max(500) }),
    response: stateAnswer,
  },
  'directory.list': {
    request: z.strictObject({ query: z.string().max(200).optional(), limit: z.number().int().min(1).max(5000).optional() }),
    response: z.object({ agencies: z.array(directoryEntrySchema), total: z.number() }),
  },
  /** The compose form's draft rendered to a Decree 30 PDF by the drafting engine, off the UI thread. */
  'drafting.render': {
    request: z.strictObject({ draft: draftSchema }),
    response: z.object({ contentBase64: z.string(), pageCount: z.number().int(), closingPage: z.number().int() }),
  },
  /**
   * Saves the compose form: the draft (a new version), and the outgoing document it is, in state
   * "draft", with the metadata taken from the draft and the rendered PDF as its main file.
   */
  'drafting.save': {
    request: z.strictObject({
      documentId: documentId.optional(),
      draft: draftSchema,
      /** Who receives it over the exchange (the "Nơi nhận" printed list is in the draft). */
      recipients: documentMetadataSchema.shape.recipients,
      dueDate: documentMetadataSchema.shape.dueDate,
    }),
    response: z.object({ id: z.number(), draftId: z.number(), version: z.number(), pageCount: z.number().int() }),
  },
  /** The draft a document was composed from, to reopen the form; null for a document whose PDF came from elsewhere. */
  'drafting.forDocument': {
    request: z.strictObject({ documentId }),
    response: z.object({ draftId: z.number(), version: z.number(), draft: draftSchema }).nullable(),
  },
  /** A .docx made elsewhere, converted to PDF by LibreOffice in main (refused with a clear message when it is not installed). */
  'drafting.convertDocx': {
    request: z.strictObject({ name: z.string().trim().min(1).max(255), contentBase64: fileUploadSchema.shape.contentBase64 }),
    response: z.object({ name: z.string(), contentBase64: z.string() }),
  },
  /** The outgoing or incoming register of a year or a period, printed (A4 landscape PDF) or as .xlsx. */
  'registers.export': {
    request: registerExportRequestSchema,
    response: savedFileSchema,
  },
  /** A printable verification report (PDF, Vietnamese) of a stored document's file, or of a file the user picked. */
  'reports.verification': {
    request: z.union([
      z.strictObject({ documentId, fileId: documentId }),
      z.strictObject({
        name: z.string().trim().min(1).max(255),
        contentBase64: z
          .string()
          .min(4)
          .max(Math.ceil(MAX_REPORT_SOURCE_BYTES / 3) * 4)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/),
      }),
    ]),
    response: savedFileSchema,
  },
} as const;

export const documentsEvents = {} as const;
