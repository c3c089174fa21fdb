// Files sent by the compose screen: decoded from base64 and checked (PDF header, size, main file count) before anything is stored.
import type { FileRole } from '../../../shared/document.js';
import { VanthuError } from '../../../shared/errors.js';
import { MAX_FILE_BYTES, type FileUpload } from '../../../shared/ipc/documents.js';

export interface DecodedFile {
  name: string;
  role: FileRole;
  bytes: Buffer;
}

/** PDF 1.7 (ISO 32000-1 §7.5.2) lets the header start within the first 1024 bytes. */
const isPdf = (bytes: Buffer): boolean => bytes.subarray(0, 1024).includes('%PDF-');

export function decodeUploads(files: readonly FileUpload[]): DecodedFile[] {
  return files.map((file) => {
    const bytes = Buffer.from(file.contentBase64, 'base64');
    if (bytes.length === 0) throw new VanthuError('DOCUMENT_FILE_EMPTY', { name: file.name });
    if (bytes.length > MAX_FILE_BYTES) throw new VanthuError('DOCUMENT_FILE_TOO_LARGE', { name: file.name, size: bytes.length, max: MAX_FILE_BYTES });
    // Every file of a document travels as a signed PDF over the exchange: attachments too.
    if (!isPdf(bytes)) throw new VanthuError('DOCUMENT_FILE_NOT_PDF', { name: file.name });
    return { name: file.name, role: file.role, bytes };
  });
}

/** A document has one main file; appendices and attachments go with it. */
export function checkMainFile(files: readonly DecodedFile[], existingMain: number): void {
  const count = existingMain + files.filter((f) => f.role === 'main').length;
  if (count !== 1) throw new VanthuError('DOCUMENT_MAIN_FILE_COUNT', { count });
}
