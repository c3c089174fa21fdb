// Lists a PDF's form field names and picks a free name for a new signature field.
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFString } from '@cantoo/pdf-lib';
import type { PDFContext } from '@cantoo/pdf-lib';

const partialName = (field: PDFDict): string | undefined => {
  const t = field.lookup(PDFName.of('T'));
  return t instanceof PDFString || t instanceof PDFHexString ? t.decodeText() : undefined;
};

/** Fully qualified names (parent.child) of every field under /Fields; a depth cap guards against /Kids loops. */
export function fieldNames(context: PDFContext, fields: PDFArray | undefined): Set<string> {
  const names = new Set<string>();
  const seen = new Set<PDFDict>();
  const walk = (array: PDFArray, prefix: string, depth: number): void => {
    if (depth > 32) return;
    for (let i = 0; i < array.size(); i++) {
      const field = context.lookup(array.get(i));
      if (!(field instanceof PDFDict) || seen.has(field)) continue;
      seen.add(field);
      const name = partialName(field);
      const full = name === undefined ? prefix : prefix ? `${prefix}.${name}` : name;
      if (full) names.add(full);
      const kids = field.lookup(PDFName.of('Kids'));
      if (kids instanceof PDFArray) walk(kids, full, depth + 1);
    }
  };
  if (fields) walk(fields, '', 0);
  return names;
}

/** Signature1, Signature2, … : the first that no existing field uses. */
export function freeSignatureFieldName(taken: ReadonlySet<string>, prefix = 'Signature'): string {
  for (let n = 1; ; n++) {
    const name = `${prefix}${n}`;
    if (!taken.has(name)) return name;
  }
}
