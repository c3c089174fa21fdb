// Strings of the document page: viewer, signatures, sign dialog, issue and send (namespace "signing"), Vietnamese and English.
export const signingMessages = {
  vi: {},
  en: {},
} as const;
