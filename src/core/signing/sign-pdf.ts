// Signs a PDF as PAdES: prepare the field (incremental), digest, CMS on the token, timestamp for B-T, embed.
import { VanthuError, isVanthuError } from '../../shared/errors.js';
import type { HashAlgorithm, SignatureAlgorithm } from '../../shared/token.js';
import { buildCmsSignedData, timestampSignature } from '../cms/index.js';
import { embedSignature, preparePdfSignature, digestSignedContent, type SignatureWidget } from '../pdf/index.js';
import type { Signer } from '../token/signer.js';
import type { TrustStore } from '../trust/index.js';
import { upgradeSignatures } from './long-term.js';

export type SigningLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

export interface PdfSigningKey {
  signer: Signer;
  /** The signer's certificate (DER). */
  certificate: Uint8Array;
  /** Intermediate CA certificates to embed so validators can build the chain. */
  chain: Uint8Array[];
  keyType: 'rsa' | 'ec';
}

export interface SignPdfOptions {
  level?: SigningLevel;
  /** Required for B-T and above. */
  tsaUrl?: string;
  /** Required for B-LT and B-LTA: the roots the validation data must chain to. */
  trust?: TrustStore;
  revocationTimeoutMs?: number;
  tsaTimeoutMs?: number;
  hash?: HashAlgorithm;
  /** RSA only: RSASSA-PSS instead of PKCS#1 v1.5 (what most verifiers expect). */
  rsaPss?: boolean;
  widget?: SignatureWidget;
  fieldName?: string;
  reason?: string;
  location?: string;
  name?: string;
  signingTime?: Date;
  signal?: AbortSignal;
}

export interface SignedPdf {
  bytes: Uint8Array;
  fieldName: string;
  /** The level reached; lower than asked when the TSA or the revocation services could not be reached. */
  level: SigningLevel;
  timestampTime: Date | undefined;
  /** The level still to reach later (outbox upgrade job), and why it was not reached now. */
  pending: { level: SigningLevel; reason: { code: string; messageVi: string; messageEn: string } } | undefined;
}

/** Room for the CMS: certificates, the signature, a timestamp token, and a margin. */
export function estimateReservedSize(key: PdfSigningKey, withTimestamp: boolean): number {
  const certificates = key.certificate.length + key.chain.reduce((sum, der) => sum + der.length, 0);
  return certificates + 2048 + (withTimestamp ? 10_240 : 0);
}

const algorithmFor = (key: PdfSigningKey, hash: HashAlgorithm, pss: boolean): SignatureAlgorithm =>
  key.keyType === 'ec' ? { name: 'ECDSA', hash } : pss ? { name: 'RSA-PSS', hash } : { name: 'RSASSA-PKCS1-v1_5', hash };

export async function signPdf(pdf: Uint8Array, key: PdfSigningKey, options: SignPdfOptions = {}): Promise<SignedPdf> {
  const level = options.level ?? 'B-B';
  const hash = options.hash ?? 'SHA-256';
  if (level !== 'B-B' && !options.tsaUrl) throw new VanthuError('BAD_INPUT', { detail: `${level} cần địa chỉ máy chủ dấu thời gian / ${level} needs a TSA URL` });
  if ((level === 'B-LT' || level === 'B-LTA') && !options.trust) throw new VanthuError('BAD_INPUT', { detail: `${level} needs trust roots` });
  let reservedSize = estimateReservedSize(key, level !== 'B-B');
  // A TSA with a long chain can outgrow the estimate: try once more with what was needed.
  for (let attempt = 0; ; attempt++) {
    const prepared = await preparePdfSignature(pdf, {
      reservedSize,
      widget: options.widget,
      fieldName: options.fieldName,
      signingTime: options.signingTime,
      reason: options.reason,
      location: options.location,
      name: options.name,
    });
    // Hashed part by part: a copy of the signed bytes would double the memory for big files.
    const digest = digestSignedContent(prepared, hash);
    let cms = await buildCmsSignedData({
      signer: key.signer,
      certificate: key.certificate,
      chain: key.chain,
      contentDigest: digest,
      digestAlgorithm: hash,
      signatureAlgorithm: algorithmFor(key, hash, options.rsaPss ?? false),
    });
    let timestampTime: Date | undefined;
    let reached: SigningLevel = 'B-B';
    let pending: SignedPdf['pending'];
    if (level !== 'B-B' && options.tsaUrl) {
      try {
        const stamped = await timestampSignature(cms, { url: options.tsaUrl, timeoutMs: options.tsaTimeoutMs, signal: options.signal, hash });
        cms = stamped.cms;
        timestampTime = stamped.timestamp.genTime;
        reached = 'B-T';
      } catch (error) {
        // The signature itself is made (a PIN was spent on it): keep it at B-B and upgrade later.
        if (!isVanthuError(error) || !error.code.startsWith('TSA_')) throw error;
        pending = { level, reason: error.toJSON() };
      }
    }
    let bytes: Uint8Array;
    try {
      // The prepared bytes are ours alone; on a too-small placeholder nothing was written yet.
      bytes = embedSignature(prepared, cms, { inPlace: true });
    } catch (error) {
      if (attempt > 0 || !isVanthuError(error, 'PDF_SIGNATURE_TOO_LARGE')) throw error;
      reservedSize = cms.length + 4096;
      continue;
    }
    if ((level === 'B-LT' || level === 'B-LTA') && reached === 'B-T' && options.tsaUrl && options.trust) {
      try {
        bytes = await upgradeSignatures(bytes, level, {
          tsaUrl: options.tsaUrl,
          tsaTimeoutMs: options.tsaTimeoutMs,
          trust: options.trust,
          revocationTimeoutMs: options.revocationTimeoutMs,
          hash,
          signal: options.signal,
        });
        reached = level;
      } catch (error) {
        if (!isVanthuError(error)) throw error;
        pending = { level, reason: error.toJSON() };
      }
    }
    return { bytes, fieldName: prepared.fieldName, level: reached, timestampTime, pending };
  }
}
