// IPC channels of one document's page: its files for the viewer, existing signatures, signing on the token, issuing (number + seal) and sending.
import { z } from 'zod';

/** The largest file the viewer gets over IPC; base64 makes it a third bigger on the wire. */
export const MAX_VIEW_FILE_BYTES = 64 * 1024 * 1024;
const MAX_BASE64_CHARS = Math.ceil(MAX_VIEW_FILE_BYTES / 3) * 4;

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const fileRole = z.enum(['main', 'appendix', 'attachment']);
const signatureKind = z.enum(['none', 'leader', 'seal', 'attachment', 'copy']);
const storedLevel = z.enum(['none', 'B-B', 'B-T', 'B-LT', 'B-LTA']);
export const signingLevelSchema = z.enum(['B-B', 'B-T', 'B-LT', 'B-LTA']);
export const signingAppearanceSchema = z.enum(['leader', 'seal', 'attachment', 'copy']);
export type SigningAppearance = z.infer<typeof signingAppearanceSchema>;
export type SigningLevelChoice = z.infer<typeof signingLevelSchema>;

/** [x, y, width, height] in PDF points from the page's lower left corner (PDF user space). */
const rect = z.tuple([z.number().min(0).max(20_000), z.number().min(0).max(20_000), z.number().min(4).max(5_000), z.number().min(4).max(5_000)]);
const bilingual = z.object({ vi: z.string(), en: z.string() });

const revision = z.object({
  revision: z.number().int(),
  size: z.number().int(),
  signatureKind,
  signatureLevel: storedLevel,
  signer: z.string().nullable(),
  createdAt: z.number(),
});

export const documentFileSchema = z.object({ id: z.number().int(), role: fileRole, name: z.string(), revisions: z.array(revision) });

const tokenRef = z.strictObject({ modulePath: z.string().min(1).max(4096), serial: z.string().max(64), label: z.string().max(64) });
// The PIN crosses IPC once, goes to the token, and is never logged or kept.
const pin = z.string().min(1).max(64);
const certificateId = z.string().min(1).max(256);

/** One signature of the report, in the words the panel shows. */
export const signatureSummarySchema = z.object({
  index: z.number().int(),
  kind: z.enum(['signature', 'document-timestamp']),
  fieldName: z.string(),
  signer: z.string().optional(),
  organization: z.string().optional(),
  issuer: z.string().optional(),
  claimedSigningTime: z.string().optional(),
  timestampTime: z.string().optional(),
  level: z.enum(['B-B', 'B-T', 'B-LT', 'B-LTA', 'unknown']),
  /** Digest and signature value both check out. */
  intact: z.boolean(),
  coversWholeDocument: z.boolean(),
  laterRevisions: z.number().int(),
  trusted: z.boolean(),
  revocation: z.enum(['good', 'revoked', 'unknown']),
  verdict: z.enum(['valid', 'invalid', 'indeterminate']),
  findings: z.array(z.object({ severity: z.enum(['error', 'warning', 'info']), text: bilingual })),
});
export type SignatureSummary = z.infer<typeof signatureSummarySchema>;

const report = z.object({
  verdict: z.enum(['valid', 'invalid', 'indeterminate', 'unsigned']),
  summary: bilingual,
  signatures: z.array(signatureSummarySchema),
});

const documentRef = z.strictObject({ documentId: id });

const MAX_CERTIFICATE_BASE64 = 64 * 1024;
// A signature image is small; 2 MB of PNG is already generous.
const MAX_IMAGE_BASE64 = Math.ceil((2 * 1024 * 1024) / 3) * 4;
const sha256Hex = z.string().regex(/^[0-9a-fA-F]{64}$/);

/** good / revoked / unknown (could not tell: offline, no answer, no trusted chain). */
export const certificateRevocationSchema = z.object({
  sha256: z.string(),
  status: z.enum(['good', 'revoked', 'unknown']),
  revokedAt: z.string().nullable(),
});
export type CertificateRevocation = z.infer<typeof certificateRevocationSchema>;

/** One certificate's signature image: its own, else the machine-wide one; a problem (missing file, not transparent) is said here, before any PIN. */
export const signatureImageSchema = z.object({
  image: z.object({ pngBase64: z.string(), perCertificate: z.boolean() }).nullable(),
  problem: bilingual.nullable(),
});
export type SignatureImageView = z.infer<typeof signatureImageSchema>;

export const signingChannels = {
  'document.details': {
    request: documentRef,
    response: z.object({
      id: z.number().int(),
      direction: z.enum(['outgoing', 'incoming']),
      state: z.string(),
      subject: z.string(),
      typeName: z.string().optional(),
      organId: z.string().optional(),
      organName: z.string().optional(),
      codeNumber: z.string().optional(),
      codeNotation: z.string().optional(),
      issuedDate: z.string().optional(),
      signerFullName: z.string().optional(),
      signerPosition: z.string().optional(),
      recipients: z.array(z.object({ organId: z.string(), organName: z.string(), status: z.string().nullable() })),
      files: z.array(documentFileSchema),
      /** Sent, and the exchange server warned that this agency's same number and ký hiệu went out before. */
      duplicateNumberWarning: z.boolean().optional(),
    }),
  },
  'document.file': {
    request: z.strictObject({ documentId: id, fileId: id, revision: z.number().int().positive().max(1_000_000).optional() }),
    response: z.object({ name: z.string(), revision: z.number().int(), size: z.number().int(), contentBase64: z.string().max(MAX_BASE64_CHARS) }),
  },
  'document.signatures': {
    request: z.strictObject({ documentId: id, fileId: id }),
    response: report,
  },
  'document.send': {
    /** again: a new sending of files these recipients already received (the user confirmed "Gửi lại lần nữa?"). */
    request: z.strictObject({ documentId: id, again: z.boolean().optional() }),
    response: z.object({ messageId: z.string(), state: z.string() }),
  },
  'signing.suggestPlacement': {
    request: z.strictObject({ documentId: id, fileId: id.optional(), appearance: signingAppearanceSchema, signerName: z.string().min(1).max(200).optional() }),
    response: z.object({ page: z.number().int().positive(), rect, pageSize: z.object({ width: z.number(), height: z.number() }) }),
  },
  'signing.sign': {
    request: z.strictObject({
      documentId: id,
      fileId: id.optional(),
      token: tokenRef,
      certificateId,
      pin,
      appearance: signingAppearanceSchema,
      level: signingLevelSchema,
      page: z.number().int().positive().max(100_000).optional(),
      rect: rect.optional(),
      /** Copy stamp: SAO Y (default), SAO LỤC or TRÍCH SAO. */
      copyType: z.enum(['SAO Y', 'SAO LỤC', 'TRÍCH SAO']).optional(),
      /** Leader: no signature image, the text-only stamp (the signer's name and the signing time) instead. */
      textOnly: z.boolean().optional(),
    }),
    response: z.object({
      revision: z.number().int(),
      level: storedLevel,
      pendingLevel: storedLevel.nullable(),
      state: z.string(),
      codeNumber: z.string().optional(),
      issuedDate: z.string().optional(),
      report: z.object({ verdict: report.shape.verdict, summary: bilingual }),
    }),
  },
  'signing.issue': {
    request: z.strictObject({ documentId: id, token: tokenRef, certificateId, pin, level: signingLevelSchema.default('B-B') }),
    response: z.object({
      revision: z.number().int(),
      level: storedLevel,
      pendingLevel: storedLevel.nullable(),
      state: z.string(),
      codeNumber: z.string(),
      issuedDate: z.string(),
      report: z.object({ verdict: report.shape.verdict, summary: bilingual }),
    }),
  },
  /** Revocation of token certificates (DER, base64) by the certificate pickers: OCSP/CRL through the kept answers, in main. */
  'certificates.revocation': {
    request: z.strictObject({ certificates: z.array(z.string().min(4).max(MAX_CERTIFICATE_BASE64)).min(1).max(64) }),
    response: z.array(certificateRevocationSchema),
  },
  /** The signature image of one certificate (by its SHA-256), checked: shown before the PIN is asked. */
  'signing.image': { request: z.strictObject({ certificateSha256: sha256Hex }), response: signatureImageSchema },
  /** Chooses (PNG with a transparent background, checked) or removes (null) one certificate's signature image. */
  'signing.setImage': {
    request: z.strictObject({ certificateSha256: sha256Hex, pngBase64: z.string().min(4).max(MAX_IMAGE_BASE64).nullable() }),
    response: signatureImageSchema,
  },
} as const;

export const signingEvents = {
  /** Where a signature is: checking the certificate, on the token, stored. Never carries the PIN. */
  'signing.progress': z.object({ documentId: z.number().int(), step: z.enum(['certificate', 'login', 'signing', 'stored']) }),
} as const;
