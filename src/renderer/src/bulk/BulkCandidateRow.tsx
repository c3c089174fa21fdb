// One document waiting in the bulk list: tick box, number/notation, date dd/MM/yyyy, urgency in words, subject that opens the document, and why a run failed on it.
import { useTranslation } from 'react-i18next';
import type { IpcResponse } from '../../../shared/ipc-contract.js';
import { vietnamDate } from '../../../shared/vietnam-date.js';

type Candidate = IpcResponse<'bulk.candidates'>[number];

export interface BulkCandidateRowProps {
  candidate: Candidate;
  checked: boolean;
  /** Why the last run could not sign it. */
  reason: { messageVi: string; messageEn: string } | undefined;
  onToggle(): void;
  onOpen(): void;
}

export function BulkCandidateRow({ candidate: c, checked, reason, onToggle, onOpen }: BulkCandidateRowProps) {
  const { t, i18n } = useTranslation();
  const notation = c.codeNotation ? `…/${c.codeNotation}` : '';
  const number = c.codeNumber ? `${c.codeNumber}/${c.codeNotation ?? ''}`.replace(/\/$/, '') : `${t('signing.bulkList.unnumbered')}${notation ? ` (${notation})` : ''}`;
  return (
    <tr data-document={c.documentId} className={reason ? 'bulk-failed' : undefined}>
      <td>
        <input type="checkbox" aria-label={t('exchange.bulkSelectDoc', { subject: c.subject })} checked={checked} onChange={onToggle} />
      </td>
      <td>{number}</td>
      <td>{c.date ? vietnamDate(c.date) : '—'}</td>
      <td>
        <span className={c.priority ? 'chip chip-wait' : undefined}>{t(`documents.priority.${c.priority ?? 0}`)}</span>
      </td>
      <td>
        <button type="button" className="link" onClick={onOpen} aria-label={t('signing.bulkList.open', { subject: c.subject })}>
          {c.subject}
        </button>{' '}
        {c.signed !== 'none' && <span className="chip chip-neutral">{t('exchange.bulkSigned', { kind: t(`exchange.appearance_${c.signed === 'copy' ? 'attachment' : c.signed}`) })}</span>}
        {reason && (
          <span className="error bulk-reason">
            {' '}
            ⚠ {t('signing.bulkList.failed')}: {i18n.language === 'en' ? reason.messageEn : reason.messageVi}
          </span>
        )}
      </td>
    </tr>
  );
}
