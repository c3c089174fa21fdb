// A signature image per certificate: settings map the certificate's SHA-256 to a PNG in <dataDir>/images/; read and checked before any PIN is asked.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mkdirPrivate, PRIVATE_FILE_MODE } from '../../../core/fs/private-dir.js';
import type { SettingsStore } from '../../../core/store/index.js';
import { isVanthuError, VanthuError } from '../../../shared/errors.js';
import type { SignatureImageView } from '../../../shared/ipc/signing.js';
import { checkTransparency } from '../exchange/png-alpha.js';

export interface CertificateImage {
  bytes: Uint8Array;
  /** False: the machine-wide signature image of Settings, used for a certificate without its own. */
  perCertificate: boolean;
}

/**
 * The image this certificate signs with: its own, else the machine-wide one; undefined when neither is
 * chosen. A chosen file that is gone or not a transparent PNG throws, so it is said before the PIN.
 */
export function certificateImage(settings: SettingsStore | undefined, certificateSha256: string): CertificateImage | undefined {
  const current = settings?.get();
  const own = current?.signatureImages?.[certificateSha256.toLowerCase()];
  const file = own ?? current?.signatureImagePath ?? undefined;
  if (!file) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch {
    throw new VanthuError('SIGNING_IMAGE_FILE_MISSING', { path: path.basename(file) });
  }
  const verdict = checkTransparency(bytes);
  if (!verdict.ok) throw new VanthuError('PDF_IMAGE_INVALID', { detail: `${verdict.reasonVi} / ${verdict.reasonEn}` });
  return { bytes, perCertificate: own !== undefined };
}

/** What the sign dialog shows for a certificate: the image, or why it cannot be used. */
export function certificateImageView(settings: SettingsStore | undefined, certificateSha256: string): SignatureImageView {
  try {
    const image = certificateImage(settings, certificateSha256);
    return { image: image ? { pngBase64: Buffer.from(image.bytes).toString('base64'), perCertificate: image.perCertificate } : null, problem: null };
  } catch (error) {
    if (!isVanthuError(error)) throw error;
    return { image: null, problem: { vi: error.messageVi, en: error.messageEn } };
  }
}

/** Checks the PNG (transparent background), writes it atomically as <dataDir>/images/signature-<sha256>.png and records it; null forgets it. */
export function saveCertificateImage(settings: SettingsStore, dataDir: string, certificateSha256: string, pngBase64: string | null): SignatureImageView {
  const key = certificateSha256.toLowerCase();
  const images = { ...(settings.get().signatureImages ?? {}) };
  if (pngBase64 === null) {
    delete images[key];
  } else {
    const bytes = new Uint8Array(Buffer.from(pngBase64, 'base64'));
    const verdict = checkTransparency(bytes);
    if (!verdict.ok) throw new VanthuError('PDF_IMAGE_INVALID', { detail: `${verdict.reasonVi} / ${verdict.reasonEn}` });
    const dir = path.join(dataDir, 'images');
    mkdirPrivate(dir);
    const file = path.join(dir, `signature-${key}.png`);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, bytes, { mode: PRIVATE_FILE_MODE });
    renameSync(tmp, file);
    images[key] = file;
  }
  settings.set({ signatureImages: images });
  return certificateImageView(settings, key);
}
