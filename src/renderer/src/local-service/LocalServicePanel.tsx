// Settings section of the signing service for web pages: on/off with consent, the certificate, the port, allowed and blocked sites, trusting the local CA.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocalServiceStatus } from '../../../shared/ipc/local-service.js';
import { call, errorText } from '../bridge.js';
import { certificateLine, certificateMarks } from '../tokens/certificate-view.js';

type TokenChoice = NonNullable<LocalServiceStatus['signingToken']>;
const choiceKey = (c: TokenChoice | null): string => (c ? `${c.module}|${c.serial ?? c.label ?? ''}|${c.cert}` : '');

export function LocalServicePanel() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [status, setStatus] = useState<LocalServiceStatus | null>(null);
  const [certs, setCerts] = useState<{ key: string; label: string; choice: TokenChoice }[]>([]);
  const [enabled, setEnabled] = useState(false);
  const [consent, setConsent] = useState(false);
  const [token, setToken] = useState('');
  const [port, setPort] = useState('8987');
  const [caConsent, setCaConsent] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const adopt = (s: LocalServiceStatus): void => {
    setStatus(s);
    setEnabled(s.enabled);
    setToken(choiceKey(s.signingToken));
    setPort(String(s.port));
  };

  useEffect(() => {
    // Where the service is not part of the build (the bare preview), the section stays hidden.
    call('localService.status', {}).then(adopt, () => undefined);
    call('tokens.list', {}).then((reports) => {
      const options: { key: string; label: string; choice: TokenChoice }[] = [];
      for (const m of reports)
        for (const tk of m.tokens)
          for (const c of tk.certificates)
            if (c.privateKey !== 'absent' && !c.certificate.isCA) {
              const choice: TokenChoice = { module: m.path, label: tk.label, serial: tk.serial, cert: c.id };
              // Holder, organization, CA, validity and serial tail: two certificates of one name differ; expired ones say so.
              const marks = certificateMarks(c.certificate, undefined).map((m) => t(`signing.picker.${m}`));
              options.push({ key: choiceKey(choice), label: certificateLine(c.certificate, marks, tk.label), choice });
            }
      setCerts(options);
    }, () => undefined);
    const off = window.vanthu.on('localService.changed', adopt);
    return off;
  }, []);

  const run = async (work: () => Promise<LocalServiceStatus>): Promise<void> => {
    setBusy(true);
    setFailure(null);
    try {
      adopt(await work());
    } catch (error) {
      setFailure(errorText(error, i18n.language));
    } finally {
      setBusy(false);
    }
  };

  const save = (event: FormEvent): void => {
    event.preventDefault();
    if (enabled && !status?.enabled && !consent) return setFailure(t('localService.consentNeeded'));
    const chosen = certs.find((c) => c.key === token)?.choice ?? (token === choiceKey(status?.signingToken ?? null) ? (status?.signingToken ?? null) : null);
    void run(() => call('localService.configure', { enabled, consent, port: Number(port), signingToken: chosen }));
  };

  const remove = (list: 'allowedOrigins' | 'refusedOrigins', origin: string) => () =>
    void run(() => call('localService.configure', { [list]: (status?.[list] ?? []).filter((o) => o !== origin) }));

  if (!status) return null;
  const caText = { trusted: t('localService.caTrusted'), 'not-trusted': t('localService.caNotTrusted'), unknown: t('localService.caUnknown') }[status.caTrust];
  return (
    <section aria-labelledby={`${id}-heading`} className="local-service-settings">
      <h3 id={`${id}-heading`}>{t('localService.heading')}</h3>
      <p className="hint">{t('localService.intro')}</p>
      <form onSubmit={save} noValidate>
        <label>
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> {t('localService.enabled')}
        </label>
        {enabled && !status.enabled && (
          <label>
            <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} /> {t('localService.consent')}
          </label>
        )}
        <div className="field">
          <label htmlFor={`${id}-cert`}>{t('localService.certificate')}</label>
          <select id={`${id}-cert`} value={token} onChange={(e) => setToken(e.target.value)}>
            <option value="">{t('localService.certificateNone')}</option>
            {status.signingToken && !certs.some((c) => c.key === choiceKey(status.signingToken)) && <option value={choiceKey(status.signingToken)}>{`${status.signingToken.label ?? ''} ${status.signingToken.cert}`}</option>}
            {certs.map((c) => (
              <option key={c.key} value={c.key}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-port`}>{t('localService.port')}</label>
          <input id={`${id}-port`} type="number" min={1024} max={65535} value={port} onChange={(e) => setPort(e.target.value)} />
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {t('localService.apply')}
          </button>
        </div>
      </form>
      <p role="status">{status.running ? t('localService.running', { port: status.port }) : t('localService.stopped')}</p>
      {status.problem && <p role="alert" className="error">{i18n.language === 'en' ? status.problem.en : status.problem.vi}</p>}
      {failure && <p role="alert" className="error">{failure}</p>}
      {(['allowedOrigins', 'refusedOrigins'] as const).map((list) => (
        <div key={list}>
          <h4>{t(list === 'allowedOrigins' ? 'localService.allowed' : 'localService.refused')}</h4>
          {status[list].length === 0 ? (
            <p className="hint">{t('localService.none')}</p>
          ) : (
            <ul>
              {status[list].map((origin) => (
                <li key={origin}>
                  {origin}{' '}
                  <button type="button" aria-label={t('localService.remove', { origin })} onClick={remove(list, origin)}>
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
      <p>{caText}</p>
      {status.caFingerprint && <p className="hint">{t('localService.fingerprint', { value: status.caFingerprint })}</p>}
      <p className="hint">{t('localService.statusPage', { url: status.statusPageUrl })}</p>
      {status.caTrust === 'not-trusted' && (
        <div>
          <label>
            <input type="checkbox" checked={caConsent} onChange={(e) => setCaConsent(e.target.checked)} /> {t('localService.caConsent')}
          </label>
          <button type="button" disabled={!caConsent || busy} onClick={() => void run(() => call('localService.trustCa', { consent: true }))}>
            {t('localService.trustCa')}
          </button>
        </div>
      )}
    </section>
  );
}
