// Finds every signature in a PDF through its AcroForm fields, with the raw values a validator needs.
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNull, PDFNumber, PDFRef, PDFString, type PDFObject } from '@cantoo/pdf-lib';

export interface SignatureField {
  /** Fully qualified field name (parent names joined with "."). */
  name: string;
  /** Reference of the signature dictionary (/V), as "N G". */
  valueRef: string | undefined;
  /** The indirect object the signature dictionary is written in (itself, or the field holding it directly), as "N G". */
  holderRef: string | undefined;
  /** The /Contents string of the signature dictionary, decoded; undefined when it is not a string. */
  contents: Uint8Array | undefined;
  type: 'Sig' | 'DocTimeStamp';
  subFilter: string;
  byteRange: number[];
  /** /M as written (PDF date string), the signer's claimed time. */
  signingTime: string | undefined;
  reason: string | undefined;
  location: string | undefined;
  signerName: string | undefined;
}

const text = (value: PDFObject | undefined): string | undefined =>
  value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined;

const nameOf = (value: PDFObject | undefined): string | undefined => (value instanceof PDFName ? value.decodeText() : undefined);

export async function loadPdf(bytes: Uint8Array): Promise<PDFDocument> {
  return PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
}

/** Signature fields that carry a value, in the order their /ByteRange starts... sorted by where they end (revision order). */
export function findSignatureFields(doc: PDFDocument): SignatureField[] {
  const context = doc.context;
  const acroForm = doc.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const fields = acroForm?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  const found: SignatureField[] = [];
  const seen = new Set<PDFDict>();

  const visit = (entry: PDFObject, parentName: string, inheritedType: string | undefined, depth: number): void => {
    const field = context.lookup(entry);
    if (!(field instanceof PDFDict) || seen.has(field) || depth > 32) return;
    seen.add(field);
    const partial = text(field.get(PDFName.of('T')));
    const name = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial;
    const fieldType = nameOf(field.get(PDFName.of('FT'))) ?? inheritedType;
    const kids = field.lookupMaybe(PDFName.of('Kids'), PDFArray);
    if (kids) for (const kid of kids.asArray()) visit(kid, name, fieldType, depth + 1);
    if (fieldType !== 'Sig') return;
    const rawValue = field.get(PDFName.of('V'));
    const value = rawValue ? context.lookup(rawValue) : undefined;
    const valueRef = rawValue instanceof PDFRef ? `${rawValue.objectNumber} ${rawValue.generationNumber}` : undefined;
    const holderRef = valueRef ?? (entry instanceof PDFRef ? `${entry.objectNumber} ${entry.generationNumber}` : undefined);
    if (value === undefined || value === PDFNull) return;
    if (!(value instanceof PDFDict)) {
      // A value that is there but cannot be read (a broken dictionary, a string) is a signature that
      // cannot be checked, reported as invalid: calling the file unsigned would hide it.
      found.push({ name, valueRef, holderRef, contents: undefined, type: 'Sig', subFilter: '', byteRange: [], signingTime: undefined, reason: undefined, location: undefined, signerName: undefined });
      return;
    }
    // Looked up without a type: a /ByteRange of another type must make the signature invalid, not the parse throw.
    const byteRange = value.lookup(PDFName.of('ByteRange'));
    const contents = value.lookup(PDFName.of('Contents'));
    found.push({
      name,
      valueRef,
      holderRef,
      contents: contents instanceof PDFHexString || contents instanceof PDFString ? contents.asBytes() : undefined,
      type: nameOf(value.get(PDFName.of('Type'))) === 'DocTimeStamp' ? 'DocTimeStamp' : 'Sig',
      subFilter: nameOf(value.get(PDFName.of('SubFilter'))) ?? '',
      byteRange: byteRange instanceof PDFArray ? byteRange.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : Number.NaN)) : [],
      signingTime: text(value.get(PDFName.of('M'))),
      reason: text(value.get(PDFName.of('Reason'))),
      location: text(value.get(PDFName.of('Location'))),
      signerName: text(value.get(PDFName.of('Name'))),
    });
  };
  for (const entry of fields?.asArray() ?? []) visit(entry, '', undefined, 0);
  // Revision order: a signature added later covers more of the file.
  return found.sort((a, b) => (a.byteRange[2] ?? 0) + (a.byteRange[3] ?? 0) - ((b.byteRange[2] ?? 0) + (b.byteRange[3] ?? 0)));
}
