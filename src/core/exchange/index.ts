// The exchange client's public API: client, send, inbox pull, status feed, directory cache.
export { ExchangeClient, needsLogin, type Agency, type ExchangeClientOptions, type LoginKey } from './client.js';
export { isTransient } from './http.js';
export { uuidV7, statusEventId } from './ids.js';
export { verifyReceipt, type ServerKey } from './receipt.js';
export { sendMessage, uploadFiles, envelopeOf, type OutgoingFile, type OutgoingMessage, type SendResult } from './send.js';
export { pullInbox, replyToSender, type PullOptions, type PullResult } from './inbox.js';
export { pollStatusFeed } from './status.js';
export { syncDirectory } from './directory.js';
export { cachedDirectory, findMessage, getCursor, storedUploadLocations, type UploadLocations } from './records.js';
export type { UploadResult } from './upload.js';
export { enqueueSend, exchangeHooks, protocolMetadata, type ExchangeHooksOptions, type SendPayload } from './outbox-jobs.js';
