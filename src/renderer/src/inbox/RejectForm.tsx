// The reject form: a reason the sender will read (at least 3 characters), sent with status 02.
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

export const MIN_REASON = 3;
export const MAX_REASON = 1000;

export function RejectForm({ onSubmit, onCancel }: { onSubmit: (reason: string) => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const tooShort = reason.trim().length < MIN_REASON;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setTouched(true);
    if (tooShort) return;
    setBusy(true);
    setFailure(null);
    try {
      await onSubmit(reason.trim());
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="reject-form" aria-label={t('exchange.rejectHeading')} onSubmit={(e) => void submit(e)} noValidate>
      <h4>{t('exchange.rejectHeading')}</h4>
      <div className="field">
        <label htmlFor={`${id}-reason`}>{t('exchange.rejectReason')}</label>
        <textarea
          id={`${id}-reason`}
          rows={3}
          maxLength={MAX_REASON}
          value={reason}
          aria-invalid={touched && tooShort}
          aria-describedby={`${id}-hint`}
          onChange={(e) => setReason(e.target.value)}
          onBlur={() => setTouched(true)}
        />
        <span id={`${id}-hint`} className={touched && tooShort ? 'field-error' : 'hint'}>
          {touched && tooShort ? t('exchange.rejectReasonShort') : t('exchange.rejectHint')}
        </span>
      </div>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('exchange.rejectSend')}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>
          {t('exchange.cancel')}
        </button>
      </div>
    </form>
  );
}
