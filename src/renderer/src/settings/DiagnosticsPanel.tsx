// Diagnostics: token modules found or not loadable and why, exchange server and TSA reachable, store integrity.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Diagnostics } from '../../../shared/ipc/exchange.js';
import { hasEnglish } from '../../../shared/english-words.js';
import { call, errorText } from '../bridge.js';

/** What a network failure's English detail means, by the error codes Node and fetch put in it. */
export function networkCause(detail: string): 'refused' | 'notFound' | 'timeout' | 'tls' | 'other' {
  if (/ECONNREFUSED|ECONNRESET/.test(detail)) return 'refused';
  if (/ENOTFOUND|EAI_AGAIN/.test(detail)) return 'notFound';
  if (/ETIMEDOUT|timeout|timed out|aborted/i.test(detail)) return 'timeout';
  if (/certificate|CERT_|SSL|TLS/i.test(detail)) return 'tls';
  return 'other';
}

export function DiagnosticsPanel() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [report, setReport] = useState<Diagnostics | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const run = async (): Promise<void> => {
    setBusy(true);
    setFailure(null);
    try {
      setReport(await call('diagnostics.report', {}));
    } catch (error) {
      setFailure(errorText(error, i18n.language));
    } finally {
      setBusy(false);
    }
  };

  // The network's own words (ECONNREFUSED, fetch failed…) are English: the Vietnamese screen names the cause in Vietnamese.
  const said = (detail: string | null): string => (en || !detail || !hasEnglish(detail) ? (detail ?? '') : t(`exchange.diagNet_${networkCause(detail)}`));
  const reach = (r: Diagnostics['server']): string =>
    !r.configured ? t('exchange.diagNotConfigured') : r.reachable ? t('exchange.diagReachable', { detail: said(r.detail) }) : t('exchange.diagUnreachable', { detail: said(r.detail) });

  return (
    <section className="diagnostics" aria-labelledby="diagnostics-heading">
      <h3 id="diagnostics-heading">{t('exchange.diagnosticsHeading')}</h3>
      <button type="button" onClick={() => void run()} disabled={busy}>
        {busy ? t('exchange.diagnosticsRunning') : t('exchange.diagnosticsRun')}
      </button>
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      {report && (
        <dl className="diagnostics-report">
          <dt>{t('exchange.diagModules')}</dt>
          <dd>
            <ul>
              {report.modules.map((m) => (
                <li key={m.path} className={m.error ? 'error' : m.present ? undefined : 'hint'}>
                  <span className="module-path">{m.path}</span> ({m.vendor}):{' '}
                  {m.error ? t('exchange.diagModuleFailed', { reason: en ? m.error.messageEn : m.error.messageVi }) : m.loaded ? t('exchange.diagModuleOk', { count: m.tokens }) : t('exchange.diagModuleMissing')}
                </li>
              ))}
            </ul>
          </dd>
          <dt>{t('exchange.diagServer')}</dt>
          <dd className={report.server.configured && !report.server.reachable ? 'error' : undefined}>{reach(report.server)}</dd>
          <dt>{t('exchange.diagTsa')}</dt>
          <dd className={report.tsa.configured && !report.tsa.reachable ? 'error' : undefined}>{reach(report.tsa)}</dd>
          <dt>{t('exchange.diagStore')}</dt>
          <dd className={report.store.ok ? undefined : 'error'}>
            {report.store.ok ? t('exchange.diagStoreOk', { documents: report.store.documents, blobs: report.store.blobsChecked }) : t('exchange.diagStoreBad', { count: report.store.problems.length })}
            {report.store.problems.length > 0 && (
              <ul>
                {report.store.problems.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
      )}
    </section>
  );
}
