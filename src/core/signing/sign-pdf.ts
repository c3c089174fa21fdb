// Signs a PDF as PAdES: prepare the field (incremental), digest, CMS on the token, timestamp for B-T, embed.
import { createHash } from 'node:crypto';
import { VanthuError, isVanthuError } from '../../shared/errors.js';
import type { HashAlgorithm, SignatureAlgorithm } from '../../shared/token.js';
import { buildCmsSignedData, timestampSignature } from '../cms/index.js';
import { embedSignature, preparePdfSignature, signedContent, type SignatureWidget } from '../pdf/index.js';
import type { Signer } from '../token/signer.js';

export type SigningLevel = 'B-B' | 'B-T';

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
  /** Required for B-T. */
  tsaUrl?: string;
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
  level: SigningLevel;
  timestampTime: Date | undefined;
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
  let reservedSize = estimateReservedSize(key, level === 'B-T');
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
    const digest = createHash(hash.replace('-', '').toLowerCase()).update(signedContent(prepared)).digest();
    let cms = await buildCmsSignedData({
      signer: key.signer,
      certificate: key.certificate,
      chain: key.chain,
      contentDigest: digest,
      digestAlgorithm: hash,
      signatureAlgorithm: algorithmFor(key, hash, options.rsaPss ?? false),
    });
    let timestampTime: Date | undefined;
    if (level === 'B-T') {
      if (!options.tsaUrl) throw new VanthuError('BAD_INPUT', { detail: 'B-T cần địa chỉ máy chủ dấu thời gian / B-T needs a TSA URL' });
      const stamped = await timestampSignature(cms, { url: options.tsaUrl, timeoutMs: options.tsaTimeoutMs, signal: options.signal, hash });
      cms = stamped.cms;
      timestampTime = stamped.timestamp.genTime;
    }
    try {
      return { bytes: embedSignature(prepared, cms), fieldName: prepared.fieldName, level, timestampTime };
    } catch (error) {
      if (attempt > 0 || !isVanthuError(error, 'PDF_SIGNATURE_TOO_LARGE')) throw error;
      reservedSize = cms.length + 4096;
    }
  }
}
