// The same number and ký hiệu twice: the exchange server's warning on a sending, kept in the document's history, and incoming documents of one agency with the same number already in the store.
import { findDuplicates, getDocument, getHistory, type Db } from '../store/index.js';
import type { SubmissionWarning } from './client.js';

/** The reason written on the move to `sent` when the server warned (matched exactly; not shown as it is). */
export const DUPLICATE_NUMBER_REASON = 'Máy chủ báo trùng số, ký hiệu / the server warned: same number and notation sent before';

/** Whether the server's warnings beside a receipt include the duplicate number and notation. */
export const warnsDuplicateNumber = (warnings: readonly SubmissionWarning[]): boolean => warnings.some((w) => w.code === 'SERVER_DUPLICATE_NUMBER');

/** Whether the document's latest sending was accepted with the duplicate-number warning. */
export function sentWithDuplicateNumber(db: Db, documentId: number): boolean {
  const sent = getHistory(db, documentId).findLast((h) => h.kind === 'state' && h.to === 'sent');
  return sent?.reason === DUPLICATE_NUMBER_REASON;
}

/** How many other incoming documents of the same agency with the same number and ký hiệu the store holds (0 for an outgoing one). */
export function sameNumberReceived(db: Db, documentId: number): number {
  const document = getDocument(db, documentId);
  if (document.direction !== 'incoming' || document.codeNumber === undefined || document.codeNotation === undefined) return 0;
  const key = { codeNumber: document.codeNumber, codeNotation: document.codeNotation, ...(document.organId !== undefined ? { organId: document.organId } : {}) };
  return findDuplicates(db, key, documentId).filter((d) => d.direction === 'incoming').length;
}
