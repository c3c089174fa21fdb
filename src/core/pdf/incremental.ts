// Opens a PDF for one incremental update and writes it so the original bytes stay an exact prefix.
import { EncryptedPDFError, PDFDocument, type DocumentSnapshot } from '@cantoo/pdf-lib';
import { VanthuError } from '../../shared/errors.js';
import { lastXref } from './xref-kind.js';

export interface IncrementalUpdate {
  doc: PDFDocument;
  snapshot: DocumentSnapshot;
  /** The whole new file: the original bytes followed by the update. */
  finish(): Promise<Uint8Array>;
  /** The update alone, to append after the original bytes (a big file is not copied). */
  finishUpdate(): Promise<Uint8Array>;
}

/**
 * pdf-lib opened for an incremental update. It gets the bytes as a Node Buffer viewing the same
 * memory: its parser takes each stream with `slice`, which copies out of a plain Uint8Array (a
 * second copy of every image of a big file) but only views a Buffer.
 */
export async function loadForIncrementalUpdate(pdf: Uint8Array): Promise<PDFDocument> {
  const view = Buffer.isBuffer(pdf) ? pdf : Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  try {
    return await PDFDocument.load(view, { forIncrementalUpdate: true, updateMetadata: false, preserveXFA: true });
  } catch (error) {
    if (error instanceof EncryptedPDFError) throw new VanthuError('PDF_ENCRYPTED', {}, { cause: error });
    throw new VanthuError('PDF_INVALID', { detail: error instanceof Error ? error.message : String(error) }, { cause: error });
  }
}

export async function openIncremental(pdf: Uint8Array): Promise<IncrementalUpdate> {
  const xref = lastXref(pdf);
  if (!xref) throw new VanthuError('PDF_INVALID', { detail: 'no valid startxref at the end of the file' });
  const doc = await loadForIncrementalUpdate(pdf);
  const snapshot = doc.context.snapshot;
  if (!snapshot) throw new VanthuError('PDF_INVALID', { detail: 'not opened for an incremental update' });
  // pdf-lib takes the last startxref it parsed; the one readers start from is the file's last.
  snapshot.prevStartXRef = xref.offset;
  // Keep the file's kind of cross-reference section: pdf-lib would otherwise choose by header version.
  const finishUpdate = (): Promise<Uint8Array> => doc.saveIncremental(snapshot, { useObjectStreams: xref.kind === 'stream' });
  return {
    doc,
    snapshot,
    finishUpdate,
    finish: async () => {
      const update = await finishUpdate();
      const bytes = new Uint8Array(pdf.length + update.length);
      bytes.set(pdf, 0);
      bytes.set(update, pdf.length);
      return bytes;
    },
  };
}
