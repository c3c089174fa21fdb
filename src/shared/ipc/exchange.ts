// IPC channels of incoming work and the rest: inbox, bulk signing, verify, settings, diagnostics, sync status.
import { z } from 'zod';
import { draftDefaultsSchema } from '../settings.js';

// Owned by the exchange/inbox feature. Each channel: { request, response } zod schemas; names also go in ./names.ts.

/** Files cross the bridge as base64; a cap keeps a dropped 2 GB file from reaching main at all. */
export const MAX_VERIFY_BYTES = 50 * 1024 * 1024;
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
const base64Of = (maxBytes: number) => z.string().max(Math.ceil(maxBytes / 3) * 4).regex(/^[A-Za-z0-9+/]*={0,2}$/);

const bilingual = z.object({ code: z.string(), messageVi: z.string(), messageEn: z.string() });
const documentId = z.number().int().positive();

/** What the exchange is doing, for the status bar and the inbox header. */
export const syncStateSchema = z.object({
  /** A server URL is set in settings. */
  configured: z.boolean(),
  online: z.boolean(),
  /** Sending or pulling waits for the user to unlock the exchange certificate's token. */
  needsLogin: z.boolean(),
  /** The agency the server knows us as, once logged in. */
  agency: z.object({ organId: z.string(), name: z.string() }).nullable(),
  /** Epoch ms of the last finished inbox + status round. */
  lastSync: z.number().nullable(),
  /** Send jobs not finished yet, and those that need a person. */
  queued: z.number().int(),
  failing: z.number().int(),
  problem: bilingual.nullable(),
});
export type SyncState = z.infer<typeof syncStateSchema>;

const recipientStatus = z.enum(['01', '02', '03', '04', '05', '06', '13', '15', '16']);
const verdict = z.enum(['valid', 'invalid', 'indeterminate', 'unsigned']);
const finding = z.object({ severity: z.enum(['error', 'warning', 'info']), messageVi: z.string(), messageEn: z.string() });

/** One signature of a report, as facts the screen puts into words. */
export const signatureViewSchema = z.object({
  index: z.number().int(),
  kind: z.enum(['signature', 'document-timestamp']),
  verdict: z.enum(['valid', 'invalid', 'indeterminate']),
  signerName: z.string().nullable(),
  organization: z.string().nullable(),
  /** The CA that issued the signer's certificate. */
  issuer: z.string().nullable(),
  claimedTime: z.string().nullable(),
  timestamp: z.object({ time: z.string(), valid: z.boolean() }).nullable(),
  level: z.string(),
  reason: z.string().nullable(),
  /** The signature's bytes hash and verify with the certificate. */
  intact: z.boolean(),
  coversWholeFile: z.boolean(),
  laterRevisions: z.number().int(),
  disallowedChanges: z.array(z.string()),
  trustedChain: z.boolean(),
  chainPath: z.array(z.string()),
  revocation: z.object({ status: z.enum(['good', 'revoked', 'unknown']), source: z.enum(['ocsp', 'crl', 'none']), revokedAt: z.string().nullable() }),
  findings: z.array(finding),
});
export type SignatureView = z.infer<typeof signatureViewSchema>;

export const verifyReportSchema = z.object({
  fileName: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  verdict,
  summaryVi: z.string(),
  summaryEn: z.string(),
  findings: z.array(finding),
  signatures: z.array(signatureViewSchema),
});
export type VerifyReport = z.infer<typeof verifyReportSchema>;

const incomingState = z.enum(['received', 'registered', 'accepted', 'rejected', 'assigned', 'processing', 'done', 'recalled', 'needs_attention']);

/** An incoming document held "cần kiểm tra lại": the kept reason (shown through shared/held-reason), and when vanthu checks again. */
export const heldSchema = z.object({
  outcome: z.enum(['indeterminate', 'invalid']),
  reason: z.string(),
  nextCheckAt: z.number().nullable(),
  attempts: z.number().int(),
});
export type HeldView = z.infer<typeof heldSchema>;

export const inboxItemSchema = z.object({
  documentId,
  state: incomingState,
  subject: z.string(),
  organName: z.string().nullable(),
  codeNumber: z.string().nullable(),
  codeNotation: z.string().nullable(),
  issuedDate: z.string().nullable(),
  priority: z.number().int(),
  arrivalNumber: z.number().int().nullable(),
  arrivalDate: z.string().nullable(),
  receivedAt: z.number(),
  /** Came through the exchange, whose pull takes in only files whose signatures verified (valid, whole file covered). */
  verifiedOnArrival: z.boolean(),
  /** Set while the document is held for a re-check. */
  held: heldSchema.nullable().optional(),
  /** The deadline of the assignment in force (yyyy-MM-dd, a Vietnam-time day), once the leader assigned it. */
  deadline: z.string().nullable().optional(),
});
export type InboxItemView = z.infer<typeof inboxItemSchema>;

export const incomingStepSchema = z.object({
  step: z.enum(['submitted', 'assigned', 'processing', 'done']),
  at: z.number(),
  actor: z.string().nullable(),
  handler: z.string().nullable(),
  deadline: z.string().nullable(),
  note: z.string().nullable(),
});
export type IncomingStepView = z.infer<typeof incomingStepSchema>;

const stepText = (max: number) => z.string().trim().max(max);
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const inboxDetailSchema = inboxItemSchema.extend({
  organId: z.string().nullable(),
  typeName: z.string().nullable(),
  signer: z.string().nullable(),
  messageId: z.string().nullable(),
  /** Why it was returned or recalled, when it was. */
  reason: z.string().nullable(),
  files: z.array(z.object({ name: z.string(), role: z.enum(['main', 'appendix', 'attachment']), size: z.number().int(), report: verifyReportSchema.nullable() })),
  /** The processing record after acceptance: submitted to the leader, assigned, in progress, done (who, when, what). */
  steps: z.array(incomingStepSchema).optional(),
  /** Statuses (04/05/06) still on their way to the sender, and whether one is stuck for a person to see. */
  pendingStatuses: z.array(z.object({ code: z.enum(['04', '05', '06']), stuck: z.boolean(), reason: bilingual.nullable() })).optional(),
  /** Other incoming documents of the same agency with the same number and ký hiệu already in the store. */
  sameNumberReceived: z.number().int().optional(),
});
export type InboxDetail = z.infer<typeof inboxDetailSchema>;

const signLevel = z.enum(['B-B', 'B-T', 'B-LT', 'B-LTA']);
const tokenChoice = z.strictObject({ module: z.string().min(1).max(4096), label: z.string().max(64).optional(), serial: z.string().max(64).optional(), cert: z.string().min(1).max(256) });

export const bulkItemSchema = z.object({
  documentId,
  status: z.enum(['signed', 'already_signed', 'failed', 'waiting', 'cancelled', 'queued', 'running']),
  error: bilingual.nullable(),
});
export type BulkItem = z.infer<typeof bulkItemSchema>;

export const bulkProgressSchema = z.object({
  runId: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  current: z.object({ documentId, subject: z.string() }).nullable(),
  /** True once the run returned (finished, cancelled, or stopped with documents waiting). */
  finished: z.boolean(),
  items: z.array(bulkItemSchema),
  error: bilingual.nullable(),
});
export type BulkProgressView = z.infer<typeof bulkProgressSchema>;

export const bulkCandidateSchema = z.object({
  documentId,
  subject: z.string(),
  state: z.enum(['draft', 'signed_by_leader', 'issued']),
  codeNotation: z.string().nullable(),
  signed: z.enum(['none', 'leader', 'seal', 'attachment', 'copy']),
  /** The register's number once issued. */
  codeNumber: z.string().nullable().optional(),
  /** yyyy-MM-dd: the issue date once issued, else the day the draft was made (Vietnam time). */
  date: z.string().optional(),
  /** Độ khẩn code (0 thường … 4 hỏa tốc hẹn giờ). */
  priority: z.number().int().min(0).max(4).optional(),
});

const imageView = z.object({ path: z.string(), pngBase64: z.string() }).nullable();

export const settingsViewSchema = z.object({
  serverUrl: z.string().nullable(),
  tsaUrl: z.string().nullable(),
  tokenModules: z.array(z.string()),
  language: z.enum(['vi', 'en']),
  exchangeLogin: tokenChoice.nullable(),
  receiptConfirmation: z.enum(['auto', 'manual']),
  defaultLevel: signLevel,
  signatureImage: imageView,
  sealImage: imageView,
  /** What a new document's drafting form starts with, when set (the demo sets it). */
  draftDefaults: draftDefaultsSchema.optional(),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

const reachability = z.object({ configured: z.boolean(), reachable: z.boolean(), detail: z.string().nullable() });

export const diagnosticsSchema = z.object({
  modules: z.array(z.object({ vendor: z.string(), path: z.string(), present: z.boolean(), userAdded: z.boolean(), loaded: z.boolean(), tokens: z.number().int(), error: bilingual.nullable() })),
  server: reachability,
  tsa: reachability,
  store: z.object({ ok: z.boolean(), documents: z.number().int(), blobsChecked: z.number().int(), problems: z.array(z.string()) }),
});
export type Diagnostics = z.infer<typeof diagnosticsSchema>;

const httpUrl = z.url({ protocol: /^https?$/ }).max(2048);

export const exchangeChannels = {
  'sync.status': { request: z.strictObject({}), response: syncStateSchema },
  /** Pulls the inbox and the status feed now; answers once the round is over. */
  'sync.now': { request: z.strictObject({}), response: syncStateSchema },
  /** Unlocks the exchange certificate's token (settings.exchangeLogin) and logs in to the server; the PIN goes to the token only. */
  'sync.login': { request: z.strictObject({ pin: z.string().min(1).max(64) }), response: syncStateSchema },
  'inbox.list': {
    request: z.strictObject({
      after: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(500).optional(),
      /** "Đang theo dõi" or "Cần kiểm tra lại" over the whole store (in their own order, from `offset`; nextCursor is then the next offset); all by default. */
      filter: z.enum(['all', 'tracking', 'held']).optional(),
      offset: z.number().int().min(0).optional(),
    }),
    response: z.object({
      items: z.array(inboxItemSchema),
      nextCursor: z.number().nullable(),
      /** How many documents each filter holds in the whole store. */
      counts: z.object({ tracking: z.number().int(), held: z.number().int() }).optional(),
    }),
  },
  'inbox.get': { request: z.strictObject({ documentId }), response: inboxDetailSchema },
  /** Gives a received document its incoming number (số đến); one already registered keeps its own. */
  'inbox.register': { request: z.strictObject({ documentId }), response: z.object({ arrivalNumber: z.number().int(), arrivalDate: z.string() }) },
  /** Status 03 to the sender, and the document moves to accepted. */
  'inbox.accept': { request: z.strictObject({ documentId }), response: z.object({ state: incomingState }) },
  /** Status 02 with the reason to the sender (returned: misaddressed, invalid). */
  'inbox.reject': { request: z.strictObject({ documentId, reason: z.string().trim().min(3).max(1000) }), response: z.object({ state: incomingState }) },
  /** "Kiểm tra lại ngay": re-checks the held documents now; answers this one's flag afterwards (null: cleared) and state. */
  'inbox.recheck': { request: z.strictObject({ documentId }), response: z.object({ held: heldSchema.nullable(), state: incomingState }) },
  /** "Trình lãnh đạo": the accepted document goes to the named leader (recorded with the time). */
  'inbox.submit': { request: z.strictObject({ documentId, leader: stepText(200).min(1) }), response: z.object({ state: incomingState }) },
  /** The leader's assignment (unit or person, deadline, opinion): the document is assigned and 04 is queued for the sender. */
  'inbox.assign': {
    request: z.strictObject({ documentId, leader: stepText(200).optional(), handler: stepText(200).min(1), deadline: isoDay, opinion: stepText(2000).optional() }),
    response: z.object({ state: incomingState, statusQueued: z.boolean() }),
  },
  /** "Đang xử lý": 05 queued for the sender. */
  'inbox.progress': { request: z.strictObject({ documentId, note: stepText(2000).optional() }), response: z.object({ state: incomingState, statusQueued: z.boolean() }) },
  /** "Hoàn thành" with an optional result note: 06 queued for the sender. */
  'inbox.done': { request: z.strictObject({ documentId, result: stepText(2000).optional() }), response: z.object({ state: incomingState, statusQueued: z.boolean() }) },
  /** "Gửi lại": the statuses of this document the server refused are queued again. */
  'inbox.retryStatus': { request: z.strictObject({ documentId }), response: z.object({ retried: z.number().int() }) },
  'bulk.candidates': { request: z.strictObject({}), response: z.array(bulkCandidateSchema) },
  /** One PIN for the batch: it goes to the token's login and is never kept. Progress comes as bulk.progress events. */
  'bulk.start': {
    request: z.strictObject({
      documentIds: z.array(documentId).min(1).max(1000),
      token: tokenChoice,
      pin: z.string().min(1).max(64),
      appearance: z.enum(['leader', 'seal', 'attachment']),
      level: signLevel,
    }),
    response: z.object({ runId: z.string() }),
  },
  'bulk.cancel': { request: z.strictObject({ runId: z.string().max(64) }), response: z.object({ cancelled: z.boolean() }) },
  /** Runs the same batch again (after a cancel, a pulled token or a restart): what is signed stays signed. */
  'bulk.resume': { request: z.strictObject({ runId: z.string().max(64), pin: z.string().min(1).max(64) }), response: z.object({ runId: z.string() }) },
  'verify.file': { request: z.strictObject({ name: z.string().min(1).max(255), contentBase64: base64Of(MAX_VERIFY_BYTES).min(4) }), response: verifyReportSchema },
  'settings.get': { request: z.strictObject({}), response: settingsViewSchema },
  'settings.set': {
    request: z.strictObject({
      serverUrl: httpUrl.nullable().optional(),
      tsaUrl: httpUrl.nullable().optional(),
      tokenModules: z.array(z.string().min(1).max(4096)).max(32).optional(),
      language: z.enum(['vi', 'en']).optional(),
      exchangeLogin: tokenChoice.nullable().optional(),
      receiptConfirmation: z.enum(['auto', 'manual']).optional(),
      defaultLevel: signLevel.optional(),
      /** A PNG with a transparent background; null removes the image. */
      signatureImage: base64Of(MAX_IMAGE_BYTES).nullable().optional(),
      sealImage: base64Of(MAX_IMAGE_BYTES).nullable().optional(),
    }),
    response: settingsViewSchema,
  },
  'diagnostics.report': { request: z.strictObject({}), response: diagnosticsSchema },
} as const;

export const exchangeEvents = {
  'sync.changed': syncStateSchema,
  'sync.progress': z.object({
    type: z.enum(['upload', 'sent', 'download', 'received', 'rejected', 'recalled', 'status']),
    documentId: z.number().nullable(),
    messageId: z.string().nullable(),
    name: z.string().nullable(),
    bytesDone: z.number().nullable(),
    bytesTotal: z.number().nullable(),
  }),
  /** New incoming documents stored (for the inbox list and the tray badge). */
  'inbox.arrived': z.object({ count: z.number().int(), documentIds: z.array(z.number().int()) }),
  /** A recipient's status on a document we sent changed (the documents list refreshes that row). */
  'documents.statusChanged': z.object({ documentId: z.number().int(), recipient: z.string(), code: recipientStatus }),
  'bulk.progress': bulkProgressSchema,
} as const;
