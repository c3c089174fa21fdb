// Lists every token module, token and certificate, refreshed when a token is plugged in or pulled out.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcResponse } from '../../../shared/ipc-contract.js';
import { call, errorText } from '../bridge.js';
import { TokenCard } from './TokenCard.js';

type Reports = IpcResponse<'tokens.list'>;

export function TokensPage() {
  const { t, i18n } = useTranslation();
  const [reports, setReports] = useState<Reports>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  const refresh = useCallback(async () => {
    try {
      setReports(await call('tokens.list', {}));
      setError(undefined);
    } catch (failure) {
      setError(errorText(failure, i18n.language));
    }
  }, [i18n.language]);

  useEffect(() => {
    void refresh();
    return window.vanthu.on('tokens.changed', (event) => {
      setNotice(t(event.type === 'inserted' ? 'tokenInserted' : 'tokenRemoved', { label: event.token.label }));
      void refresh();
    });
  }, [refresh, t]);

  return (
    <main>
      <h2>{t('tokensTitle')}</h2>
      <button type="button" onClick={() => void refresh()}>{t('refresh')}</button>
      {notice && <p role="status" className="notice">{notice}</p>}
      {error && <p role="alert" className="error">{error}</p>}
      {!reports && !error && <p>{t('loading')}</p>}
      {reports?.length === 0 && <p>{t('noModules')}</p>}
      {reports?.map((report) => (
        <section key={report.path} className="module" aria-label={report.path}>
          <h3 className="module-path">{report.path}</h3>
          {!report.loaded && report.error && (
            <p className="error">
              {t('moduleError')}: {i18n.language === 'en' ? report.error.messageEn : report.error.messageVi}
            </p>
          )}
          {report.loaded && report.tokens.length === 0 && <p>{t('noTokens')}</p>}
          {report.tokens.map((token) => (
            <TokenCard key={`${token.serial}/${token.label}`} token={token} onChanged={() => void refresh()} />
          ))}
        </section>
      ))}
    </main>
  );
}
