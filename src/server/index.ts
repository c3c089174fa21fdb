// Public face of the exchange server: build it, open its database, administer its directory, verify its audit log.
export { buildServer } from './app.js';
export type { ServerConfig, ServerLimits } from './config.js';
export { openServerDatabase, parseDatabaseUrl, type ServerDatabase, type SqlDialectName } from './db/connect.js';
export { addAgency, addCertificateRule, listAgencies, removeAgency, getAgency, assertOrganId, recognise, type AgencyInput, type AgencyRecord, type RuleInput } from './directory/agencies.js';
export { applyBootstrap, bootstrapFile, type BootstrapFile } from './directory/bootstrap.js';
export { verifyAuditLog, type AuditVerification } from './audit/audit-log.js';
export { ephemeralReceiptKey, loadOrCreateReceiptKey, loadReceiptKey, receiptKeyFrom, type ReceiptKey } from './messages/receipt-key.js';
export { receiptVerifies } from './messages/receipts.js';
export { exportMessage, exportStatus } from './edxml/export-message.js';
export { importEdxml, importedMessageId, findByDocumentId, type ImportResult, type DocumentImportResult, type StatusImportResult } from './edxml/import-package.js';
export { resolveConfig, type ResolvedConfig } from './config.js';
export { Poker } from './events/poke.js';
export { SubmissionRefused } from './http-errors.js';
export { closeGracefully, type ShutdownOutcome } from './shutdown.js';
export { tuneHeapForServer } from './heap-tuning.js';
export { AxisConnector, AxisClient, axisHeaders, axisMac, axisRequestVerifies, type AxisConnectorOptions, type AxisSettings, type RoundReport } from './axis/index.js';
