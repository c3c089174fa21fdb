// One row of a register: number and notation, subject, date, state and recipients' statuses; a button that opens the document.
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumberNotation, type DocumentState } from '../../../shared/document.js';
import type { DocumentSummaryDto } from '../../../shared/ipc/documents.js';
import { vietnamDate, vietnamToday } from '../../../shared/vietnam-date.js';
import { DocumentStateChip, RecipientStatusChip } from '../common/StatusChip.js';
import { DeadlineChip } from '../inbox/DeadlineChip.js';

/** Recipients shown in a row; the rest are counted (a row keeps its fixed height). */
const SHOWN_RECIPIENTS = 3;

export const DocumentRow = memo(function DocumentRow({ document, index, onOpen }: { document: DocumentSummaryDto; index: number; onOpen(id: number): void }) {
  const { t, i18n } = useTranslation();
  const number = document.codeNumber && document.codeNotation ? formatNumberNotation(document.codeNumber, document.codeNotation) : null;
  // The day in Vietnam, whatever the machine's clock: a draft saved at 23:30 in Hà Nội belongs to that day.
  const date = document.issuedDate ?? vietnamToday(new Date(document.updatedAt));
  const hidden = document.recipients.length - SHOWN_RECIPIENTS;
  return (
    <button type="button" className={document.attention ? 'document-row with-attention' : 'document-row'} data-row-index={index} data-document-id={document.id} onClick={() => onOpen(document.id)}>
      <span className="document-number">{number ?? t('documents.noNumber')}</span>
      <span className="document-subject">{document.subject}</span>
      <span className="document-meta">
        <time dateTime={date}>{vietnamDate(date)}</time>
        {document.priority > 0 && <span className="chip chip-bad">{t(`documents.priority.${document.priority}`)}</span>}
        {document.secrecy > 0 && <span className="chip chip-bad">{t(`documents.secrecy.${document.secrecy}`)}</span>}
        <DocumentStateChip state={document.state as DocumentState} />
        {document.direction === 'incoming' && document.deadline && (
          <span className="document-deadline">
            {t('processing.colDeadline')}: <DeadlineChip deadline={document.deadline} state={document.state} />
          </span>
        )}
        {document.direction === 'incoming'
          ? document.organName && <span className="document-from">{`${t('documents.from')}: ${document.organName}`}</span>
          : document.recipients.slice(0, SHOWN_RECIPIENTS).map((r) => <RecipientStatusChip key={r.organId} status={r.status} organName={r.organName} />)}
        {document.direction === 'outgoing' && hidden > 0 && <span className="chip chip-neutral">{t('documents.moreRecipients', { count: hidden })}</span>}
      </span>
      {document.attention && <span className="attention-reason">{i18n.language === 'en' ? document.attention.en : document.attention.vi}</span>}
    </button>
  );
});
