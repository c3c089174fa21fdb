import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { preparePdfSignature, preparedBytes } from '../../../../src/core/pdf/index.js';
import { leaderWidget, signedWidgets } from '../../../../src/core/signing/placement-seal.js';
import { PdfFile } from '../../../../src/core/pdf/reader/index.js';
import { diffRevisions } from '../../../../src/core/validation/revision-diff.js';
import { isVanthuError } from '../../../../src/shared/errors.js';
import { decree30Pdf } from '../../../fixtures/pdf/decree30/make-decree30.js';

// Prepared (placeholder) signatures are enough here: the field structure is what is read.
const prepare = async (pdf: Uint8Array, widget: Parameters<typeof preparePdfSignature>[1]['widget'], fieldName?: string): Promise<Uint8Array> =>
  preparedBytes(await preparePdfSignature(pdf, { reservedSize: 64, widget, fieldName }));

const load = (bytes: Uint8Array): Promise<PDFDocument> => PDFDocument.load(bytes, { updateMetadata: false });

describe('signed widgets already in the PDF', () => {
  it('lists visible signature widgets in signing order and picks the leader to seal', async () => {
    const base = await decree30Pdf();
    const invisible = await prepare(base, undefined, 'An');
    const first = await prepare(invisible, { page: 2, rect: [360, 510, 130, 65] }, 'LanhDao');
    const second = await prepare(first, { page: 1, rect: [400, 700, 100, 50] }, 'KhacTrang1');
    const doc = await load(second);
    expect(signedWidgets(doc).map((w) => [w.field, w.page, w.rect])).toEqual([
      ['LanhDao', 2, [360, 510, 130, 65]],
      ['KhacTrang1', 1, [400, 700, 100, 50]],
    ]);
    expect(leaderWidget(doc).field).toBe('KhacTrang1');
    expect(leaderWidget(doc, undefined, 2).field).toBe('LanhDao');
    expect(leaderWidget(doc, 'LanhDao').rect).toEqual([360, 510, 130, 65]);
    const missing = (() => {
      try {
        return leaderWidget(doc, 'KhongCo');
      } catch (error) {
        return error;
      }
    })();
    expect(isVanthuError(missing, 'APPEARANCE_LEADER_SIGNATURE_NOT_FOUND')).toBe(true);
    if (isVanthuError(missing)) expect(missing.messageVi).toContain('(trường "KhongCo")');
  });
});

describe('extra appearance widgets of a signature', () => {
  it('are inline widgets whose /Parent is the signature field, outside its /Kids, on their own pages', async () => {
    const base = await decree30Pdf();
    const leader = await prepare(base, { page: 2, rect: [360, 510, 130, 65] });
    const sealed = await prepare(leader, {
      page: 2,
      rect: [340, 490, 100, 100],
      extraWidgets: [
        { page: 1, rect: [120, 735, 17, 18], text: { lines: ['05'], fontSize: 13 } },
        { page: 1, rect: [400, 735, 17, 18], text: { lines: ['05'], fontSize: 13 } },
      ],
    });
    const doc = await load(sealed);
    const annots = doc.getPage(0).node.lookup(PDFName.of('Annots'), PDFArray);
    expect(annots.size()).toBe(2);
    const field = doc.getPage(1).node.lookup(PDFName.of('Annots'), PDFArray).get(1);
    expect(field).toBeInstanceOf(PDFRef);
    for (const entry of annots.asArray()) {
      // Inline: poppler takes only indirect widgets for form fields, so pdfsig sees one signature.
      expect(entry).toBeInstanceOf(PDFDict);
      const widget = entry as PDFDict;
      expect(widget.get(PDFName.of('Parent'))).toBe(field);
      expect(widget.get(PDFName.of('FT'))).toBeUndefined();
      expect(widget.lookup(PDFName.of('AP'), PDFDict).get(PDFName.of('N'))).toBeInstanceOf(PDFRef);
    }
    expect(doc.context.lookup(field, PDFDict).get(PDFName.of('Kids'))).toBeUndefined();
    // The leader's revision sees them as parts of a signature.
    // The sealed file is the leader's bytes plus an incremental update.
    const file = new PdfFile(sealed);
    const changes = diffRevisions(file.revision(leader.length), file.revision());
    expect(changes.disallowed).toEqual([]);
    expect(changes.allowed).toContain('annotations: signature added');
  });

  it('refuses an extra widget on a page the document does not have', async () => {
    const error = await prepare(await decree30Pdf(), { page: 2, rect: [1, 1, 10, 10], extraWidgets: [{ page: 3, rect: [1, 1, 10, 10], text: { lines: ['x'], fontSize: 10 } }] }).catch((e: unknown) => e);
    expect(isVanthuError(error, 'PDF_PAGE_OUT_OF_RANGE')).toBe(true);
  });
});
