// Signs a PDF as PAdES: prepare the field (incremental), digest, CMS on the token, timestamp for B-T, embed; in memory or straight to a file.
import { VanthuError, isVanthuError } from '../../shared/errors.js';
import type { HashAlgorithm, SignatureAlgorithm } from '../../shared/token.js';
import { buildCmsSignedData, timestampSignature } from '../cms/index.js';
import {
  contentsPatch,
  digestSignedContent,
  embedSignature,
  GrowingPdf,
  openPreparedFile,
  preparedLength,
  preparePdfSignature,
  signedUpdate,
  type PreparedPdfSignature,
  type SignatureWidget,
} from '../pdf/index.js';
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

/** What signing the PDF to a file returns: the same facts as SignedPdf, without the bytes. */
export type SignedPdfFile = Omit<SignedPdf, 'bytes'> & {
  /** Bytes written to the output. */
  size: number;
};

interface SignatureMade {
  prepared: PreparedPdfSignature;
  cms: Uint8Array;
  level: SigningLevel;
  timestampTime: Date | undefined;
  pending: SignedPdf['pending'];
}

function checkOptions(level: SigningLevel, options: SignPdfOptions): void {
  if (level !== 'B-B' && !options.tsaUrl) throw new VanthuError('BAD_INPUT', { detail: `${level} cần địa chỉ máy chủ dấu thời gian / ${level} needs a TSA URL` });
  if ((level === 'B-LT' || level === 'B-LTA') && !options.trust) throw new VanthuError('BAD_INPUT', { detail: `${level} needs trust roots` });
}

/**
 * Prepares the field, hashes the signed parts, signs on the token and, for B-T, timestamps the
 * signature. `alongside` runs while the token and the TSA work (writing the file to disk).
 */
async function makeSignature(
  pdf: Uint8Array,
  key: PdfSigningKey,
  options: SignPdfOptions,
  reservedSize: number,
  alongside?: (prepared: PreparedPdfSignature) => Promise<void>,
): Promise<SignatureMade> {
  const level = options.level ?? 'B-B';
  const hash = options.hash ?? 'SHA-256';
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
  const writing = alongside?.(prepared) ?? Promise.resolve();
  try {
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
    await writing;
    return { prepared, cms, level: reached, timestampTime, pending };
  } catch (error) {
    await writing.catch(() => undefined);
    throw error;
  }
}

/** A TSA with a long chain can outgrow the estimate: the first try tells how much room is needed. */
const outgrew = (made: SignatureMade, attempt: number): boolean => attempt === 0 && made.cms.length > made.prepared.reservedSize;

/**
 * Raises a B-T signature to B-LT or B-LTA when asked; what could not be reached is left pending.
 * `bytes` (a plain array or a GrowingPdf holding the signed file) is what the upgrade builds on.
 */
async function upgradeIfAsked(bytes: Uint8Array | GrowingPdf, made: SignatureMade, options: SignPdfOptions): Promise<{ bytes: Uint8Array; upgraded: boolean; level: SigningLevel; pending: SignedPdf['pending'] }> {
  const level = options.level ?? 'B-B';
  // A B-LTA whose last step failed may have appended the DSS already: what is returned then is the file before.
  const before = bytes instanceof GrowingPdf ? bytes.size : bytes.length;
  const asIs = (): Uint8Array => (bytes instanceof GrowingPdf ? bytes.bytes.subarray(0, before) : bytes);
  if (!((level === 'B-LT' || level === 'B-LTA') && made.level === 'B-T' && options.tsaUrl && options.trust)) return { bytes: asIs(), upgraded: false, level: made.level, pending: made.pending };
  try {
    const upgraded = await upgradeSignatures(bytes, level, {
      tsaUrl: options.tsaUrl,
      tsaTimeoutMs: options.tsaTimeoutMs,
      trust: options.trust,
      revocationTimeoutMs: options.revocationTimeoutMs,
      hash: options.hash ?? 'SHA-256',
      signal: options.signal,
    });
    return { bytes: upgraded, upgraded: true, level, pending: made.pending };
  } catch (error) {
    if (!isVanthuError(error)) throw error;
    return { bytes: asIs(), upgraded: false, level: made.level, pending: { level, reason: error.toJSON() } };
  }
}

export async function signPdf(pdf: Uint8Array, key: PdfSigningKey, options: SignPdfOptions = {}): Promise<SignedPdf> {
  const level = options.level ?? 'B-B';
  checkOptions(level, options);
  let reservedSize = estimateReservedSize(key, level !== 'B-B');
  for (let attempt = 0; ; attempt++) {
    const made = await makeSignature(pdf, key, options, reservedSize);
    if (outgrew(made, attempt)) {
      reservedSize = made.cms.length + 4096;
      continue;
    }
    const upgraded = await upgradeIfAsked(embedSignature(made.prepared, made.cms), made, options);
    return { bytes: upgraded.bytes, fieldName: made.prepared.fieldName, level: upgraded.level, timestampTime: made.timestampTime, pending: upgraded.pending };
  }
}

/**
 * Signs the PDF into the file `output` without ever holding it twice: the original and the update
 * are hashed where they lie and written one after the other to a temp file (while the token and
 * the TSA work), the signature goes into /Contents by a positioned write, then fsync and rename.
 * B-LT and B-LTA append their updates (validation data, archive timestamp) to the file; in memory
 * they need the signed file whole: given as a GrowingPdf with room (UPGRADE_ROOM), it is built in
 * that room with no copy of the original; from a plain array, the original is copied once.
 */
export async function signPdfToFile(input: Uint8Array | GrowingPdf, output: string, key: PdfSigningKey, options: SignPdfOptions = {}): Promise<SignedPdfFile> {
  const level = options.level ?? 'B-B';
  checkOptions(level, options);
  const pdf = input instanceof GrowingPdf ? input.bytes : input;
  let reservedSize = estimateReservedSize(key, level !== 'B-B');
  const file = await openPreparedFile(output);
  try {
    for (let attempt = 0; ; attempt++) {
      const made = await makeSignature(pdf, key, options, reservedSize, (prepared) => file.write([prepared.original, prepared.update]));
      if (outgrew(made, attempt)) {
        reservedSize = made.cms.length + 4096;
        continue;
      }
      const patch = contentsPatch(made.prepared, made.cms);
      await file.patch(patch);
      let size = preparedLength(made.prepared);
      let reached = made.level;
      let pending = made.pending;
      // Raised only from B-T (a signature whose TSA was away stays B-B, pending): nothing to build otherwise.
      if ((level === 'B-LT' || level === 'B-LTA') && made.level === 'B-T') {
        // The signed file in memory, built on the input's own room when it has some.
        const signed = input instanceof GrowingPdf && input.size === pdf.length ? input : new GrowingPdf(pdf);
        signed.append(signedUpdate(made.prepared, made.cms));
        const upgraded = await upgradeIfAsked(signed, made, options);
        if (upgraded.upgraded) {
          // Only what the upgrade appended after the signed file: the file already holds the rest.
          await file.append([upgraded.bytes.subarray(size)]);
          size = upgraded.bytes.length;
        }
        reached = upgraded.level;
        pending = upgraded.pending;
      }
      await file.commit();
      return { size, fieldName: made.prepared.fieldName, level: reached, timestampTime: made.timestampTime, pending };
    }
  } catch (error) {
    await file.discard();
    throw error;
  }
}
