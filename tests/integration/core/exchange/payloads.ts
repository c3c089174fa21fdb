// Distinct sealed PDFs of a chosen size for the exchange soak and benchmark: one page, incompressible padding, the agency's signature over all of it.
import { randomBytes } from 'node:crypto';
import { PDFDocument, PDFName, StandardFonts } from '@cantoo/pdf-lib';
import { signPdf, type PdfSigningKey } from '../../../../src/core/signing/index.js';

/** A PDF of about `size` bytes (padding in an unused stream keeps each file's hash distinct), sealed by `key`. */
export async function sealedPdf(key: PdfSigningKey, label: string, size: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595.28, 841.89]);
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  page.drawText(`Van ban kiem thu trao doi ${label}`, { x: 72, y: 760, size: 12, font });
  // Random bytes do not compress: the file is as big on the wire as asked.
  const padding = doc.context.stream(randomBytes(Math.max(0, size - 20_000)));
  page.node.set(PDFName.of('VanthuPadding'), doc.context.register(padding));
  const signed = await signPdf(await doc.save({ useObjectStreams: false }), key, { reason: 'Phát hành' });
  return signed.bytes;
}
