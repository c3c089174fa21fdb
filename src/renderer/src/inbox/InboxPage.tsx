// Inbox: the exchange status, incoming documents with their verification badge and deadline, filters (tracked, to re-check), and the open document's panel.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { heldReasonText } from '../../../shared/held-reason.js';
import type { InboxItemView } from '../../../shared/ipc/exchange.js';
import { call, errorText } from '../bridge.js';
import { DocumentStateChip } from '../common/StatusChip.js';
import { DeadlineChip } from './DeadlineChip.js';
import { InboxDetail } from './InboxDetail.js';
import { SyncBar } from './SyncBar.js';

type Filter = 'all' | 'tracking' | 'held';

/** A filter's list is asked of the store (assigned or in progress soonest deadline first; held), up to this many. */
const FILTERED_LIMIT = 500;

export function InboxPage() {
  const { t, i18n } = useTranslation();
  const [items, setItems] = useState<InboxItemView[] | null>(null);
  const [open, setOpen] = useState<number | null>(null);
  const [arrived, setArrived] = useState<number>(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [filter, setFilter] = useState<Filter>('all');
  const [filtered, setFiltered] = useState<InboxItemView[] | null>(null);
  const [counts, setCounts] = useState<{ tracking: number; held: number } | null>(null);

  const refresh = useCallback(async () => {
    try {
      const page = await call('inbox.list', { limit: 200 });
      setItems(page.items);
      if (page.counts) setCounts(page.counts);
      // The filters run in the store, over every document, not only the page loaded above.
      setFiltered(filter === 'all' ? null : (await call('inbox.list', { filter, limit: FILTERED_LIMIT })).items);
      setFailure(null);
    } catch (error) {
      setFailure(errorText(error, i18n.language));
    }
  }, [i18n.language, filter]);

  useEffect(() => {
    void refresh();
    const off = window.vanthu.on('inbox.arrived', ({ count }) => {
      setArrived((n) => n + count);
      void refresh();
    });
    return off;
  }, [refresh]);

  const shown = filter === 'all' ? items : filtered;
  // Nothing from the previous filter shows while the next one loads.
  const choose = (next: Filter): void => {
    if (next === filter) return;
    setFiltered(null);
    setFilter(next);
  };
  return (
    <main className="inbox-page">
      <h2>{t('exchange.inboxHeading')}</h2>
      <SyncBar onSynced={() => void refresh()} />
      {arrived > 0 && (
        <p role="status" className="notice">
          {t('exchange.inboxArrived', { count: arrived })}
        </p>
      )}
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      {items && items.length > 0 && (
        <div className="inbox-filters" role="group" aria-label={t('processing.filterLabel')}>
          <button type="button" aria-pressed={filter === 'all'} onClick={() => choose('all')}>
            {t('processing.filterAll')}
          </button>
          <button type="button" aria-pressed={filter === 'tracking'} onClick={() => choose('tracking')}>
            {t('processing.filterTracking', { count: counts?.tracking ?? 0 })}
          </button>
          <button type="button" aria-pressed={filter === 'held'} onClick={() => choose('held')}>
            {t('processing.filterHeld', { count: counts?.held ?? 0 })}
          </button>
        </div>
      )}
      {filter === 'held' && <p className="hint">{t('processing.heldExplain')}</p>}
      {items && items.length === 0 && <p>{t('exchange.inboxEmpty')}</p>}
      {shown && shown.length === 0 && items && items.length > 0 && <p>{filter === 'held' ? t('processing.heldEmpty') : t('processing.trackingEmpty')}</p>}
      {shown && shown.length > 0 && (
        <table className="inbox-table" aria-label={t('exchange.inboxListLabel')}>
          <thead>
            <tr>
              <th scope="col">{t('exchange.colArrival')}</th>
              <th scope="col">{t('exchange.colSubject')}</th>
              <th scope="col">{t('exchange.colFrom')}</th>
              <th scope="col">{t('exchange.colNotation')}</th>
              <th scope="col">{t('exchange.colSignature')}</th>
              <th scope="col">{t('exchange.colState')}</th>
              <th scope="col">{t('processing.colDeadline')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('exchange.open')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((item) => (
              <tr key={item.documentId} className={open === item.documentId ? "open" : undefined}>
                <td>{item.arrivalNumber ?? '—'}</td>
                <td>{item.subject}</td>
                <td>{item.organName ?? '—'}</td>
                <td>{[item.codeNumber, item.codeNotation].filter(Boolean).join('/') || '—'}</td>
                <td>
                  {item.held ? (
                    <span className="chip chip-wait" title={heldReasonText(item.held.reason, item.held.outcome, i18n.language === 'en' ? 'en' : 'vi')}>
                      {t('exchange.heldChip')}
                    </span>
                  ) : item.verifiedOnArrival ? (
                    <span className="chip chip-ok">{t('exchange.verdict_valid')}</span>
                  ) : (
                    <span className="chip chip-neutral">—</span>
                  )}
                </td>
                <td>
                  <DocumentStateChip state={item.state} />
                </td>
                <td>
                  <DeadlineChip deadline={item.deadline} state={item.state} />
                </td>
                <td>
                  <button type="button" aria-label={t('exchange.openDocument', { subject: item.subject })} onClick={() => setOpen(item.documentId)}>
                    {t('exchange.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open !== null && <InboxDetail documentId={open} onChanged={() => void refresh()} onClose={() => setOpen(null)} />}
    </main>
  );
}
