// IPC channels of outgoing work: document registers, compose, files for the viewer, directory, signing, issuing and sending.

// Owned by the documents/signing feature. Each channel: { request, response } zod schemas; names also go in ./names.ts.
export const documentsChannels = {} as const;

export const documentsEvents = {} as const;
