// Channel and event names per feature, without schemas: the sandboxed preload bundles only these.

export const APP_CHANNEL_NAMES = ['app.info', 'modules.candidates', 'tokens.list', 'tokens.login', 'tokens.logout'] as const;
export const APP_EVENT_NAMES = ['tokens.changed'] as const;

export const DOCUMENTS_CHANNEL_NAMES = [] as const;
export const DOCUMENTS_EVENT_NAMES = [] as const;

export const SIGNING_CHANNEL_NAMES = [] as const;
export const SIGNING_EVENT_NAMES = [] as const;

export const EXCHANGE_CHANNEL_NAMES = [] as const;
export const EXCHANGE_EVENT_NAMES = [] as const;
