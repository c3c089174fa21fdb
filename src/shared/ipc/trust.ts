// IPC of the trusted roots screen: the bundled and the user's roots with their facts, turning bundled ones off, adding and removing the user's.
import { z } from 'zod';

/** SHA-256 of the certificate's DER, bare lower-case hex (colons and case forgiven on the way in). */
const fingerprint = z
  .string()
  .transform((text) => text.replace(/[:\s]/g, '').toLowerCase())
  .pipe(z.string().regex(/^[0-9a-f]{64}$/));

export const trustRootViewSchema = z.object({
  subjectName: z.string(),
  /** dd/MM/yyyy in Vietnam time. */
  validFrom: z.string(),
  validTo: z.string(),
  fingerprint: z.string(),
  selfSigned: z.boolean(),
});
export type TrustRootView = z.infer<typeof trustRootViewSchema>;

export const bundledRootViewSchema = trustRootViewSchema.extend({
  /** A NEAC service root seen in too few sources: trusted, with a note on every report. */
  provisional: z.boolean(),
  enabled: z.boolean(),
});
export type BundledRootView = z.infer<typeof bundledRootViewSchema>;

export const extraRootViewSchema = trustRootViewSchema.extend({ file: z.string() });
export type ExtraRootView = z.infer<typeof extraRootViewSchema>;

export const trustListSchema = z.object({ bundled: z.array(bundledRootViewSchema), extra: z.array(extraRootViewSchema) });
export type TrustList = z.infer<typeof trustListSchema>;

export const trustChannels = {
  'trust.list': { request: z.strictObject({}), response: trustListSchema },
  'trust.setBundledEnabled': { request: z.strictObject({ fingerprint, enabled: z.boolean() }), response: trustListSchema },
  /** A CA certificate, PEM or DER, base64: main checks it, keeps a copy in the data folder and trusts it. */
  'trust.addRoot': { request: z.strictObject({ certificateBase64: z.string().min(1).max(2_000_000) }), response: trustListSchema },
  'trust.removeRoot': { request: z.strictObject({ fingerprint }), response: trustListSchema },
} as const;

export const trustEvents = {} as const;
