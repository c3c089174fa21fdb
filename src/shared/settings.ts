// User settings (server, TSA, token modules, signature and seal images, language): the zod schema and defaults.
import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/ });

// Strict: an unknown key is refused, so nothing (a PIN above all) can ride along into the settings file.
export const settingsSchema = z.strictObject({
  serverUrl: httpUrl.nullable(),
  tsaUrl: httpUrl.nullable(),
  /** PKCS#11 module paths, tried in order. */
  tokenModules: z.array(z.string().min(1)),
  signatureImagePath: z.string().min(1).nullable(),
  sealImagePath: z.string().min(1).nullable(),
  language: z.enum(['vi', 'en']),
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
