// The processing of an accepted incoming document: its record (who, when, what) and the clerk's next step (submit to the leader, assignment, in progress, done).
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InboxDetail } from '../../../shared/ipc/exchange.js';
import { recipientStatusWords } from '../common/status-words.js';
import { vietnamDate } from '../../../shared/vietnam-date.js';
import { vietnamDateTime } from '../../../shared/vietnam-time.js';
import { call, errorText } from '../bridge.js';
import { AssignmentForm } from './AssignmentForm.js';
import { DeadlineChip } from './DeadlineChip.js';

const PROCESSING_STATES: readonly string[] = ['accepted', 'assigned', 'processing', 'done'];

type Open = 'none' | 'submit' | 'assign' | 'done';

export function ProcessingPanel({ detail, onChanged }: { detail: InboxDetail; onChanged: (notice: string) => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [open, setOpen] = useState<Open>('none');
  const [leader, setLeader] = useState('');
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  if (!PROCESSING_STATES.includes(detail.state)) return null;
  const steps = detail.steps ?? [];
  const language = i18n.language === 'en' ? 'en' : 'vi';
  const submittedTo = steps.findLast((s) => s.step === 'submitted')?.actor ?? undefined;
  const assignment = steps.findLast((s) => s.step === 'assigned');
  const pending = detail.pendingStatuses ?? [];
  const words = (codes: string[]) => codes.map((c) => recipientStatusWords[language][c as '04']).join(', ');

  const act = async (work: () => Promise<string>): Promise<void> => {
    setBusy(true);
    setFailure(null);
    try {
      const notice = await work();
      setOpen('none');
      await onChanged(notice);
    } catch (error) {
      setFailure(errorText(error, i18n.language));
    } finally {
      setBusy(false);
    }
  };
  const viaExchange = detail.messageId !== null;
  const documentId = detail.documentId;

  return (
    <section className="processing-panel" aria-labelledby={`${id}-heading`}>
      <h4 id={`${id}-heading`}>{t('processing.heading')}</h4>
      {assignment?.deadline && (
        <p>
          {t('processing.assignDeadline')}: <DeadlineChip deadline={assignment.deadline} state={detail.state} />
        </p>
      )}
      {steps.length === 0 ? (
        <p className="hint">{t('processing.noSteps')}</p>
      ) : (
        <ol className="processing-steps" aria-label={t('processing.stepsLabel')}>
          {steps.map((s, index) => (
            <li key={index}>
              <time>{vietnamDateTime(new Date(s.at))}</time> —{' '}
              {s.step === 'submitted' && t('processing.step_submitted', { actor: s.actor ?? '—' })}
              {s.step === 'assigned' && (
                <>
                  {t('processing.step_assigned', { handler: s.handler ?? '—', deadline: s.deadline ? vietnamDate(s.deadline) : '—' })}
                  {s.actor && <div>{t('processing.step_assignedBy', { actor: s.actor })}</div>}
                  {s.note && <div>{t('processing.step_opinion', { note: s.note })}</div>}
                </>
              )}
              {s.step === 'processing' && (
                <>
                  {t('processing.step_processing')}
                  {s.note && <div>{t('processing.step_note', { note: s.note })}</div>}
                </>
              )}
              {s.step === 'done' && (
                <>
                  {t('processing.step_done')}
                  {s.note && <div>{t('processing.step_result', { note: s.note })}</div>}
                </>
              )}
            </li>
          ))}
        </ol>
      )}
      {!viaExchange && <p className="hint">{t('processing.localOnly')}</p>}
      {pending.some((p) => !p.stuck) && <p className="hint">{t('processing.pending', { statuses: words(pending.filter((p) => !p.stuck).map((p) => p.code)) })}</p>}
      {pending.some((p) => p.stuck) && (
        <div className="status-stuck" role="alert">
          <p className="warning">{t('processing.stuck', { statuses: words(pending.filter((p) => p.stuck).map((p) => p.code)) })}</p>
          {[...new Set(pending.filter((p) => p.reason).map((p) => (language === 'en' ? p.reason!.messageEn : p.reason!.messageVi)))].map((why) => (
            <p key={why}>{t('processing.stuckWhy', { reason: why })}</p>
          ))}
          <button type="button" disabled={busy} onClick={() => void act(async () => (await call('inbox.retryStatus', { documentId }), t('processing.retried')))}>
            {t('processing.retry')}
          </button>
        </div>
      )}
      {detail.state !== 'done' && (
        <div className="actions">
          {detail.state === 'accepted' && submittedTo === undefined && (
            <button type="button" disabled={busy} onClick={() => setOpen('submit')}>
              {t('processing.submit')}
            </button>
          )}
          {(detail.state === 'accepted' || detail.state === 'assigned') && (
            <button type="button" className={detail.state === 'accepted' ? 'primary' : undefined} disabled={busy} onClick={() => setOpen('assign')}>
              {detail.state === 'assigned' ? t('processing.reassign') : t('processing.assign')}
            </button>
          )}
          {(detail.state === 'accepted' || detail.state === 'assigned') && (
            <button
              type="button"
              className={detail.state === 'assigned' ? 'primary' : undefined}
              disabled={busy}
              onClick={() => void act(async () => (await call('inbox.progress', { documentId }), t('processing.processingSaved')))}
            >
              {t('processing.markProcessing')}
            </button>
          )}
          <button type="button" className={detail.state === 'processing' ? 'primary' : undefined} disabled={busy} onClick={() => setOpen('done')}>
            {t('processing.markDone')}
          </button>
        </div>
      )}
      {open === 'submit' && (
        <form
          className="submit-form"
          aria-label={t('processing.submit')}
          onSubmit={(e) => {
            e.preventDefault();
            if (leader.trim() === '') return;
            void act(async () => (await call('inbox.submit', { documentId, leader: leader.trim() }), t('processing.submitted')));
          }}
        >
          <div className="field">
            <label htmlFor={`${id}-leader`}>{t('processing.submitLeader')}</label>
            <input id={`${id}-leader`} type="text" required maxLength={200} value={leader} placeholder={t('processing.submitLeaderHint')} onChange={(e) => setLeader(e.target.value)} />
          </div>
          <div className="actions">
            <button type="submit" className="primary" disabled={busy || leader.trim() === ''}>
              {t('processing.submitSend')}
            </button>
            <button type="button" disabled={busy} onClick={() => setOpen('none')}>
              {t('processing.cancel')}
            </button>
          </div>
        </form>
      )}
      {open === 'assign' && (
        <AssignmentForm
          {...(submittedTo ? { leader: submittedTo } : {})}
          onCancel={() => setOpen('none')}
          onSubmit={async (values) => {
            try {
              await call('inbox.assign', {
                documentId,
                handler: values.handler,
                deadline: values.deadline,
                ...(values.leader ? { leader: values.leader } : {}),
                ...(values.opinion ? { opinion: values.opinion } : {}),
              });
            } catch (error) {
              throw new Error(errorText(error, i18n.language), { cause: error });
            }
            setOpen('none');
            await onChanged(t('processing.assigned'));
          }}
        />
      )}
      {open === 'done' && (
        <form
          className="done-form"
          aria-label={t('processing.doneHeading')}
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => (await call('inbox.done', { documentId, ...(result.trim() ? { result: result.trim() } : {}) }), t('processing.doneSaved')));
          }}
        >
          <h4>{t('processing.doneHeading')}</h4>
          <div className="field">
            <label htmlFor={`${id}-result`}>{t('processing.doneResult')}</label>
            <textarea id={`${id}-result`} rows={3} maxLength={2000} value={result} onChange={(e) => setResult(e.target.value)} />
          </div>
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {t('processing.doneSave')}
            </button>
            <button type="button" disabled={busy} onClick={() => setOpen('none')}>
              {t('processing.cancel')}
            </button>
          </div>
        </form>
      )}
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
    </section>
  );
}
