// Reads the Document Security Store (certificates, OCSP responses, CRLs) that B-LT signatures keep in the PDF.
import { PDFArray, PDFDict, PDFName, PDFRawStream, decodePDFRawStream, type PDFDocument } from '@cantoo/pdf-lib';

export interface DocumentSecurityStore {
  certificates: Uint8Array[];
  ocspResponses: Uint8Array[];
  crls: Uint8Array[];
}

function streams(doc: PDFDocument, dss: PDFDict, key: string): Uint8Array[] {
  const array = dss.lookupMaybe(PDFName.of(key), PDFArray);
  const out: Uint8Array[] = [];
  for (const entry of array?.asArray() ?? []) {
    const stream = doc.context.lookup(entry);
    if (!(stream instanceof PDFRawStream)) continue;
    try {
      out.push(decodePDFRawStream(stream).decode());
    } catch {
      // An undecodable entry is just not evidence.
    }
  }
  return out;
}

export function readDss(doc: PDFDocument): DocumentSecurityStore | undefined {
  const dss = doc.catalog.lookupMaybe(PDFName.of('DSS'), PDFDict);
  if (!dss) return undefined;
  return { certificates: streams(doc, dss, 'Certs'), ocspResponses: streams(doc, dss, 'OCSPs'), crls: streams(doc, dss, 'CRLs') };
}
