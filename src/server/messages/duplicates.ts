// Registers (DOMAIN.md): an agency's (number, ký hiệu) of one year arriving again under another message id is warned about, never refused.
import type { QueryCreator } from 'kysely';
import { codeNotationKey, codeNumberKey } from '../db/migrations/0010-duplicate-number-index.js';
import type { MessageEnvelope } from '../../shared/exchange-protocol.js';
import type { SqlDialectName } from '../db/dialect.js';
import type { ServerSchema } from '../db/schema.js';

export interface SubmissionWarning {
  code: 'SERVER_DUPLICATE_NUMBER';
  messageVi: string;
  messageEn: string;
  /** The earlier messages of the same agency with the same number and ký hiệu (same year). */
  earlier: string[];
}

/** "05" and "5" are one number (the leading zero is only how numbers under 10 are written). */
const numberOf = (value: string): string => value.trim().replace(/^0+(?=\d)/, '');
const yearOf = (date: string | undefined): string | undefined => (date && /^\d{4}/.test(date) ? date.slice(0, 4) : undefined);

/** Equal for any two numbers numberOf finds equal (and for a few more, which the exact test then drops): what SQL narrows by. */
const numberKey = (value: string): string => value.trim().replace(/^0+/, '');

/** What duplicateCandidatesQuery looks for: undefined when the envelope is not a numbered new document. */
export function numberedDocument(sender: string, id: string, envelope: MessageEnvelope): NumberedDocument | undefined {
  const { codeNumber, codeNotation } = envelope.metadata;
  if (envelope.type !== 'new' || !codeNumber || !codeNotation) return undefined;
  return { sender, id, codeNotation, number: numberKey(codeNumber) };
}

export interface NumberedDocument {
  sender: string;
  /** The submission's own message id (not an earlier one). */
  id: string;
  codeNotation: string;
  /** The number as the index keys it (numberKey). */
  number: string;
}

/**
 * The query for earlier new documents of the sender with the document's number and ký hiệu (narrowed in SQL, decided
 * by duplicateWarningFrom). Run under the audit head's lock (submit.ts), after the statement that took it: two
 * submissions of one number see each other in commit order.
 */
export function duplicateCandidatesQuery(db: QueryCreator<ServerSchema>, dialect: SqlDialectName, numbered: NumberedDocument) {
  // The expressions of the messages_duplicate_number index, as they are: the lookup reads the index, not every message.
  return db
    .selectFrom('messages')
    .select(['id', 'envelope'])
    .where('sender', '=', numbered.sender)
    .where('type', '=', 'new')
    .where('id', '!=', numbered.id)
    .where(codeNotationKey(dialect), '=', numbered.codeNotation)
    .where(codeNumberKey(dialect), '=', numbered.number)
    .orderBy('created_at');
}

/** The warning for the rows duplicateCandidatesQuery found: same number (05 is 5) in the same year when both dates are known (numbers restart on 1 January). */
export function duplicateWarningFrom(candidates: { id: string; envelope: string }[], sender: string, envelope: MessageEnvelope): SubmissionWarning | undefined {
  const { codeNumber, codeNotation, issuedDate } = envelope.metadata;
  if (!codeNumber || !codeNotation) return undefined;
  const earlier = candidates
    .filter((row) => {
      const m = (JSON.parse(row.envelope) as MessageEnvelope).metadata;
      if (!m.codeNumber || numberOf(m.codeNumber) !== numberOf(codeNumber)) return false;
      const [a, b] = [yearOf(m.issuedDate), yearOf(issuedDate)];
      return a === undefined || b === undefined || a === b;
    })
    .map((row) => row.id);
  if (earlier.length === 0) return undefined;
  // As printed on the document (DOMAIN.md): numbers under 10 with a leading 0.
  const text = `${numberOf(codeNumber).padStart(2, '0')}/${codeNotation}`;
  return {
    code: 'SERVER_DUPLICATE_NUMBER',
    messageVi: `Văn bản số ${text} của cơ quan ${sender} đã được gửi trước đây (${earlier.join(', ')}); văn bản này vẫn được nhận, đề nghị kiểm tra sổ đăng ký.`,
    messageEn: `Document ${text} of agency ${sender} was sent before (${earlier.join(', ')}); this one is still accepted, check the register.`,
    earlier,
  };
}
