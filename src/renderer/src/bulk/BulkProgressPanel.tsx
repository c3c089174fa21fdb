// The running batch: a progress bar, the document being signed, per-document results, and stop / continue (with the PIN again).
import { useId, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { canCancel, canResume, tally, type BulkState } from './progress-state.js';

export function BulkProgressPanel({ state, subjects, onCancel, onResume }: { state: BulkState; subjects: ReadonlyMap<number, string>; onCancel: () => void; onResume: (pin: string) => void }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const progress = state.progress;
  const counts = tally(progress);
  const resume = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem('pin') as HTMLInputElement;
    const pin = input.value;
    input.value = '';
    if (pin) onResume(pin);
  };
  return (
    <section className="bulk-progress" aria-label={t('exchange.bulkProgress')}>
      <h3>{t('exchange.bulkProgress')}</h3>
      <progress max={100} value={counts.percent} aria-label={t('exchange.bulkProgress')} aria-valuetext={t('exchange.bulkProgressText', { done: progress?.done ?? 0, total: progress?.total ?? 0 })} />
      <p role="status">
        {t('exchange.bulkProgressText', { done: progress?.done ?? 0, total: progress?.total ?? 0 })}
        {progress?.current && state.phase === 'running' && <> — {t('exchange.bulkCurrent', { subject: progress.current.subject })}</>}
      </p>
      {state.phase === 'finished' && <p className="notice">{t('exchange.bulkFinished', { signed: counts.signed, failed: counts.failed, other: counts.other })}</p>}
      {progress?.error && (
        <p role="alert" className="error">
          {i18n.language === 'en' ? progress.error.messageEn : progress.error.messageVi}
        </p>
      )}
      {progress && progress.items.length > 0 && (
        <table className="bulk-results" aria-label={t('exchange.bulkResults')}>
          <tbody>
            {progress.items.map((item) => (
              <tr key={item.documentId} data-status={item.status}>
                <td>{subjects.get(item.documentId) ?? `#${item.documentId}`}</td>
                <td>
                  <span className={`chip chip-${item.status === 'signed' || item.status === 'already_signed' ? 'ok' : item.status === 'failed' ? 'bad' : 'wait'}`}>{t(`exchange.item_${item.status}`)}</span>
                  {item.error && <span className="error"> {i18n.language === 'en' ? item.error.messageEn : item.error.messageVi}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        {canCancel(state) && (
          <button type="button" onClick={onCancel}>
            {t('exchange.bulkCancel')}
          </button>
        )}
      </div>
      {canResume(state) && (
        <form onSubmit={resume} className="bulk-resume">
          <label htmlFor={`${id}-pin`}>{t('exchange.bulkPin')}</label>{' '}
          <input id={`${id}-pin`} name="pin" type="password" autoComplete="off" maxLength={64} />{' '}
          <button type="submit" className="primary">
            {t('exchange.bulkResume')}
          </button>
        </form>
      )}
    </section>
  );
}
