// The store's public API: open a data folder, then plain query functions over its typed db handle.
export { open, databaseFile, type Store, type OpenStoreOptions } from './store.js';
export { openDatabase, type OpenDatabaseOptions } from './database.js';
export type { Db } from './db-types.js';
export { runMigrations, schemaVersion, type Migration } from './migrate.js';
export { migrations, latestVersion } from './migrations/index.js';
export { BlobStore, sha256Hex, type BlobRef } from './blobs.js';
export { flushCommits, withoutFsync } from './durability.js';
export {
  createDocument,
  updateMetadata,
  getDocument,
  getHistory,
  listDocuments,
  findDuplicates,
  parseMetadata,
  type CreatedDocument,
  type DocumentRecord,
  type DocumentSummary,
  type HistoryEntry,
  type ListOptions,
  type Page,
  type RecipientRecord,
} from './documents.js';
export { addFile, addRevision, listFiles, readLatest, recordBlob, type FileRecord, type NewRevision, type RevisionRecord } from './files.js';
export { transition, setRecipientStatus, type TransitionOptions } from './workflow.js';
export {
  assignOutgoingNumber,
  registerIncoming,
  registerNumbers,
  vietnamDate,
  type AssignedNumber,
  type RegisteredIncoming,
  type RegisterKind,
} from './registers.js';
export { recordNumberedElsewhere, type NumberedElsewhere, type RecordedNumberedElsewhere } from './numbered-elsewhere.js';
export { countInStates, AWAITING_ANSWER } from './counts.js';
export { SqliteRevocationCache } from './revocation-cache.js';
export { searchDocuments, toMatchQuery, type SearchOptions } from './search.js';
export { checkIntegrity, type BlobProblem, type IntegrityOptions, type IntegrityReport } from './integrity.js';
export { createDraft, saveDraft, getDraft, linkDraftToDocument, findDraftForDocument, type DraftVersionRecord } from './drafts.js';
export { JsonFileSettingsStore, type SettingsLoadProblem, type SettingsStore } from './settings.js';
export {
  submitToLeader,
  recordAssignment,
  markProcessing,
  markDone,
  listSteps,
  currentAssignment,
  STEP_LIMITS,
  type AssignmentInput,
  type IncomingStep,
  type IncomingStepRecord,
} from './incoming-steps.js';
export { inboxFilterCounts, listInboxFiltered, MAX_FILTERED, type InboxFilter } from './inbox-filters.js';
