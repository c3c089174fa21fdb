// Recipients picked from the agency directory cached offline: search by name (diacritics optional) or organ id, add and remove.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Recipient } from '../../../shared/document.js';
import type { DirectoryEntryDto } from '../../../shared/ipc/documents.js';
import { call, errorText } from '../bridge.js';

const RESULTS = 50;
const SEARCH_DELAY_MS = 200;

export interface RecipientPickerProps {
  recipients: Recipient[];
  onChange(recipients: Recipient[]): void;
  error?: string | undefined;
  /** The fieldset's title; "Nơi nhận" unless the form prints its own "Nơi nhận" list beside it. */
  legend?: string;
}

export function RecipientPicker({ recipients, onChange, error, legend }: RecipientPickerProps) {
  const { t, i18n } = useTranslation();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<{ agencies: DirectoryEntryDto[]; total: number; directorySize: number } | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const resultsId = useId();

  useEffect(() => {
    let live = true;
    const timer = setTimeout(
      () => {
        const q = query.trim();
        call('directory.list', { ...(q ? { query: q } : {}), limit: RESULTS })
          .then(async (result) => {
            // An empty result needs telling apart: no match, or no directory synced yet.
            const directorySize = q && result.total === 0 ? (await call('directory.list', { limit: 1 })).total : result.total;
            if (live) {
              setFound({ ...result, directorySize });
              setFailure(null);
            }
          })
          .catch((e: unknown) => live && setFailure(e));
      },
      query ? SEARCH_DELAY_MS : 0,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);

  const chosen = new Set(recipients.map((r) => r.organId));
  return (
    <fieldset className="compose-recipients" aria-invalid={error ? true : undefined}>
      <legend>{legend ?? t('documents.recipientsLegend')}</legend>
      <h3 id={`${resultsId}-chosen`}>{t('documents.selectedRecipients')}</h3>
      {recipients.length === 0 ? (
        <p>{t('documents.noRecipients')}</p>
      ) : (
        <ul aria-labelledby={`${resultsId}-chosen`} className="chosen-recipients">
          {recipients.map((r) => (
            <li key={r.organId}>
              <span>{`${r.organName} (${r.organId})`}</span>{' '}
              <button type="button" onClick={() => onChange(recipients.filter((x) => x.organId !== r.organId))}>
                {t('documents.removeRecipient', { name: r.organName })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && <p className="field-error">{error}</p>}
      <label>
        {t('documents.directorySearch')}
        <input type="search" value={query} maxLength={200} aria-controls={resultsId} onChange={(e) => setQuery(e.target.value)} />
      </label>
      {failure !== null && (
        <p role="alert" className="error">
          {errorText(failure, i18n.language)}
        </p>
      )}
      {found && found.directorySize === 0 && <p className="empty">{t('documents.directoryEmpty')}</p>}
      {found && found.directorySize > 0 && found.total === 0 && <p className="empty">{t('documents.directoryNoMatch', { query: query.trim() })}</p>}
      <ul id={resultsId} aria-label={t('documents.directoryResults')} className="directory-results">
        {found?.agencies.map((a) => (
          <li key={a.organId}>
            <span>
              {a.name} <span className="organ-id">{a.organId}</span>
            </span>{' '}
            {chosen.has(a.organId) ? (
              <span className="chip chip-ok">{t('documents.added')}</span>
            ) : (
              <button type="button" onClick={() => onChange([...recipients, { organId: a.organId, organName: a.name }])}>
                {t('documents.addRecipient', { name: a.name })}
              </button>
            )}
          </li>
        ))}
      </ul>
      {found && found.total > found.agencies.length && <p>{t('documents.directoryMore', { count: found.total - found.agencies.length })}</p>}
    </fieldset>
  );
}
