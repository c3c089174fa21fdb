import { readFileSync } from 'node:fs';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFString } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { fieldNames, freeSignatureFieldName } from '../../../../src/core/pdf/field-names.js';

describe('field names', () => {
  it('reads the existing fields of a form', async () => {
    const doc = await PDFDocument.load(readFileSync('tests/fixtures/pdf/with-form.pdf'));
    const fields = doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict).lookup(PDFName.of('Fields'), PDFArray);
    expect([...fieldNames(doc.context, fields)]).toEqual(['Signature1']);
  });

  it('qualifies kids with their parent names and survives a /Kids loop', async () => {
    const doc = await PDFDocument.create();
    const { context } = doc;
    const parentRef = context.nextRef();
    const kid = context.obj({ T: PDFString.of('chuKy'), Parent: parentRef });
    const kidRef = context.register(kid);
    context.assign(parentRef, context.obj({ T: PDFString.of('nguoiKy'), Kids: [kidRef, parentRef] }));
    const names = fieldNames(context, context.obj([parentRef]));
    expect([...names].sort()).toEqual(['nguoiKy', 'nguoiKy.chuKy']);
  });

  it('picks the first free SignatureN', () => {
    expect(freeSignatureFieldName(new Set())).toBe('Signature1');
    expect(freeSignatureFieldName(new Set(['Signature1', 'Signature2', 'Signature4']))).toBe('Signature3');
  });
});
