// Our own date field: typed as dd/MM/yyyy whatever the browser's locale (a native date input shows mm/dd/yyyy in English), kept as yyyy-MM-dd.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseVietnamDate, vietnamDate } from '../../../shared/vietnam-date.js';

export interface DateFieldProps {
  label: string;
  /** yyyy-MM-dd, or '' for no date. */
  value: string;
  /** Called with yyyy-MM-dd when the text is a real day, '' when emptied; not called while the text is incomplete or wrong. */
  onChange(value: string): void;
  required?: boolean;
  /** An error from the form's own checks, shown under the field. */
  error?: string | undefined;
  name?: string;
}

export function DateField({ label, value, onChange, required, error, name }: DateFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState(value ? vietnamDate(value) : '');
  const [wrong, setWrong] = useState(false);
  // A new value from outside (a loaded draft) replaces what is typed, unless it is what the text already means.
  useEffect(() => {
    if ((parseVietnamDate(text) ?? '') !== value) setText(value ? vietnamDate(value) : '');
  }, [value]);
  const shown = error ?? (wrong ? t('dateField.wrong') : undefined);
  return (
    <div className="date-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="text"
        inputMode="numeric"
        placeholder={t('dateField.placeholder')}
        autoComplete="off"
        value={text}
        required={required}
        aria-invalid={shown ? true : undefined}
        aria-describedby={shown ? `${id}-error` : undefined}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          if (next.trim() === '') {
            setWrong(false);
            onChange('');
            return;
          }
          const iso = parseVietnamDate(next);
          if (iso) {
            setWrong(false);
            onChange(iso);
          }
        }}
        onBlur={() => {
          const iso = parseVietnamDate(text);
          setWrong(text.trim() !== '' && iso === null);
          if (iso) setText(vietnamDate(iso));
        }}
      />
      {shown && (
        <p id={`${id}-error`} className="field-error">
          {shown}
        </p>
      )}
    </div>
  );
}
