// "Dùng thử" offered where a new user lands when no USB token is found: one button makes the demo and switches the app to it.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, errorText } from '../bridge.js';
import { useDemoStatus } from './useDemoStatus.js';

/** Shown only when the demo is not on and no token is plugged in (any module). */
export function DemoOffer() {
  const { t, i18n } = useTranslation();
  const status = useDemoStatus();
  const [noToken, setNoToken] = useState(false);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    const check = () =>
      void call('tokens.list', {}).then(
        (reports) => live && setNoToken(reports.every((report) => report.tokens.length === 0)),
        () => undefined,
      );
    check();
    const off = window.vanthu.on('tokens.changed', check);
    return () => {
      live = false;
      off();
    };
  }, []);

  if (!status?.offered || status.active || !noToken) return null;

  const start = async () => {
    setStarting(true);
    setError(undefined);
    try {
      await call('demo.start', {});
      // The app now runs on the demo: every screen reads it afresh.
      window.location.reload();
    } catch (failure) {
      setError(errorText(failure, i18n.language));
      setStarting(false);
    }
  };

  const problem = status.problem ? (i18n.language === 'en' ? status.problem.messageEn : status.problem.messageVi) : undefined;
  return (
    <section className="demo-offer" aria-labelledby="demo-offer-heading">
      <h3 id="demo-offer-heading">{t('demo.offerHeading')}</h3>
      <p>{t('demo.offerText')}</p>
      <p>{t('demo.offerSafe')}</p>
      {problem && <p role="alert" className="error">{problem}</p>}
      <button type="button" className="primary" disabled={!status.available || starting} onClick={() => void start()}>
        {t('demo.offerButton')}
      </button>
      {starting && <p role="status">{t('demo.starting')}</p>}
      {error && <p role="alert" className="error">{error}</p>}
    </section>
  );
}
