// Finds every signature in a PDF through its AcroForm fields, with the raw values a validator needs.
import { PdfDict, PdfRef, PdfString, nameOf, numberOf, refKey, textOf, type PdfValue, type Revision } from '../pdf/reader/index.js';

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

/** At most this many fields are walked: a hostile form cannot make the walk unbounded. */
const MAX_FIELDS = 100_000;

/** Signature fields that carry a value, sorted by where their signed revision ends (revision order). */
export function findSignatureFields(revision: Revision): SignatureField[] {
  const acroForm = revision.dict(revision.catalog()?.get('AcroForm'));
  const fields = revision.array(acroForm?.get('Fields'));
  const found: SignatureField[] = [];
  const seen = new Set<PdfDict>();

  const visit = (entry: PdfValue, parentName: string, inheritedType: string | undefined, depth: number): void => {
    const field = revision.dict(entry);
    if (!field || seen.has(field) || depth > 32 || seen.size > MAX_FIELDS) return;
    seen.add(field);
    const partial = textOf(field.get('T'));
    const name = partial === undefined ? parentName : parentName ? `${parentName}.${partial}` : partial;
    const fieldType = nameOf(field.get('FT')) ?? inheritedType;
    for (const kid of revision.array(field.get('Kids')) ?? []) visit(kid, name, fieldType, depth + 1);
    if (fieldType !== 'Sig') return;
    const rawValue = field.get('V');
    const value = revision.get(rawValue);
    const valueRef = rawValue instanceof PdfRef ? refKey(rawValue) : undefined;
    const holderRef = valueRef ?? (entry instanceof PdfRef ? refKey(entry) : undefined);
    if (rawValue === undefined || value === null) return;
    if (!(value instanceof PdfDict)) {
      // A value that is there but cannot be read (a broken dictionary, a string) is a signature that
      // cannot be checked, reported as invalid: calling the file unsigned would hide it.
      found.push({ name, valueRef, holderRef, contents: undefined, type: 'Sig', subFilter: '', byteRange: [], signingTime: undefined, reason: undefined, location: undefined, signerName: undefined });
      return;
    }
    // Looked up without a type: a /ByteRange of another type must make the signature invalid, not the read throw.
    const byteRange = revision.get(value.get('ByteRange'));
    const contents = revision.get(value.get('Contents'));
    found.push({
      name,
      valueRef,
      holderRef,
      contents: contents instanceof PdfString ? contents.bytes : undefined,
      type: nameOf(value.get('Type')) === 'DocTimeStamp' ? 'DocTimeStamp' : 'Sig',
      subFilter: nameOf(value.get('SubFilter')) ?? '',
      byteRange: Array.isArray(byteRange) ? byteRange.map((n) => numberOf(revision.get(n)) ?? Number.NaN) : [],
      signingTime: textOf(value.get('M')),
      reason: textOf(value.get('Reason')),
      location: textOf(value.get('Location')),
      signerName: textOf(value.get('Name')),
    });
  };
  for (const entry of fields ?? []) visit(entry, '', undefined, 0);
  const end = (field: SignatureField): number => (field.byteRange[2] ?? 0) + (field.byteRange[3] ?? 0);
  return found.sort((a, b) => end(a) - end(b));
}
