// Strings of the inbox, bulk, verify and settings screens (namespace "exchange"), Vietnamese and English.
export const exchangeMessages = {
  vi: {},
  en: {},
} as const;
