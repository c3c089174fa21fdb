// Strings of the documents, compose, viewer and signing screens (namespace "documents"), Vietnamese and English.
export const documentsMessages = {
  vi: {},
  en: {},
} as const;
