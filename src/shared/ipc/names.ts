// Channel and event names per feature, without schemas: the sandboxed preload bundles only these.

export const APP_CHANNEL_NAMES = ['app.info', 'modules.candidates', 'tokens.list', 'tokens.login', 'tokens.logout'] as const;
export const APP_EVENT_NAMES = ['tokens.changed'] as const;

export const DOCUMENTS_CHANNEL_NAMES = ['documents.list', 'documents.get', 'documents.create', 'documents.updateMetadata', 'documents.addFiles', 'directory.list', 'drafting.render', 'drafting.save', 'drafting.forDocument', 'drafting.convertDocx', 'registers.export', 'reports.verification', 'attention.list', 'attention.get', 'attention.retry', 'attention.cancel', 'attention.resign', 'attention.resend'] as const;
export const DOCUMENTS_EVENT_NAMES = [] as const;

export const SIGNING_CHANNEL_NAMES = ['document.details', 'document.file', 'document.signatures', 'document.send', 'signing.suggestPlacement', 'signing.sign', 'signing.issue', 'certificates.revocation', 'signing.image', 'signing.setImage'] as const;
export const SIGNING_EVENT_NAMES = ['signing.progress'] as const;

export const EXCHANGE_CHANNEL_NAMES = ['sync.status', 'sync.now', 'sync.login', 'inbox.list', 'inbox.get', 'inbox.register', 'inbox.accept', 'inbox.reject', 'inbox.recheck', 'inbox.submit', 'inbox.assign', 'inbox.progress', 'inbox.done', 'inbox.retryStatus', 'bulk.candidates', 'bulk.start', 'bulk.cancel', 'bulk.resume', 'verify.file', 'settings.get', 'settings.set', 'diagnostics.report'] as const;
export const EXCHANGE_EVENT_NAMES = ['sync.changed', 'sync.progress', 'inbox.arrived', 'documents.statusChanged', 'bulk.progress'] as const;

export const LOCAL_SERVICE_CHANNEL_NAMES = ['localService.status', 'localService.configure', 'localService.trustCa', 'localService.answerOrigin', 'localService.preview', 'localService.answerSigning'] as const;
export const LOCAL_SERVICE_EVENT_NAMES = ['localService.originRequest', 'localService.signingRequest', 'localService.requestClosed', 'localService.changed'] as const;

export const TRUST_CHANNEL_NAMES = ['trust.list', 'trust.setBundledEnabled', 'trust.addRoot', 'trust.removeRoot'] as const;
export const TRUST_EVENT_NAMES = [] as const;

export const DEMO_CHANNEL_NAMES = ['demo.status', 'demo.start', 'demo.leave'] as const;
export const DEMO_EVENT_NAMES = [] as const;
