// IPC channels of incoming work and the rest: inbox, bulk signing, verify, settings, diagnostics, sync status.

// Owned by the exchange/inbox feature. Each channel: { request, response } zod schemas; names also go in ./names.ts.
export const exchangeChannels = {} as const;

export const exchangeEvents = {} as const;
