// Appends one incremental update that adds a signature field, its widget and a /Sig dictionary with empty /ByteRange and /Contents.
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString } from '@cantoo/pdf-lib';
import type { PDFDocument, PDFObject } from '@cantoo/pdf-lib';
import { VanthuError, isVanthuError } from '../../shared/errors.js';
import { buildAppearance } from './appearance.js';
import type { AppearanceText } from './appearance.js';
import { fieldNames, freeSignatureFieldName } from './field-names.js';
import { loadForIncrementalUpdate } from './incremental.js';
import { pdfDate } from './pdf-date.js';
import { fillByteRange, locatePlaceholders } from './placeholder.js';
import type { PreparedPdfSignature } from './placeholder.js';
import { lastXref } from './xref-kind.js';

export interface SignatureWidget {
  /** 1-based page number. */
  page: number;
  /** [x, y, width, height] in PDF points, in the page's default user space (origin bottom left). */
  rect: [number, number, number, number];
  /** PNG (a blue signature, a red seal) with transparency. */
  image?: Uint8Array;
  /** Lines drawn top-down in the shipped font (or `font`). */
  text?: AppearanceText;
  /** TrueType bytes for the text instead of the shipped Liberation Serif. */
  font?: Uint8Array;
  /**
   * More appearances drawn by this signature in the same update (the issuing number and date the
   * clerk's signature writes on page 1): widget annotations whose /Parent is the signature field,
   * so validators count them as parts of a signature and earlier signatures stay intact.
   */
  extraWidgets?: Omit<SignatureWidget, 'extraWidgets'>[];
}

export interface PreparePdfSignatureOptions {
  /** Bytes reserved for the DER CMS; size it from a dry run (certificates, timestamp, revocation data). */
  reservedSize: number;
  /** Visible widget; without it the signature is invisible (a 0x0 widget on page 1). */
  widget?: SignatureWidget;
  /** Field name; by default the first free Signature1, Signature2, … */
  fieldName?: string;
  /** Goes to /M. Default: now. */
  signingTime?: Date;
  /** Offset of /M from UTC in minutes east. Default 420 (Vietnam, +07:00). */
  utcOffsetMinutes?: number;
  reason?: string;
  location?: string;
  /** The signer's name as shown by viewers (/Name). */
  name?: string;
  /** A document timestamp (/Type /DocTimeStamp, /SubFilter /ETSI.RFC3161): /Contents gets an RFC 3161 token, not a CMS signature. */
  documentTimestamp?: boolean;
  contactInfo?: string;
}

// Wide enough for offsets of files up to 9.9 GB; replaced in place once the offsets are known.
const BYTE_RANGE_PLACEHOLDER = 9_999_999_999;
// Widget flags: Print (4) + Locked (128), so viewers neither hide it when printing nor let it be moved.
const WIDGET_FLAGS = 132;
// SignaturesExist (1) + AppendOnly (2).
const SIG_FLAGS = 3;
const MAX_RESERVED = 4 * 1024 * 1024;

const bad = (detail: string): never => {
  throw new VanthuError('BAD_INPUT', { detail });
};

/** A text string: PDFDocEncoding-safe ASCII as a literal, anything else as UTF-16BE with BOM. */
const textString = (value: string): PDFString | PDFHexString =>
  /^[\x20-\x7e]*$/.test(value) ? PDFString.of(value.replace(/[\\()]/g, (c) => `\\${c}`)) : PDFHexString.fromText(value);

/** Refuses a document certified with DocMDP P=1 (no changes at all), where any signature breaks the certification. */
function assertChangesAllowed(doc: PDFDocument): void {
  const perms = doc.catalog.lookup(PDFName.of('Perms'));
  if (!(perms instanceof PDFDict)) return;
  const sig = perms.lookup(PDFName.of('DocMDP'));
  if (!(sig instanceof PDFDict)) return;
  const refs = sig.lookup(PDFName.of('Reference'));
  if (!(refs instanceof PDFArray)) return;
  for (let i = 0; i < refs.size(); i++) {
    const reference = refs.lookup(i);
    if (!(reference instanceof PDFDict)) continue;
    if (reference.lookup(PDFName.of('TransformMethod')) !== PDFName.of('DocMDP')) continue;
    const params = reference.lookup(PDFName.of('TransformParams'));
    const p = params instanceof PDFDict ? params.lookup(PDFName.of('P')) : undefined;
    if (p instanceof PDFNumber && p.asNumber() === 1) {
      const name = sig.lookup(PDFName.of('Name'));
      throw new VanthuError('PDF_CERTIFIED_NO_CHANGES', { field: name instanceof PDFString || name instanceof PDFHexString ? name.decodeText() : '?' });
    }
  }
}

function validate(options: PreparePdfSignatureOptions): void {
  const { reservedSize, widget } = options;
  if (!Number.isSafeInteger(reservedSize) || reservedSize < 1 || reservedSize > MAX_RESERVED) bad(`reserved signature size ${reservedSize}`);
  for (const one of widget ? [widget, ...(widget.extraWidgets ?? [])] : []) {
    if (!Number.isSafeInteger(one.page) || one.page < 1) bad(`page ${one.page}`);
    const [x, y, w, h] = one.rect;
    if (![x, y, w, h].every(Number.isFinite) || !(w > 0 && h > 0)) bad(`rectangle ${one.rect.join(',')}`);
  }
  if (options.fieldName !== undefined && (options.fieldName === '' || options.fieldName.includes('.'))) bad(`field name "${options.fieldName}"`);
}

/** The object a key points at, and the reference to mark as changed if it is indirect. */
function resolve(doc: PDFDocument, value: PDFObject | undefined): { object: PDFObject | undefined; ref?: PDFRef } {
  if (value instanceof PDFRef) return { object: doc.context.lookup(value), ref: value };
  return { object: value };
}

/** Flags, page, rectangle and appearance of a widget annotation; without a widget, the 0x0 invisible one on page 1. */
async function dressWidget(doc: PDFDocument, annotation: PDFDict, widget: Omit<SignatureWidget, 'extraWidgets'> | undefined): Promise<void> {
  const rect = widget ? [widget.rect[0], widget.rect[1], widget.rect[0] + widget.rect[2], widget.rect[1] + widget.rect[3]] : [0, 0, 0, 0];
  annotation.set(PDFName.of('F'), PDFNumber.of(WIDGET_FLAGS));
  annotation.set(PDFName.of('P'), doc.getPage((widget?.page ?? 1) - 1).ref);
  annotation.set(PDFName.of('Rect'), doc.context.obj(rect));
  if (!widget || !(widget.image || widget.text?.lines.length)) return;
  try {
    const ap = await buildAppearance(doc, widget.rect[2], widget.rect[3], widget);
    annotation.set(PDFName.of('AP'), doc.context.obj({ N: ap }));
  } catch (error) {
    if (isVanthuError(error)) throw error;
    throw new VanthuError('PDF_INVALID', { detail: `appearance: ${error instanceof Error ? error.message : String(error)}` }, { cause: error });
  }
}

/** Appends an annotation to a page's /Annots; an indirect array (shared with nothing else) is changed where it lives. */
function addAnnotation(doc: PDFDocument, pageNumber: number, ref: PDFRef | PDFDict): void {
  const page = doc.getPage(pageNumber - 1);
  const snapshot = doc.context.snapshot!;
  const annotsEntry = resolve(doc, page.node.get(PDFName.of('Annots')));
  if (annotsEntry.object instanceof PDFArray) {
    annotsEntry.object.push(ref);
    if (annotsEntry.ref) snapshot.markRefForSave(annotsEntry.ref);
  } else page.node.set(PDFName.of('Annots'), doc.context.obj([ref]));
  snapshot.markRefForSave(page.ref);
}

/**
 * Adds a signature field to the PDF as one incremental update: `pdf` stays an exact prefix of
 * the result, and is returned as it is next to the update rather than copied. The /Sig
 * dictionary is always written as a direct object in the update's xref (a classic table if the
 * file's newest section is one, else an xref stream), never inside an object stream, so its
 * placeholders can be patched in place.
 */
export async function preparePdfSignature(pdf: Uint8Array, options: PreparePdfSignatureOptions): Promise<PreparedPdfSignature> {
  validate(options);
  const xref = lastXref(pdf);
  if (!xref) throw new VanthuError('PDF_INVALID', { detail: 'no valid startxref at the end of the file' });

  const doc = await loadForIncrementalUpdate(pdf);
  const { context } = doc;
  const snapshot = context.snapshot;
  if (!snapshot) throw new VanthuError('PDF_INVALID', { detail: 'not opened for an incremental update' });
  // pdf-lib takes the last startxref it parsed; the one readers start from is the file's last.
  snapshot.prevStartXRef = xref.offset;
  assertChangesAllowed(doc);

  const pageCount = doc.getPageCount();
  for (const one of options.widget ? [options.widget, ...(options.widget.extraWidgets ?? [])] : []) {
    if (one.page > pageCount) throw new VanthuError('PDF_PAGE_OUT_OF_RANGE', { page: one.page, count: pageCount });
  }

  // AcroForm, created when absent.
  const acroFormEntry = resolve(doc, doc.catalog.get(PDFName.of('AcroForm')));
  let acroForm = acroFormEntry.object instanceof PDFDict ? acroFormEntry.object : undefined;
  if (!acroForm) {
    acroForm = context.obj({ Fields: [] });
    doc.catalog.set(PDFName.of('AcroForm'), context.register(acroForm));
  } else if (acroFormEntry.ref) snapshot.markRefForSave(acroFormEntry.ref);
  const fieldsEntry = resolve(doc, acroForm.get(PDFName.of('Fields')));
  let fields = fieldsEntry.object instanceof PDFArray ? fieldsEntry.object : undefined;
  if (!fields) {
    fields = context.obj([]);
    acroForm.set(PDFName.of('Fields'), fields);
  } else if (fieldsEntry.ref) snapshot.markRefForSave(fieldsEntry.ref);

  const taken = fieldNames(context, fields);
  if (options.fieldName !== undefined && taken.has(options.fieldName)) throw new VanthuError('PDF_FIELD_NAME_TAKEN', { field: options.fieldName });
  const fieldName = options.fieldName ?? freeSignatureFieldName(taken);

  // The signature dictionary: /ByteRange and /Contents first so nothing before them can look alike.
  const sig = context.obj({
    Type: options.documentTimestamp ? 'DocTimeStamp' : 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: options.documentTimestamp ? 'ETSI.RFC3161' : 'ETSI.CAdES.detached',
    ByteRange: [0, BYTE_RANGE_PLACEHOLDER, BYTE_RANGE_PLACEHOLDER, BYTE_RANGE_PLACEHOLDER],
    Contents: PDFHexString.of('0'.repeat(options.reservedSize * 2)),
  });
  // A document timestamp's time is in its token; /M is the signer's claim and belongs to signatures.
  if (!options.documentTimestamp) sig.set(PDFName.of('M'), PDFString.of(pdfDate(options.signingTime ?? new Date(), options.utcOffsetMinutes ?? 420)));
  const optional: [string, string | undefined][] = [
    ['Name', options.name],
    ['Reason', options.reason],
    ['Location', options.location],
    ['ContactInfo', options.contactInfo],
  ];
  for (const [key, value] of optional) if (value !== undefined) sig.set(PDFName.of(key), textString(value));
  const sigRef = context.register(sig);

  // One dictionary that is both the field and its widget annotation.
  const widget = options.widget;
  const field = context.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', T: textString(fieldName), V: sigRef });
  await dressWidget(doc, field, widget);
  const fieldRef = context.register(field);
  addAnnotation(doc, widget?.page ?? 1, fieldRef);
  // Extra appearances: widgets whose /Parent is the field, written inline in the page's /Annots.
  // A signature field with several widgets (in /Kids, or indirect widgets naming it as /Parent)
  // reads in poppler (pdfsig, Okular, Evince) as several signature fields, unsigned; an inline
  // widget is drawn but never taken for a field, while validators still reach the signature
  // through /Parent and count it as part of it.
  for (const one of widget?.extraWidgets ?? []) {
    const extra = context.obj({ Type: 'Annot', Subtype: 'Widget', Parent: fieldRef });
    await dressWidget(doc, extra, one);
    addAnnotation(doc, one.page, extra);
  }
  fields.push(fieldRef);
  const sigFlags = acroForm.lookup(PDFName.of('SigFlags'));
  acroForm.set(PDFName.of('SigFlags'), PDFNumber.of((sigFlags instanceof PDFNumber ? sigFlags.asNumber() : 0) | SIG_FLAGS));

  let update: Uint8Array;
  try {
    // pdf-lib keeps only /Type /Sig dictionaries out of object streams; a /DocTimeStamp would land in
    // one, where its placeholder cannot be filled, so its update is written with a classic table.
    update = await doc.saveIncremental(snapshot, { useObjectStreams: xref.kind === 'stream' && !options.documentTimestamp });
  } catch (error) {
    throw new VanthuError('PDF_INVALID', { detail: `writing the update: ${error instanceof Error ? error.message : String(error)}` }, { cause: error });
  }
  // The original is not copied: the result is the two parts, so a big file is held once.
  const located = locatePlaceholders(update, pdf.length, sigRef.objectNumber);
  const byteRange = fillByteRange(update, pdf.length, located);
  return { original: pdf, update, byteRange, reservedSize: options.reservedSize, fieldName };
}
