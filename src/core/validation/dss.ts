// Reads the Document Security Store (certificates, OCSP responses, CRLs) that B-LT signatures keep in the PDF, with or without its optional /Type.
import { PdfStream, decodeStream, type PdfDict, type Revision } from '../pdf/reader/index.js';

export interface DocumentSecurityStore {
  certificates: Uint8Array[];
  ocspResponses: Uint8Array[];
  crls: Uint8Array[];
}

function streams(revision: Revision, dss: PdfDict, key: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const entry of revision.array(dss.get(key)) ?? []) {
    const stream = revision.get(entry);
    if (!(stream instanceof PdfStream)) continue;
    try {
      out.push(decodeStream(stream));
    } catch {
      // An undecodable entry is just not evidence.
    }
  }
  return out;
}

/** The catalog's /DSS of a revision (ETSI EN 319 142-1 makes its /Type optional), undefined when it has none. */
export function readDss(revision: Revision): DocumentSecurityStore | undefined {
  const dss = revision.dict(revision.catalog()?.get('DSS'));
  if (!dss) return undefined;
  return { certificates: streams(revision, dss, 'Certs'), ocspResponses: streams(revision, dss, 'OCSPs'), crls: streams(revision, dss, 'CRLs') };
}
