// pdf.js set up for the app: its worker bundled as a script of the app's own origin (no blob:, no eval), documents opened from bytes.
import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy } from 'pdfjs-dist';

// Vite bundles the worker into an asset served from 'self' (a .js file, so any static server gives it a
// JavaScript MIME type); the CSP's script-src 'self' covers it without blob: or 'unsafe-eval'.
// One worker for the whole app: every document shares it.
if (GlobalWorkerOptions.workerPort === null) {
  // A classic worker: Vite emits workers as one self-contained script, which loads the same from http: and from the app's file: pages.
  GlobalWorkerOptions.workerPort = new Worker(new URL('pdfjs-dist/build/pdf.worker.min.mjs', import.meta.url));
}

export type { PDFDocumentProxy, PDFPageProxy, RenderTask } from 'pdfjs-dist';

/** Decodes the base64 the bridge carries (JSON cannot hold bytes). */
export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Opens a PDF from bytes; pdf.js takes the buffer, so it gets a copy. */
export function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  return getDocument({ data: bytes.slice(), isEvalSupported: false, enableXfa: false, stopAtErrors: false }).promise;
}
