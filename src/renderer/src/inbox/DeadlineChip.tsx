// A deadline as dd/MM/yyyy with "Sắp đến hạn" (within 2 days) or "Quá hạn" (in red) while the document is still being worked on.
import { useTranslation } from 'react-i18next';
import { deadlineStatus } from '../../../shared/deadline.js';
import { vietnamDate } from '../../../shared/vietnam-date.js';

/** Documents still being worked on: their deadline is chased; done (or returned, recalled) ones only show the date. */
export const TRACKED_STATES: readonly string[] = ['accepted', 'assigned', 'processing'];

export function DeadlineChip({ deadline, state, now }: { deadline: string | null | undefined; state: string; now?: Date }) {
  const { t } = useTranslation();
  if (!deadline) return <>—</>;
  const status = TRACKED_STATES.includes(state) ? deadlineStatus(deadline, now ?? new Date()) : 'later';
  return (
    <span className={`deadline deadline-${status}`}>
      {vietnamDate(deadline)}
      {status === 'overdue' && <span className="chip chip-bad">{t('processing.overdue')}</span>}
      {status === 'soon' && <span className="chip chip-wait">{t('processing.dueSoon')}</span>}
    </span>
  );
}
