// "In báo cáo kiểm tra": a printable verification report (PDF, Vietnamese) of a stored document's file or of a checked file, saved and shown.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcRequest } from '../../../shared/ipc-contract.js';
import type { SavedFileDto } from '../../../shared/ipc/documents.js';
import { call, errorText } from '../bridge.js';
import { SavedFile } from '../common/SavedFile.js';

export function ReportButton({ source }: { source: IpcRequest<'reports.verification'> }) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState<SavedFileDto | null>(null);
  const print = async (): Promise<void> => {
    setBusy(true);
    setProblem(null);
    setSaved(null);
    try {
      setSaved(await call('reports.verification', source));
    } catch (error) {
      setProblem(errorText(error, i18n.language));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="report-button">
      <button type="button" disabled={busy} onClick={() => void print()}>
        {t('registers.report')}
      </button>
      {busy && <p role="status">{t('registers.reportWorking')}</p>}
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {saved && <SavedFile saved={saved} />}
    </div>
  );
}
