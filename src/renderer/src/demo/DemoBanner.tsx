// The banner on every screen while the demo runs: it says so, gives the demo PINs, and leaves the demo (removing it) on request.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, errorText } from '../bridge.js';
import { useDemoStatus } from './useDemoStatus.js';

export function DemoBanner() {
  const { t, i18n } = useTranslation();
  const status = useDemoStatus();
  const [confirming, setConfirming] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const [error, setError] = useState<string>();
  if (!status?.active) return null;

  const leave = async () => {
    setLeaving(true);
    setError(undefined);
    try {
      await call('demo.leave', {});
      // The app now runs on the real setup: every screen reads it afresh.
      window.location.reload();
    } catch (failure) {
      setError(errorText(failure, i18n.language));
      setLeaving(false);
    }
  };

  return (
    <section className="demo-banner" role="region" aria-label={t('demo.bannerLabel')}>
      <p className="demo-banner-text">
        <strong>{t('demo.banner')}</strong>
      </p>
      <p className="demo-banner-pins">
        {t('demo.pins', {
          leaderToken: status.leader.token,
          leaderName: status.leader.name,
          leaderPin: status.leader.pin,
          agencyToken: status.agency.token,
          agencyName: status.agency.name,
          agencyPin: status.agency.pin,
          robotName: status.robotName,
        })}
      </p>
      {!confirming && (
        <button type="button" onClick={() => setConfirming(true)}>
          {t('demo.leave')}
        </button>
      )}
      {confirming && (
        <div role="group" aria-label={t('demo.leaveConfirm')}>
          <span>{t('demo.leaveConfirm')}</span>{' '}
          <button type="button" disabled={leaving} onClick={() => void leave()}>
            {t('demo.leaveYes')}
          </button>{' '}
          <button type="button" disabled={leaving} onClick={() => setConfirming(false)}>
            {t('demo.leaveNo')}
          </button>
        </div>
      )}
      {leaving && <p role="status">{t('demo.leaving')}</p>}
      {error && <p role="alert" className="error">{error}</p>}
    </section>
  );
}
