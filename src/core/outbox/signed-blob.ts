// A signature written straight into the blob store: the stored input read as its level needs it, the signed file built in the store's temp folder and adopted.
import { GrowingPdf, UPGRADE_ROOM } from '../pdf/index.js';
import { signPdfToFile, type PdfSigningKey, type SignedPdfFile, type SignPdfOptions, type SigningLevel } from '../signing/index.js';
import type { BlobRef, BlobStore } from '../store/blobs.js';

/** A stored file held once in memory with room after it for the incremental updates of B-T, B-LT and B-LTA. */
export function readGrowing(blobs: BlobStore, sha256: string): GrowingPdf {
  const { storage, size } = blobs.readWithRoom(sha256, UPGRADE_ROOM);
  return new GrowingPdf(storage, size);
}

export interface SigningInput {
  /** The file's bytes (a Node Buffer: pdf-lib views its streams instead of copying them), for placement. */
  pdf: Buffer;
  /** What signPdfToFile gets: the same bytes, with room after them when the level appends updates in memory. */
  input: Buffer | GrowingPdf;
}

/** The stored file to sign at `level`, read once: B-LT and B-LTA build the signed file in memory to add their data, so read with room for it. */
export function readForSigning(blobs: BlobStore, sha256: string, level: SigningLevel): SigningInput {
  if (level === 'B-LT' || level === 'B-LTA') {
    const growing = readGrowing(blobs, sha256);
    return { pdf: growing.bytes, input: growing };
  }
  const pdf = blobs.read(sha256);
  return { pdf, input: pdf };
}

/**
 * Signs into a fresh file of the store's temp folder and adopts it (stream-hashed, fsynced, renamed):
 * the signed file is never held whole beside its input, and is durable under its hash when this
 * returns, before any row points at it. On failure no temp file is left (signPdfToFile discards
 * its own, adopt removes what it was given).
 */
export async function signIntoStore(blobs: BlobStore, input: Uint8Array | GrowingPdf, key: PdfSigningKey, options: SignPdfOptions): Promise<{ signed: SignedPdfFile; blob: BlobRef }> {
  const output = blobs.tempPath('sign');
  const signed = await signPdfToFile(input, output, key, options);
  const blob = await blobs.adopt(output);
  return { signed, blob };
}
