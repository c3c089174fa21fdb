// The leader's assignment as the clerk records it: leader, unit or person in charge (required), deadline dd/MM/yyyy (required, not past, Vietnam days), opinion.
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { vietnamToday } from '../../../shared/vietnam-date.js';
import { DateField } from '../common/DateField.js';

export interface AssignmentValues {
  leader: string;
  handler: string;
  /** yyyy-MM-dd */
  deadline: string;
  opinion: string;
}

export const MAX_HANDLER = 200;
export const MAX_OPINION = 2000;

/** The form's own checks: what is wrong with each field (message keys), nothing when it can be saved. */
export function assignmentProblems(values: AssignmentValues, now: Date = new Date()): Partial<Record<'handler' | 'deadline', string>> {
  const problems: Partial<Record<'handler' | 'deadline', string>> = {};
  if (values.handler.trim() === '') problems.handler = 'processing.handlerRequired';
  if (values.deadline === '') problems.deadline = 'processing.deadlineRequired';
  else if (values.deadline < vietnamToday(now)) problems.deadline = 'processing.deadlinePast';
  return problems;
}

export function AssignmentForm({ leader, onSubmit, onCancel }: { leader?: string; onSubmit: (values: AssignmentValues) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [values, setValues] = useState<AssignmentValues>({ leader: leader ?? '', handler: '', deadline: '', opinion: '' });
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const problems = assignmentProblems(values);
  const set = (field: keyof AssignmentValues) => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setTouched(true);
    if (Object.keys(assignmentProblems(values)).length > 0) return;
    setBusy(true);
    setFailure(null);
    try {
      await onSubmit({ leader: values.leader.trim(), handler: values.handler.trim(), deadline: values.deadline, opinion: values.opinion.trim() });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="assignment-form" aria-label={t('processing.assignHeading')} onSubmit={(e) => void submit(e)} noValidate>
      <h4>{t('processing.assignHeading')}</h4>
      <div className="field">
        <label htmlFor={`${id}-leader`}>{t('processing.assignLeader')}</label>
        <input id={`${id}-leader`} type="text" maxLength={MAX_HANDLER} value={values.leader} onChange={(e) => set('leader')(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-handler`}>{t('processing.assignHandler')}</label>
        <input
          id={`${id}-handler`}
          type="text"
          required
          maxLength={MAX_HANDLER}
          value={values.handler}
          aria-invalid={touched && problems.handler ? true : undefined}
          aria-describedby={touched && problems.handler ? `${id}-handler-error` : undefined}
          onChange={(e) => set('handler')(e.target.value)}
        />
        {touched && problems.handler && (
          <span id={`${id}-handler-error`} className="field-error">
            {t(problems.handler)}
          </span>
        )}
      </div>
      <DateField label={t('processing.assignDeadline')} value={values.deadline} onChange={set('deadline')} required error={touched && problems.deadline ? t(problems.deadline) : undefined} />
      <div className="field">
        <label htmlFor={`${id}-opinion`}>{t('processing.assignOpinion')}</label>
        <textarea id={`${id}-opinion`} rows={3} maxLength={MAX_OPINION} value={values.opinion} onChange={(e) => set('opinion')(e.target.value)} />
      </div>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('processing.assignSave')}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          {t('processing.cancel')}
        </button>
      </div>
    </form>
  );
}
