// Raises a signed PDF's level later: document timestamp (B-T), validation data in the DSS (B-LT), archive timestamp (B-LTA).
import { VanthuError } from '../../shared/errors.js';
import type { HashAlgorithm } from '../../shared/token.js';
import { requestTimestamp, readSignedData, findAttribute, OID } from '../cms/index.js';
import { certificateId, signerIdentifierMatches } from '../cms/certificate-id.js';
import { digestSignedContent, dssUpdate, embedSignature, GrowingPdf, preparePdfSignature, signedUpdate, type PreparedPdfSignature, type SignatureValidationData } from '../pdf/index.js';
import { buildChain, checkRevocation, completeChainOnline, type TrustStore } from '../trust/index.js';
import { byteRangeContents } from '../validation/byte-range.js';
import { trimPadding } from '../validation/cms-check.js';
import { PdfFile } from '../pdf/reader/index.js';
import { findSignatureFields } from '../validation/signature-fields.js';

export type UpgradeLevel = 'B-T' | 'B-LT' | 'B-LTA';

export interface LongTermOptions {
  tsaUrl: string;
  tsaTimeoutMs?: number;
  trust: TrustStore;
  /** Per OCSP/CRL request. */
  revocationTimeoutMs?: number;
  hash?: HashAlgorithm;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}


type TimestampOptions = Pick<LongTermOptions, 'tsaUrl' | 'tsaTimeoutMs' | 'hash' | 'signal'>;

/** A /DocTimeStamp field over the whole file as it is, with the TSA's token in it. */
async function documentTimestamp(pdf: Uint8Array, options: TimestampOptions): Promise<{ prepared: PreparedPdfSignature; token: Uint8Array }> {
  const hash = options.hash ?? 'SHA-256';
  let reservedSize = 12_288;
  for (let attempt = 0; ; attempt++) {
    const prepared = await preparePdfSignature(pdf, { reservedSize, documentTimestamp: true });
    const digest = digestSignedContent(prepared, hash);
    const { token } = await requestTimestamp(digest, hash, { url: options.tsaUrl, timeoutMs: options.tsaTimeoutMs, signal: options.signal });
    if (token.length <= reservedSize || attempt > 0) return { prepared, token };
    reservedSize = token.length + 2048;
  }
}

/** Appends an invisible document timestamp (/DocTimeStamp) over the whole file as it is. */
export async function addDocumentTimestamp(pdf: Uint8Array, options: TimestampOptions): Promise<Uint8Array> {
  const { prepared, token } = await documentTimestamp(pdf, options);
  return embedSignature(prepared, token);
}

interface SignatureMaterial {
  field: string;
  contents: Uint8Array;
  /** Certificates whose status must be recorded: the signer's, and each timestamp authority's. */
  leaves: Uint8Array[];
  candidates: Uint8Array[];
  /** Whether it carries its own signature timestamp. */
  timestamped: boolean;
  documentTimestamp: boolean;
}

function signerOf(cms: Uint8Array): { signer: Uint8Array | undefined; certificates: Uint8Array[]; token: Uint8Array | undefined } {
  const parts = readSignedData(cms);
  const info = parts.signerInfos[0];
  const signer = info ? parts.certificates.find((der) => signerIdentifierMatches(info.sid, certificateId(der))) : undefined;
  const token = info ? findAttribute(info.unsignedAttributes, OID.signatureTimeStampToken)?.values[0]?.bytes : undefined;
  return { signer, certificates: parts.certificates, token };
}

async function materialOf(pdf: Uint8Array): Promise<SignatureMaterial[]> {
  const materials: SignatureMaterial[] = [];
  for (const field of findSignatureFields(new PdfFile(pdf).revision())) {
    // Only the CMS is needed here: the signed bytes are not copied out of a file that may be big.
    const range = byteRangeContents(pdf, field.byteRange);
    if (!range.valid) continue;
    const documentTimestamp = field.type === 'DocTimeStamp' || field.subFilter === 'ETSI.RFC3161';
    const cms = trimPadding(range.contents);
    const { signer, certificates, token } = signerOf(cms);
    const leaves = signer ? [signer] : [];
    let candidates = certificates;
    if (token) {
      const tsa = signerOf(token);
      if (tsa.signer) leaves.push(tsa.signer);
      candidates = [...candidates, ...tsa.certificates];
    }
    materials.push({ field: field.name, contents: range.contents, leaves, candidates, timestamped: token !== undefined, documentTimestamp });
  }
  return materials;
}

/** Chains and revocation evidence for every signature and timestamp in the file, fetched now. */
async function validationData(pdf: Uint8Array, level: UpgradeLevel, options: LongTermOptions): Promise<SignatureValidationData[]> {
  const now = new Date();
  const result: SignatureValidationData[] = [];
  for (const material of await materialOf(pdf)) {
    const data: SignatureValidationData = { signatureContents: material.contents, certificates: [], ocspResponses: [], crls: [] };
    for (const leaf of material.leaves) {
      const candidates = await completeChainOnline(leaf, material.candidates, options.trust, { timeoutMs: options.revocationTimeoutMs, fetch: options.fetch });
      const chain = buildChain(leaf, candidates, options.trust, now);
      if (!chain.trusted) {
        throw new VanthuError('SIGNING_LTV_INCOMPLETE', { level, field: material.field, detail: chain.problems.map((p) => p.messageEn).join('; ') });
      }
      data.certificates.push(...chain.path);
      // Every certificate but the trust anchor needs its status from its issuer.
      for (let i = 0; i + 1 < chain.path.length; i++) {
        const revocation = await checkRevocation(chain.path[i]!, chain.path[i + 1]!, {
          at: now,
          online: true,
          timeoutMs: options.revocationTimeoutMs,
          fetch: options.fetch,
        });
        if (revocation.status === 'unknown' || (!revocation.ocspResponse && !revocation.crl)) {
          throw new VanthuError('SIGNING_LTV_INCOMPLETE', { level, field: material.field, detail: revocation.problems.map((p) => p.messageEn).join('; ') || 'no revocation data' });
        }
        if (revocation.ocspResponse) data.ocspResponses.push(revocation.ocspResponse);
        if (revocation.crl) data.crls.push(revocation.crl);
      }
    }
    result.push(data);
  }
  return result;
}

/**
 * Raises every signature in the file to `level`, each step an incremental update, so nothing
 * signed before changes: B-T adds a document timestamp when a signature has no timestamp of its
 * own; B-LT adds the chains and OCSP/CRL answers to the DSS; B-LTA then timestamps the whole.
 * Each update is appended to the file in memory: a GrowingPdf with room takes them in place
 * (nothing copied, and the caller's GrowingPdf holds the result); a plain array is copied once.
 */
export async function upgradeSignatures(pdf: Uint8Array | GrowingPdf, level: UpgradeLevel, options: LongTermOptions): Promise<Uint8Array> {
  const file = pdf instanceof GrowingPdf ? pdf : new GrowingPdf(pdf);
  const materials = await materialOf(file.bytes);
  // A signature has its time proven by its own timestamp or by a document timestamp added after it.
  const unproven = materials.some((m, i) => !m.documentTimestamp && !m.timestamped && !materials.slice(i + 1).some((later) => later.documentTimestamp));
  const stamp = async (): Promise<void> => {
    const { prepared, token } = await documentTimestamp(file.bytes, options);
    file.append(signedUpdate(prepared, token));
  };
  if (unproven) await stamp();
  if (level !== 'B-T') {
    file.append(await dssUpdate(file.bytes, await validationData(file.bytes, level, options)));
    if (level === 'B-LTA') await stamp();
  }
  // Nothing to add: the caller's own bytes, as given.
  return file.size === file.base && !(pdf instanceof GrowingPdf) ? pdf : file.bytes;
}
