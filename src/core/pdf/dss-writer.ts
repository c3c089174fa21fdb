// Adds validation data (certificates, OCSP responses, CRLs) to the PDF's Document Security Store in a new incremental update (PAdES B-LT).
import { createHash } from 'node:crypto';
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, decodePDFRawStream, type PDFDocument } from '@cantoo/pdf-lib';
import { openIncremental, type IncrementalUpdate } from './incremental.js';

export interface ValidationData {
  certificates: Uint8Array[];
  ocspResponses: Uint8Array[];
  crls: Uint8Array[];
}

export interface SignatureValidationData extends ValidationData {
  /** The signature's /Contents bytes (the CMS DER as stored, padding included): its SHA-1 names the VRI entry. */
  signatureContents: Uint8Array;
}

const KEYS = { certificates: 'Certs', ocspResponses: 'OCSPs', crls: 'CRLs' } as const;
const VRI_KEYS = { certificates: 'Cert', ocspResponses: 'OCSP', crls: 'CRL' } as const;
const digest = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The streams already in one DSS array, by content hash, so nothing is stored twice. */
function existing(doc: PDFDocument, array: PDFArray | undefined): Map<string, PDFRef> {
  const known = new Map<string, PDFRef>();
  for (const entry of array?.asArray() ?? []) {
    const stream = entry instanceof PDFRef ? doc.context.lookup(entry) : undefined;
    if (entry instanceof PDFRef && stream instanceof PDFRawStream) {
      try {
        known.set(digest(decodePDFRawStream(stream).decode()), entry);
      } catch {
        // An entry that cannot be decoded is kept as it is, just not matched.
      }
    }
  }
  return known;
}

/**
 * Appends one incremental update that merges `data` into /DSS (creating it when absent), with a
 * /VRI entry per signature listing the data that validates it.
 */
export async function appendDss(pdf: Uint8Array, perSignature: SignatureValidationData[]): Promise<Uint8Array> {
  return (await dssIncrement(pdf, perSignature)).finish();
}

/** The same update as appendDss, alone: the caller appends it after `pdf` (a big file is not copied). */
export async function dssUpdate(pdf: Uint8Array, perSignature: SignatureValidationData[]): Promise<Uint8Array> {
  return (await dssIncrement(pdf, perSignature)).finishUpdate();
}

async function dssIncrement(pdf: Uint8Array, perSignature: SignatureValidationData[]): Promise<IncrementalUpdate> {
  const increment = await openIncremental(pdf);
  const { doc, snapshot } = increment;
  const { context } = doc;
  const dssEntry = doc.catalog.get(PDFName.of('DSS'));
  const dss = (dssEntry instanceof PDFRef ? context.lookup(dssEntry) : dssEntry) instanceof PDFDict
    ? (context.lookup(dssEntry!) as PDFDict)
    : context.obj({});
  if (dssEntry instanceof PDFRef) snapshot.markRefForSave(dssEntry);

  const arrays = {} as Record<keyof typeof KEYS, PDFArray>;
  const stored = {} as Record<keyof typeof KEYS, Map<string, PDFRef>>;
  for (const [field, key] of Object.entries(KEYS) as [keyof typeof KEYS, string][]) {
    const raw = dss.get(PDFName.of(key));
    const array = raw ? context.lookup(raw) : undefined;
    arrays[field] = array instanceof PDFArray ? array : context.obj([]);
    if (raw instanceof PDFRef) snapshot.markRefForSave(raw);
    dss.set(PDFName.of(key), arrays[field]);
    stored[field] = existing(doc, arrays[field]);
  }
  const refFor = (field: keyof typeof KEYS, bytes: Uint8Array): PDFRef => {
    const hash = digest(bytes);
    let ref = stored[field].get(hash);
    if (!ref) {
      ref = context.register(context.flateStream(bytes));
      stored[field].set(hash, ref);
      arrays[field].push(ref);
    }
    return ref;
  };

  const vriEntry = dss.get(PDFName.of('VRI'));
  const vri = vriEntry && context.lookup(vriEntry) instanceof PDFDict ? (context.lookup(vriEntry) as PDFDict) : context.obj({});
  if (vriEntry instanceof PDFRef) snapshot.markRefForSave(vriEntry);
  for (const signature of perSignature) {
    const entry = context.obj({});
    for (const [field, key] of Object.entries(VRI_KEYS) as [keyof typeof KEYS, string][]) {
      const refs = signature[field].map((bytes) => refFor(field, bytes));
      if (refs.length) entry.set(PDFName.of(key), context.obj(refs));
    }
    const name = createHash('sha1').update(signature.signatureContents).digest('hex').toUpperCase();
    vri.set(PDFName.of(name), entry);
  }
  dss.set(PDFName.of('VRI'), vri);
  if (!(dssEntry instanceof PDFRef)) doc.catalog.set(PDFName.of('DSS'), context.register(dss));
  snapshot.markRefForSave(context.trailerInfo.Root as PDFRef);
  return increment;
}
