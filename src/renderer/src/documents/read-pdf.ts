// Reads a picked or dropped file in the renderer: size and %PDF header checked before the bytes are base64-encoded for IPC.
import { MAX_FILE_BYTES } from '../../../shared/ipc/documents.js';

export interface PickedFile {
  name: string;
  size: number;
  contentBase64: string;
}

export type PickProblem = { key: 'notPdf' | 'tooLarge' | 'emptyFile'; name: string; max?: number };

export const MAX_FILE_MB = Math.floor(MAX_FILE_BYTES / (1024 * 1024));

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

/** The header may start anywhere in the first 1024 bytes (ISO 32000-1 §7.5.2). */
export function hasPdfHeader(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 1024) - PDF_MAGIC.length;
  for (let i = 0; i <= end; i++) if (PDF_MAGIC.every((b, j) => bytes[i + j] === b)) return true;
  return false;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunks keep String.fromCharCode's argument count below the engine's limit.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export async function readPdf(file: File): Promise<PickedFile | PickProblem> {
  if (file.size === 0) return { key: 'emptyFile', name: file.name };
  if (file.size > MAX_FILE_BYTES) return { key: 'tooLarge', name: file.name, max: MAX_FILE_MB };
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (!hasPdfHeader(bytes)) return { key: 'notPdf', name: file.name };
  return { name: file.name, size: file.size, contentBase64: toBase64(bytes) };
}

export const isProblem = (value: PickedFile | PickProblem): value is PickProblem => 'key' in value;
