// "In sổ" and "Xuất Excel" on the outgoing and incoming register views: a year or a period (our own date fields), the file saved and shown.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SavedFileDto } from '../../../shared/ipc/documents.js';
import { vietnamToday } from '../../../shared/vietnam-date.js';
import { call, errorText } from '../bridge.js';
import { DateField } from '../common/DateField.js';
import { SavedFile } from '../common/SavedFile.js';

/** The years offered: this one and the nine before it (registers restart on 1 January). */
const YEARS = 10;

export function RegisterPrintBar({ kind }: { kind: 'outgoing' | 'incoming' }) {
  const { t, i18n } = useTranslation();
  const thisYear = Number(vietnamToday().slice(0, 4));
  const [mode, setMode] = useState<'year' | 'period'>('year');
  const [year, setYear] = useState(thisYear);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<SavedFileDto | null>(null);

  const run = async (format: 'pdf' | 'xlsx'): Promise<void> => {
    setProblem(null);
    setSaved(null);
    if (mode === 'period') {
      if (!from || !to) return setProblem(t('registers.needPeriod'));
      if (from > to) return setProblem(t('registers.backwards'));
    }
    setBusy(true);
    try {
      setSaved(await call('registers.export', mode === 'year' ? { kind, format, year } : { kind, format, from, to }));
    } catch (error) {
      setProblem(errorText(error, i18n.language));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="register-print" aria-label={t('registers.heading')}>
      <label>
        {t('registers.periodKind')}
        <select value={mode} onChange={(e) => setMode(e.target.value === 'period' ? 'period' : 'year')}>
          <option value="year">{t('registers.byYear')}</option>
          <option value="period">{t('registers.byPeriod')}</option>
        </select>
      </label>
      {mode === 'year' ? (
        <label>
          {t('registers.year')}
          <select value={year} onChange={(e) => setYear(Number(e.target.value))}>
            {Array.from({ length: YEARS }, (_, i) => thisYear - i).map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <>
          <DateField label={t('registers.from')} value={from} onChange={setFrom} name="register-from" />
          <DateField label={t('registers.to')} value={to} onChange={setTo} name="register-to" />
        </>
      )}
      <button type="button" disabled={busy} onClick={() => void run('pdf')}>
        {t('registers.print')}
      </button>
      <button type="button" disabled={busy} onClick={() => void run('xlsx')}>
        {t('registers.excel')}
      </button>
      {busy && <p role="status">{t('registers.working')}</p>}
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {saved && <SavedFile saved={saved} />}
    </section>
  );
}
