// Keeps the clerk's registers whole: a document a web page had marked incoming (SignIncome) is stored and given an arrival number in the app's register.
import { addFile, createDocument, registerIncoming, type Store } from '../../../core/store/index.js';
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
