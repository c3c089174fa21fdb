// Registers (DOMAIN.md): an agency's (number, ký hiệu) of one year arriving again under another message id is warned about, never refused.
import { sql, type Transaction } from 'kysely';
import type { MessageEnvelope } from '../../shared/exchange-protocol.js';
import type { SqlDialectName } from '../db/connect.js';
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

/**
 * Earlier new documents of `sender` with the envelope's number and ký hiệu, in the same year when both
 * dates are known (numbers restart on 1 January). Recalls, updates and replacements are not documents of their own.
 */
export async function duplicateNumberWarning(trx: Transaction<ServerSchema>, dialect: SqlDialectName, sender: string, id: string, envelope: MessageEnvelope): Promise<SubmissionWarning | undefined> {
  const { codeNumber, codeNotation, issuedDate } = envelope.metadata;
  if (envelope.type !== 'new' || !codeNumber || !codeNotation) return undefined;
  const notation = dialect === 'postgres' ? sql<string>`(envelope::jsonb #>> '{metadata,codeNotation}')` : sql<string>`json_extract(envelope, '$.metadata.codeNotation')`;
  const candidates = await trx
    .selectFrom('messages')
    .select(['id', 'envelope'])
    .where('sender', '=', sender)
    .where('type', '=', 'new')
    .where('id', '!=', id)
    .where(notation, '=', codeNotation)
    .orderBy('created_at')
    .execute();
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
