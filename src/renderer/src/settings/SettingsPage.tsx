// Settings: exchange server, TSA, the exchange login certificate, receipt confirmation, default level, language, token modules, images, trusted roots; diagnostics below.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../shared/ipc/exchange.js';
import { call, errorText } from '../bridge.js';
import { certificateLine, certificateMarks, type TokenCertificate } from '../tokens/certificate-view.js';
import { revocationFor, useRevocation } from '../tokens/use-revocation.js';
import { CertificateImages } from './CertificateImages.js';
import { DiagnosticsPanel } from './DiagnosticsPanel.js';
import { ImageSetting } from './ImageSetting.js';
import { TrustRootsSection } from './TrustRootsSection.js';
import { LocalServicePanel } from '../local-service/LocalServicePanel.js';

type Login = NonNullable<SettingsView['exchangeLogin']>;
interface CertOption {
  key: string;
  label: string;
  login: Login;
  certificate?: TokenCertificate;
}

const loginKey = (l: Login | null): string => (l ? `${l.module}|${l.serial ?? l.label ?? ''}|${l.cert}` : '');
const validUrl = (text: string): boolean => {
  if (text.trim() === '') return true;
  try {
    return ['http:', 'https:'].includes(new URL(text.trim()).protocol);
  } catch {
    return false;
  }
};

export function SettingsPage() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [view, setView] = useState<SettingsView | null>(null);
  const [serverUrl, setServerUrl] = useState('');
  const [tsaUrl, setTsaUrl] = useState('');
  const [modules, setModules] = useState('');
  const [login, setLogin] = useState('');
  const [receipt, setReceipt] = useState<'auto' | 'manual'>('manual');
  const [level, setLevel] = useState<SettingsView['defaultLevel']>('B-T');
  const [certs, setCerts] = useState<CertOption[]>([]);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);

  const adopt = (v: SettingsView): void => {
    setView(v);
    setServerUrl(v.serverUrl ?? '');
    setTsaUrl(v.tsaUrl ?? '');
    setModules(v.tokenModules.join('\n'));
    setLogin(loginKey(v.exchangeLogin));
    setReceipt(v.receiptConfirmation);
    setLevel(v.defaultLevel);
  };

  useEffect(() => {
    call('settings.get', {}).then(adopt, (e: unknown) => setFailure(errorText(e, i18n.language)));
    call('tokens.list', {}).then((reports) => {
      const options: CertOption[] = [];
      for (const m of reports)
        for (const token of m.tokens)
          for (const c of token.certificates)
            if (c.privateKey !== 'absent' && !c.certificate.isCA) {
              const l: Login = { module: m.path, label: token.label, serial: token.serial, cert: c.id };
              options.push({ key: loginKey(l), label: `${c.certificate.subject.commonName ?? c.label} — ${token.label}`, login: l, certificate: c.certificate });
            }
      setCerts(options);
    }, () => undefined);
    // Loaded once; the language of error texts follows the switch without reloading.
  }, []);

  const revocation = useRevocation(certs.flatMap((c) => (c.certificate ? [c.certificate] : [])));
  // Holder, organization, CA, validity and serial tail, with the marks in words: two certificates of one name differ.
  const optionText = (c: CertOption): string => {
    if (!c.certificate) return c.label;
    const status = revocationFor(revocation, c.certificate.sha256);
    const marks = certificateMarks(c.certificate, status).map((m) => t(`signing.picker.${m}`));
    return certificateLine(c.certificate, marks, [c.login.label, status && status !== 'revoked' ? t(`signing.picker.${status}`) : undefined].filter(Boolean).join(' · '));
  };

  const urlsValid = validUrl(serverUrl) && validUrl(tsaUrl);

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setTouched(true);
    if (!urlsValid) return;
    setBusy(true);
    setNotice(null);
    setFailure(null);
    const chosen = certs.find((c) => c.key === login)?.login ?? (login === loginKey(view?.exchangeLogin ?? null) ? (view?.exchangeLogin ?? null) : null);
    try {
      adopt(
        await call('settings.set', {
          serverUrl: serverUrl.trim() || null,
          tsaUrl: tsaUrl.trim() || null,
          tokenModules: modules.split('\n').map((m) => m.trim()).filter(Boolean),
          exchangeLogin: chosen,
          receiptConfirmation: receipt,
          defaultLevel: level,
        }),
      );
      setNotice(t('exchange.saved'));
    } catch (error) {
      setFailure(errorText(error, i18n.language));
    } finally {
      setBusy(false);
    }
  };

  const changeLanguage = (language: 'vi' | 'en'): void => {
    void i18n.changeLanguage(language);
    call('settings.set', { language }).then(adopt, () => undefined);
  };

  const knownLogin = view?.exchangeLogin && !certs.some((c) => c.key === loginKey(view.exchangeLogin)) ? view.exchangeLogin : null;
  return (
    <main className="settings-page">
      <h2>{t('exchange.settingsHeading')}</h2>
      {view && (
        <form onSubmit={(e) => void save(e)} noValidate>
          <fieldset>
            <legend>{t('exchange.settingsServer')}</legend>
            <div className="field">
              <label htmlFor={`${id}-server`}>{t('exchange.serverUrl')}</label>
              <input id={`${id}-server`} type="url" value={serverUrl} aria-invalid={touched && !validUrl(serverUrl)} aria-describedby={`${id}-server-hint`} onChange={(e) => setServerUrl(e.target.value)} />
              <span id={`${id}-server-hint`} className={touched && !validUrl(serverUrl) ? 'field-error' : 'hint'}>
                {touched && !validUrl(serverUrl) ? t('exchange.urlInvalid') : t('exchange.urlHint')}
              </span>
            </div>
            <div className="field">
              <label htmlFor={`${id}-login`}>{t('exchange.exchangeLogin')}</label>
              <select id={`${id}-login`} value={login} onChange={(e) => setLogin(e.target.value)}>
                <option value="">{t('exchange.exchangeLoginNone')}</option>
                {knownLogin && <option value={loginKey(knownLogin)}>{`${knownLogin.label ?? ''} ${knownLogin.cert}`}</option>}
                {certs.map((c) => (
                  <option key={c.key} value={c.key}>
                    {optionText(c)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-receipt`}>{t('exchange.receiptConfirmation')}</label>
              <select id={`${id}-receipt`} value={receipt} onChange={(e) => setReceipt(e.target.value as 'auto' | 'manual')}>
                <option value="manual">{t('exchange.receipt_manual')}</option>
                <option value="auto">{t('exchange.receipt_auto')}</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-tsa`}>{t('exchange.tsaUrl')}</label>
              <input id={`${id}-tsa`} type="url" value={tsaUrl} aria-invalid={touched && !validUrl(tsaUrl)} aria-describedby={`${id}-tsa-hint`} onChange={(e) => setTsaUrl(e.target.value)} />
              <span id={`${id}-tsa-hint`} className={touched && !validUrl(tsaUrl) ? 'field-error' : 'hint'}>
                {touched && !validUrl(tsaUrl) ? t('exchange.urlInvalid') : t('exchange.urlHint')}
              </span>
            </div>
            <div className="field">
              <label htmlFor={`${id}-level`}>{t('exchange.defaultLevel')}</label>
              <select id={`${id}-level`} value={level} onChange={(e) => setLevel(e.target.value as SettingsView['defaultLevel'])}>
                {(['B-B', 'B-T', 'B-LT', 'B-LTA'] as const).map((l) => (
                  <option key={l} value={l}>
                    PAdES {l}
                  </option>
                ))}
              </select>
            </div>
          </fieldset>
          <fieldset>
            <legend>{t('exchange.modulesHeading')}</legend>
            <div className="field">
              <label htmlFor={`${id}-modules`}>{t('exchange.modulePathsLabel')}</label>
              <textarea id={`${id}-modules`} rows={3} value={modules} onChange={(e) => setModules(e.target.value)} spellCheck={false} />
            </div>
          </fieldset>
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? t('exchange.saving') : t('exchange.save')}
            </button>
          </div>
          {notice && (
            <p role="status" className="notice">
              {notice}
            </p>
          )}
          {failure && (
            <p role="alert" className="error">
              {failure}
            </p>
          )}
        </form>
      )}
      {view && (
        <section className="settings-images" aria-labelledby={`${id}-images`}>
          <h3 id={`${id}-images`}>{t('exchange.imagesHeading')}</h3>
          <p className="hint">{t('exchange.imagesHint')}</p>
          <ImageSetting kind="signatureImage" image={view.signatureImage} onSaved={(v) => setView((old) => (old ? { ...old, signatureImage: v.signatureImage, sealImage: v.sealImage } : v))} />
          <ImageSetting kind="sealImage" image={view.sealImage} onSaved={(v) => setView((old) => (old ? { ...old, signatureImage: v.signatureImage, sealImage: v.sealImage } : v))} />
          <CertificateImages certificates={certs.flatMap((c) => (c.certificate ? [c.certificate] : []))} />
        </section>
      )}
      {view && <TrustRootsSection />}
      {view && <LocalServicePanel />}
      <section aria-labelledby={`${id}-language`}>
        <h3 id={`${id}-language`}>{t('exchange.languageLabel')}</h3>
        <label>
          {t('exchange.languageLabel')}{' '}
          <select value={i18n.language === 'en' ? 'en' : 'vi'} onChange={(e) => changeLanguage(e.target.value as 'vi' | 'en')}>
            <option value="vi">Tiếng Việt</option>
            <option value="en">English</option>
          </select>
        </label>
      </section>
      {!view && failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
      <DiagnosticsPanel />
    </main>
  );
}
