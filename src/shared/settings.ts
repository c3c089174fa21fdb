// User settings (server, TSA, token modules, signature and seal images, language): the zod schema and defaults.
import { z } from 'zod';
import { authorityPrefixes } from './draft.js';

const httpUrl = z.url({ protocol: /^https?$/ });

/** What a new document's drafting form starts with (our agency, the place, the usual signer); the demo sets them, the clerk may too. */
export const draftDefaultsSchema = z.strictObject({
  parentOrganName: z.string().max(200).optional(),
  organName: z.string().max(200).optional(),
  organId: z.string().max(40).optional(),
  codeNotation: z.string().max(60).optional(),
  issuedPlace: z.string().max(100).optional(),
  authority: z.enum(authorityPrefixes).optional(),
  onBehalfOf: z.string().max(200).optional(),
  position: z.string().max(200).optional(),
  fullName: z.string().max(200).optional(),
});
export type DraftDefaults = z.infer<typeof draftDefaultsSchema>;

// Strict: an unknown key is refused, so nothing (a PIN above all) can ride along into the settings file.
export const settingsSchema = z.strictObject({
  serverUrl: httpUrl.nullable(),
  tsaUrl: httpUrl.nullable(),
  /** PKCS#11 module paths, tried in order. */
  tokenModules: z.array(z.string().min(1)),
  signatureImagePath: z.string().min(1).nullable(),
  sealImagePath: z.string().min(1).nullable(),
  language: z.enum(['vi', 'en']),
  // Added later, so optional: a settings file from an earlier version still loads (read them with settingsOrDefault).
  /** The token certificate that logs in to the exchange server (the agency's); the PIN is asked when needed, never kept. */
  exchangeLogin: z.strictObject({ module: z.string().min(1), label: z.string().optional(), serial: z.string().optional(), cert: z.string().min(1) }).nullable().optional(),
  /** Confirming receipt: 'manual' sends 01 on arrival and 03 when a person accepts; 'auto' sends both on arrival. */
  receiptConfirmation: z.enum(['auto', 'manual']).optional(),
  /** Raise a document signed below B-LT to B-LT before sending it, so recipients need no network (default: on when a TSA is set). */
  longTermBeforeSend: z.boolean().optional(),
  /** The signing level offered first. */
  defaultLevel: z.enum(['B-B', 'B-T', 'B-LT', 'B-LTA']).optional(),
  /** The signing service for web e-office pages (wss://127.0.0.1:port): off until the user turns it on and consents. */
  localService: z
    .strictObject({
      enabled: z.boolean(),
      port: z.number().int().min(1024).max(65535),
      allowedOrigins: z.array(z.string()),
      refusedOrigins: z.array(z.string()),
      signingToken: z.strictObject({ module: z.string().min(1), label: z.string().optional(), serial: z.string().optional(), cert: z.string().min(1) }).nullable(),
    })
    .optional(),
  /** Files of extra root certificates the user trusts, beside the bundled Vietnamese roots. */
  extraTrustRoots: z.array(z.string().min(1)).optional(),
  /** Bundled certificates the user turned off: SHA-256 fingerprints (colons allowed) or file names. */
  disabledBundledRoots: z.array(z.string().min(1)).optional(),
  /** A signature image per certificate: the certificate's SHA-256 (hex, lower case) to the PNG's path. */
  signatureImages: z.record(z.string().regex(/^[0-9a-f]{64}$/), z.string().min(1)).optional(),
  /** What a new document's drafting form starts with (our agency, the place, the usual signer); the demo sets them, the clerk may too. */
  draftDefaults: draftDefaultsSchema.optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const settingsPatchSchema = settingsSchema.partial();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export const defaultSettings: Settings = {
  serverUrl: null,
  tsaUrl: null,
  tokenModules: [],
  signatureImagePath: null,
  sealImagePath: null,
  language: 'vi',
};

/** The later, optional settings with their defaults filled in. */
export function settingsOrDefault(settings: Settings): Settings & Required<Pick<Settings, 'exchangeLogin' | 'receiptConfirmation' | 'defaultLevel'>> {
  return { ...settings, exchangeLogin: settings.exchangeLogin ?? null, receiptConfirmation: settings.receiptConfirmation ?? 'manual', defaultLevel: settings.defaultLevel ?? 'B-T' };
}
