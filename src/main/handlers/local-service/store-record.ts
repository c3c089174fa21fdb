// Keeps the clerk's registers whole: a document a web page had marked incoming (SignIncome) gets an arrival number; one it issued (SignIssued) enters the outgoing register with the page's number.
import { addFile, createDocument, recordNumberedElsewhere, registerIncoming, vietnamDate, type DocumentSummary, type Store } from '../../../core/store/index.js';
import type { SignedRecord } from '../../../core/local-service/index.js';
import { METADATA_LIMITS } from '../../../shared/document.js';

export interface RecordedIncoming {
  documentId: number;
  /** Absent while the agency's own id is not known (no exchange login yet): registered later from the inbox. */
  arrivalNumber?: number;
}

const meta = (record: SignedRecord, ...keys: string[]): string | undefined => {
  for (const key of keys) {
    const value = record.metaData?.find((entry) => typeof entry?.Key === 'string' && entry.Key.toLowerCase() === key.toLowerCase())?.Value?.trim();
    if (value) return value;
  }
  return undefined;
};

/** "05/UBND-VP" -> number "05" and notation "UBND-VP", when it has that shape and fits the register's columns. */
function numberAndNotation(text: string | undefined): { codeNumber?: string; codeNotation?: string } {
  const match = text ? /^\s*(\d{1,11})\s*\/\s*(\S.{0,29}?)\s*$/.exec(text) : null;
  return match ? { codeNumber: match[1]!, codeNotation: match[2]! } : {};
}

/** Stores the signed incoming document (its file as the page had it signed) and registers it when the own agency is known. */
export function recordIncoming(store: Store, record: SignedRecord, ownOrganId: string | undefined): RecordedIncoming {
  const subject = (meta(record, 'TrichYeu', 'Subject') ?? record.fileName.replace(/\.pdf$/i, '')).slice(0, METADATA_LIMITS.subject);
  const organName = meta(record, 'NoiGui', 'OrganName')?.slice(0, METADATA_LIMITS.organName);
  const { id } = createDocument(store.db, 'incoming', { subject, ...(organName ? { organName } : {}), ...numberAndNotation(meta(record, 'SoKyHieu', 'CodeNumber')) });
  addFile(store.db, store.blobs, id, { role: 'main', name: record.fileName.slice(0, 255), bytes: record.bytes, signatureKind: 'none' });
  if (!ownOrganId) return { documentId: id };
  return { documentId: id, arrivalNumber: registerIncoming(store.db, id, { organId: ownOrganId }).arrivalNumber };
}

export interface RecordedIssued {
  documentId: number;
  /** What the register holds: the page's number and ký hiệu, and the Vietnam date of its IssuedDate. */
  codeNumber: string;
  codeNotation?: string;
  issuedDate: string;
  /** Outgoing documents with the same number, ký hiệu and year already in the register (Decree 30: a warning). */
  duplicates: DocumentSummary[];
}

/**
 * Stores a document the page had sealed and issued (SignIssued) in the outgoing register, with the
 * number the e-office system gave (DocNumber "123/BCY-CTSBMTT") and its IssuedDate, marked as
 * numbered by that site: our own counter is not touched. Undefined when DocNumber has no number.
 */
export function recordIssued(store: Store, record: SignedRecord, ownOrganId: string | undefined): RecordedIssued | undefined {
  const numbering = numberAndNotation(record.documentNumber);
  const bare = numbering.codeNumber ? undefined : /^\s*(\d{1,11})\s*$/.exec(record.documentNumber ?? '')?.[1];
  const codeNumber = numbering.codeNumber ?? bare;
  if (!codeNumber) return undefined;
  const at = record.documentDate ? Date.parse(record.documentDate) : Number.NaN;
  const issuedDate = vietnamDate(Number.isNaN(at) ? Date.now() : at).date;
  const subject = (meta(record, 'TrichYeu', 'Subject') ?? (record.fileName.replace(/\.pdf$/i, '').trim() || 'Văn bản phát hành từ trang web')).slice(0, METADATA_LIMITS.subject);
  const typeName = meta(record, 'LoaiVanBan', 'TypeName')?.slice(0, METADATA_LIMITS.typeName);
  // One transaction: the register never shows the document without its signed file.
  const { documentId, duplicates } = store.db
    .transaction(() => {
      const recorded = recordNumberedElsewhere(
        store.db,
        { subject, ...(typeName ? { typeName } : {}), ...(ownOrganId ? { organId: ownOrganId } : {}) },
        { numberedBy: record.origin, codeNumber, ...(numbering.codeNotation ? { codeNotation: numbering.codeNotation } : {}), issuedDate },
      );
      addFile(store.db, store.blobs, recorded.documentId, { role: 'main', name: record.fileName.slice(0, 255), bytes: record.bytes, signatureKind: 'seal', signatureLevel: record.level, ...(record.signer ? { signer: record.signer } : {}) });
      return recorded;
    })
    .immediate();
  return { documentId, codeNumber, ...(numbering.codeNotation ? { codeNotation: numbering.codeNotation } : {}), issuedDate, duplicates };
}
