// The exchange status above the inbox: online or not, the agency, last sync, queue; "sync now", and the PIN when the server needs a login.
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncState } from '../../../shared/ipc/exchange.js';
import { vietnamDateTime } from '../../../shared/vietnam-time.js';
import { call, errorText } from '../bridge.js';

export function SyncBar({ onSynced }: { onSynced?: () => void }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [state, setState] = useState<SyncState | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    call('sync.status', {}).then((s) => live && setState(s), (e: unknown) => live && setFailure(errorText(e, i18n.language)));
    const off = window.vanthu.on('sync.changed', (s) => setState(s));
    return () => {
      live = false;
      off();
    };
  }, [i18n.language]);

  const run = async (work: () => Promise<SyncState>): Promise<void> => {
    setBusy(true);
    setFailure(null);
    try {
      setState(await work());
      onSynced?.();
    } catch (error) {
      setFailure(errorText(error, i18n.language));
    } finally {
      setBusy(false);
    }
  };

  const login = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem('pin') as HTMLInputElement;
    const pin = input.value;
    // The PIN leaves the field at once: it lives only in this call.
    input.value = '';
    if (pin) void run(() => call('sync.login', { pin }));
  };

  if (!state) return null;
  const problem = state.problem ? (i18n.language === 'en' ? state.problem.messageEn : state.problem.messageVi) : null;
  return (
    <section className="sync-bar" aria-label={t('exchange.syncHeading')}>
      {!state.configured ? (
        <p className="notice">{t('exchange.syncNotConfigured')}</p>
      ) : (
        <>
          <p>
            <span className={`chip chip-${state.online ? 'ok' : 'wait'}`}>{state.online ? t('exchange.syncOnline') : t('exchange.syncOffline')}</span>{' '}
            {state.agency && t('exchange.syncAgency', { name: state.agency.name, organId: state.agency.organId })}{' '}
            <span className="hint">{state.lastSync ? t('exchange.syncLast', { time: vietnamDateTime(new Date(state.lastSync)) }) : t('exchange.syncNever')}</span>{' '}
            {state.queued > 0 && <span className="chip chip-wait">{t('exchange.syncQueued', { count: state.queued })}</span>}{' '}
            {state.failing > 0 && <span className="chip chip-bad">{t('exchange.syncFailing', { count: state.failing })}</span>}{' '}
            <button type="button" onClick={() => void run(() => call('sync.now', {}))} disabled={busy}>
              {busy ? t('exchange.syncing') : t('exchange.syncNow')}
            </button>
          </p>
          {state.needsLogin && (
            <form className="sync-login" onSubmit={login}>
              <p className="warning">{t('exchange.syncNeedsLogin')}</p>
              <label htmlFor={`${id}-pin`}>{t('exchange.syncPin')}</label>{' '}
              <input id={`${id}-pin`} name="pin" type="password" autoComplete="off" inputMode="numeric" maxLength={64} />{' '}
              <button type="submit" className="primary" disabled={busy}>
                {t('exchange.syncLogin')}
              </button>
            </form>
          )}
          {problem && <p className="error">{problem}</p>}
        </>
      )}
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
    </section>
  );
}
