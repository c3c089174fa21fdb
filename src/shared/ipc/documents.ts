// IPC channels of the document registers: lists, search, compose (metadata and files), and the cached agency directory.

// Owned by the documents/signing feature. Each channel: { request, response } zod schemas; names also go in ./names.ts.
export const documentsChannels = {} as const;

export const documentsEvents = {} as const;
