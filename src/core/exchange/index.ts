// The exchange client's public API: the engine (online signal, progress), client, send/recall, inbox pull, status feed, directory cache.
export { ExchangeClient, needsLogin, type Agency, type ExchangeClientOptions, type LoginKey, type SubmissionWarning } from './client.js';
export { CircuitBreaker, type CircuitOptions, type CircuitState } from './circuit.js';
export { ExchangeEngine, type ExchangeEngineEvents, type ExchangeEngineOptions, type Pokeable } from './engine.js';
export { serverEvents } from './events.js';
export { planSendLane, tsaReachable, type SendLaneOptions, type SendLanePlan } from './upgrade-gate.js';
export { enqueueLongTermBeforeSend, type LongTermBeforeSend } from './long-term-before-send.js';
export type { ExchangeProgress, ProgressListener } from './progress.js';
export { isTransient } from './http.js';
export { sendMessageId, statusEventId, uuidV7, type SendIdentity } from './ids.js';
export { verifyReceipt, type ServerKey } from './receipt.js';
export { sendMessage, uploadFiles, envelopeOf, type OutgoingFile, type OutgoingMessage, type SendResult } from './send.js';
export { decideIncoming, type IncomingDecision } from './verdict-policy.js';
export {
  flagHeld, heldDocument, judgeFile, judgeFiles, listHeld, recheckDelay, recheckHeld, RECHECK_BASE_MS, RECHECK_MAX_MS, type HeldDocument, type RecheckOptions, type RecheckResult, type RecheckTrigger,
} from './held.js';
export { pullInbox, REPLIES_IN_FLIGHT, replyToSender, type PullOptions, type PullResult } from './inbox.js';
export { pollStatusFeed } from './status.js';
export { syncDirectory } from './directory.js';
export { cachedDirectory, findMessage, getCursor, storedUploadLocations, type UploadLocations } from './records.js';
export type { UploadResult } from './upload.js';
export {
  enqueueSend, enqueueRecall, exchangeHooks, protocolMetadata, sendLane, SEND_MAX_ATTEMPTS, type EnqueueSendOptions, type ExchangeHooksOptions, type SendPayload,
} from './outbox-jobs.js';
export {
  enqueueStatus, pendingStatuses, recordProcessingStep, retryStatuses, statusHook, statusLane, STATUS_JOB_KIND, STATUS_MAX_ATTEMPTS, type PendingStatus, type ProcessingStep, type StatusJobPayload,
} from './processing-status.js';
export {
  ATTENTION_IDS_SQL, attentionOf, listAttention, shortReasons, retryAttention, cancelAttention, resendTo, backToSigning, contactsOf, type AttentionView, type RecipientContact,
} from './attention.js';
export { attentionActions, causeOf, causeOfCode, causes, wordsFor, shortLine, type AttentionAction, type CauseId, type CauseFacts, type CauseWords } from './attention-words.js';
export { DUPLICATE_NUMBER_REASON, sameNumberReceived, sentWithDuplicateNumber, warnsDuplicateNumber } from './duplicate-number.js';
