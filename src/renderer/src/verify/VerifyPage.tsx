// Verify: drop or pick any PDF and read its signature report in plain words.
import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_VERIFY_BYTES, type VerifyReport } from '../../../shared/ipc/exchange.js';
import { call, errorText } from '../bridge.js';
import { FileButton } from '../common/FileButton.js';
import { isPdf, readBytes, toBase64 } from './read-file.js';
import { SignatureReport } from './SignatureReport.js';
import { ReportButton } from './ReportButton.js';

type Checked = { name: string; size: number; report: VerifyReport; contentBase64: string };

export function VerifyPage() {
  const { t, i18n } = useTranslation();
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [checked, setChecked] = useState<Checked | null>(null);

  const verify = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    setProblem(null);
    setChecked(null);
    if (file.size > MAX_VERIFY_BYTES) return setProblem(t('exchange.verifyTooLarge', { name: file.name, max: MAX_VERIFY_BYTES / (1024 * 1024) }));
    const bytes = await readBytes(file);
    if (!isPdf(bytes)) return setProblem(t('exchange.verifyNotPdf', { name: file.name }));
    setBusy(true);
    try {
      const contentBase64 = toBase64(bytes);
      const report = await call('verify.file', { name: file.name.slice(0, 255), contentBase64 });
      setChecked({ name: file.name, size: file.size, report, contentBase64 });
    } catch (error) {
      setProblem(errorText(error, i18n.language));
    } finally {
      setBusy(false);
    }
  };

  const onDrop = (event: DragEvent<HTMLElement>): void => {
    event.preventDefault();
    setDragging(false);
    void verify(event.dataTransfer.files[0]);
  };

  return (
    <main className="verify-page">
      <h2>{t('exchange.verifyHeading')}</h2>
      <section
        className={`drop-zone verify-drop${dragging ? ' dragging' : ''}`}
        aria-label={t('exchange.verifyDrop')}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>{t('exchange.verifyIntro')}</p>
        <div className="field">
          <FileButton label={t('exchange.verifyPick')} accept="application/pdf,.pdf" chosen={checked?.name} onFiles={(files) => void verify(files[0])} />
        </div>
      </section>
      {busy && <p role="status">{t('exchange.verifying')}</p>}
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      {checked && (
        <article className="verify-result" aria-live="polite">
          <p>{t('exchange.verifyFile', { name: checked.name, size: Math.ceil(checked.size / 1024) })}</p>
          <SignatureReport report={checked.report} />
          <ReportButton source={{ name: checked.name.slice(0, 255), contentBase64: checked.contentBase64 }} />
        </article>
      )}
    </main>
  );
}
