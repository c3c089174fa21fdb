// IPC channels of one document's page: its files for the viewer, existing signatures, signing on the token, issuing (number + seal) and sending.

// Owned by the signing feature. Each channel: { request, response } zod schemas; names also go in ./names.ts.
export const signingChannels = {} as const;

export const signingEvents = {} as const;
