// IPC of the local signing service for web pages: turning it on (with consent), its status, the origin question, the per-signing confirmation.
import { z } from 'zod';

const origin = z.string().min(1).max(512);
const requestId = z.string().min(1).max(64);
const tokenChoice = z.strictObject({ module: z.string().min(1).max(4096), label: z.string().max(64).optional(), serial: z.string().max(64).optional(), cert: z.string().min(1).max(256) });

export const localServiceStatusSchema = z.object({
  enabled: z.boolean(),
  running: z.boolean(),
  port: z.number().int(),
  /** Why it is not running although enabled (port taken, no token chosen), in Vietnamese and English. */
  problem: z.object({ vi: z.string(), en: z.string() }).optional(),
  allowedOrigins: z.array(z.string()),
  refusedOrigins: z.array(z.string()),
  signingToken: tokenChoice.nullable(),
  caFingerprint: z.string().optional(),
  /** Whether Chromium's NSS database on this machine trusts the local CA ('unknown' off Linux). */
  caTrust: z.enum(['trusted', 'not-trusted', 'unknown']),
  statusPageUrl: z.string(),
});
export type LocalServiceStatus = z.infer<typeof localServiceStatusSchema>;

/** What the user sees before a web page's signing, then answers with the PIN or a cancel. */
export const localSigningRequestSchema = z.object({
  requestId,
  origin: z.string(),
  operation: z.string(),
  /** The flow in Vietnamese ("Ký duyệt (chữ ký của lãnh đạo)"). */
  flow: z.string(),
  fileName: z.string(),
  documentSha256: z.string(),
  certificateSubject: z.string(),
  /** Where the stamp goes, in words. */
  position: z.string(),
  documentNumber: z.string().optional(),
  batch: z.array(z.object({ fileName: z.string(), documentSha256: z.string() })).optional(),
  /**
   * Set when the same signing is asked again because the PIN was wrong (as the app's sign dialog
   * does): how many wrong PINs so far, and the tries left when the token tells (1: the final try).
   */
  wrongPin: z.object({ count: z.number().int().min(1), triesLeft: z.union([z.literal(1), z.literal('few')]).optional() }).optional(),
});
export type LocalSigningRequest = z.infer<typeof localSigningRequestSchema>;

export const localServiceChannels = {
  'localService.status': { request: z.strictObject({}), response: localServiceStatusSchema },
  /**
   * Turns the service on or off. Turning it on needs `consent: true`: the user agreed that web
   * pages they allow may ask this app to sign.
   */
  'localService.configure': {
    request: z.strictObject({
      enabled: z.boolean().optional(),
      consent: z.boolean().optional(),
      port: z.number().int().min(1024).max(65535).optional(),
      signingToken: tokenChoice.nullable().optional(),
      allowedOrigins: z.array(origin).max(200).optional(),
      refusedOrigins: z.array(origin).max(200).optional(),
    }),
    response: localServiceStatusSchema,
  },
  /** Adds the local CA to Chromium's NSS database (Linux), after the user agreed. */
  'localService.trustCa': { request: z.strictObject({ consent: z.literal(true) }), response: localServiceStatusSchema },
  'localService.answerOrigin': { request: z.strictObject({ requestId, decision: z.enum(['once', 'always', 'never']) }), response: z.object({ ok: z.boolean() }) },
  /** The document of a pending signing, for the pdf.js preview. */
  'localService.preview': { request: z.strictObject({ requestId }), response: z.object({ base64: z.string() }) },
  /** Approve with the PIN (it goes to the token and is not kept), or cancel. */
  'localService.answerSigning': {
    request: z.strictObject({ requestId, approve: z.boolean(), pin: z.string().min(1).max(64).optional() }),
    response: z.object({ ok: z.boolean() }),
  },
} as const;

export const localServiceEvents = {
  /** A page from an origin not decided yet asks: "Trang … muốn dùng chữ ký số của bạn". */
  'localService.originRequest': z.object({ requestId, origin: z.string() }),
  'localService.signingRequest': localSigningRequestSchema,
  /** A pending question was answered elsewhere or timed out: close its dialog. */
  'localService.requestClosed': z.object({ requestId }),
  'localService.changed': localServiceStatusSchema,
} as const;
