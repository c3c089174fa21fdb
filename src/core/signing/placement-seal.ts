// Places the agency seal over the left third of the leader's signature, found among the signed widgets already in the PDF.
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFString, type PDFDocument, type PDFObject } from '@cantoo/pdf-lib';
import { VanthuError } from '../../shared/errors.js';
import type { Rect } from './placement-leader.js';

export interface SignedWidget {
  /** Fully qualified name of the signature field. */
  field: string;
  /** 1-based. */
  page: number;
  rect: Rect;
  /** Where the signature's byte range ends: later signatures end further on. */
  signedUpTo: number;
}

const text = (value: PDFObject | undefined): string | undefined =>
  value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;

function rectOf(widget: PDFDict): Rect | undefined {
  const array = widget.lookupMaybe(PDFName.of('Rect'), PDFArray);
  const n = array?.asArray().map((v) => (v instanceof PDFNumber ? v.asNumber() : Number.NaN)) ?? [];
  if (n.length !== 4 || !n.every(Number.isFinite)) return undefined;
  const [x1, y1, x2, y2] = n as [number, number, number, number];
  return [Math.min(x1, x2), Math.min(y1, y2), Math.abs(x2 - x1), Math.abs(y2 - y1)];
}

/** Page of a widget: its /P, or else the page whose /Annots lists it (PDFRef instances are interned, so === compares refs). */
function pageOf(doc: PDFDocument, widget: PDFDict): number | undefined {
  const pages = doc.getPages();
  const p = widget.get(PDFName.of('P'));
  let index = pages.findIndex((page) => page.ref === p);
  if (index < 0) index = pages.findIndex((page) => (page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.asArray() ?? []).some((a) => doc.context.lookup(a) === widget));
  return index >= 0 ? index + 1 : undefined;
}

/** Visible widgets of signed signature fields (a field with /Kids gives its first widget: the others are its extra texts). */
export function signedWidgets(doc: PDFDocument): SignedWidget[] {
  const found: SignedWidget[] = [];
  const seen = new Set<PDFDict>();
  const visit = (entry: PDFObject, parentName: string, inheritedType: string | undefined, depth: number): void => {
    const field = doc.context.lookup(entry);
    if (!(field instanceof PDFDict) || seen.has(field) || depth > 32) return;
    seen.add(field);
    const partial = text(field.get(PDFName.of('T')));
    const name = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial;
    const type = field.lookupMaybe(PDFName.of('FT'), PDFName)?.decodeText() ?? inheritedType;
    const kids = field.lookupMaybe(PDFName.of('Kids'), PDFArray)?.asArray() ?? [];
    const childFields = kids.filter((kid) => doc.context.lookupMaybe(kid, PDFDict)?.get(PDFName.of('T')) !== undefined);
    for (const kid of childFields) visit(kid, name, type, depth + 1);
    const value = field.lookupMaybe(PDFName.of('V'), PDFDict);
    if (type !== 'Sig' || !value) return;
    const byteRange = value.lookupMaybe(PDFName.of('ByteRange'), PDFArray)?.asArray().map((v) => (v instanceof PDFNumber ? v.asNumber() : 0)) ?? [];
    const widgetEntry = kids.length === 0 ? entry : kids.find((kid) => !childFields.includes(kid));
    const widget = widgetEntry ? doc.context.lookupMaybe(widgetEntry, PDFDict) : undefined;
    const rect = widget && rectOf(widget);
    if (!widget || !rect || rect[2] <= 0 || rect[3] <= 0) return;
    const page = pageOf(doc, widget);
    if (page !== undefined) found.push({ field: name, page, rect, signedUpTo: (byteRange[2] ?? 0) + (byteRange[3] ?? 0) });
  };
  const fields = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict)?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  for (const entry of fields?.asArray() ?? []) visit(entry, '', undefined, 0);
  return found.sort((a, b) => a.signedUpTo - b.signedUpTo);
}

/** The leader's widget to seal: the one of field `over`, or the latest visible signature (on `page` when given). */
export function leaderWidget(doc: PDFDocument, over?: string, page?: number): SignedWidget {
  const widgets = signedWidgets(doc).filter((w) => (over === undefined || w.field === over) && (page === undefined || w.page === page));
  const chosen = widgets.at(-1);
  if (!chosen) throw new VanthuError('APPEARANCE_LEADER_SIGNATURE_NOT_FOUND', { field: over });
  return chosen;
}

/**
 * Decree 30: the seal covers about a third of the leader's signature on its left. The seal's
 * centre goes on the line one third into the leader's rectangle, at mid-height.
 */
export function placeSeal(leader: Rect, seal: { width: number; height: number }): Rect {
  const [x, y, w, h] = leader;
  const centreX = x + w / 3;
  const centreY = y + h / 2;
  return [centreX - seal.width / 2, centreY - seal.height / 2, seal.width, seal.height];
}
