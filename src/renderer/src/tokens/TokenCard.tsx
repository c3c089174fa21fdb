// One USB token: its state, its certificates, and the PIN form (the PIN is held only until submitted).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcResponse } from '../../../shared/ipc-contract.js';
import { call, errorText } from '../bridge.js';
import { serialTail, validityText } from './certificate-view.js';
import { certificateWarnings } from './certificate-warnings.js';

type Token = IpcResponse<'tokens.list'>[number]['tokens'][number];

export function TokenCard({ token, onChanged }: { token: Token; onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [loggedIn, setLoggedIn] = useState(false);
  const ref = { modulePath: token.modulePath, serial: token.serial, label: token.label };

  async function login(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const entered = pin;
    setPin(''); // never keep the PIN in state longer than the call
    try {
      setLoggedIn((await call('tokens.login', { ...ref, pin: entered })).loggedIn);
      onChanged();
    } catch (failure) {
      setError(errorText(failure, i18n.language));
      onChanged();
    } finally {
      setBusy(false);
    }
  }

  async function logout() {
    setLoggedIn((await call('tokens.logout', ref)).loggedIn);
    onChanged();
  }

  const status = token.flags.userPinLocked ? 'pinLocked' : token.flags.userPinFinalTry ? 'pinFinalTry' : token.flags.userPinCountLow ? 'pinCountLow' : undefined;
  const headingId = `token-${token.serial}`;
  return (
    <section className="token" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {t('token')} “{token.label}” <small>{t('serial')} {token.serial} · {token.manufacturer} {token.model}</small>
      </h3>
      {status && <p className="warning" role="status">{t(status)}</p>}
      {token.certificates.length === 0 && <p>{t('noCertificates')}</p>}
      <ul className="certificates" aria-label={t('certificates')}>
        {token.certificates.map((entry) => {
          const c = entry.certificate;
          const key = c.publicKey.type === 'ec' ? `ECDSA ${c.publicKey.curve ?? ''}` : `${c.publicKey.type.toUpperCase()} ${c.publicKey.bits}`;
          return (
            <li key={entry.id} className="certificate">
              <strong className="subject">{c.subject.commonName}</strong>
              {c.subject.title && <span> — {c.subject.title}</span>}
              {c.subject.organization && <div>{c.subject.organization}</div>}
              <div>{t('issuer')}: {c.issuer.commonName}</div>
              <div>
                {t('signing.picker.validity')}: {validityText(c)} · {t('signing.picker.serialTail')}: <span className="serial-tail">…{serialTail(c.serialNumber)}</span>
              </div>
              <div>{t('key')}: {key} · {t(entry.privateKey === 'present' ? 'privateKeyPresent' : entry.privateKey === 'absent' ? 'privateKeyAbsent' : 'privateKeyUnknown')}</div>
              {certificateWarnings(c).map((warning) => (
                <div key={warning} className="warning">{t(warning)}</div>
              ))}
            </li>
          );
        })}
      </ul>
      {loggedIn ? (
        <p>
          {t('loggedIn')} <button type="button" onClick={() => void logout()}>{t('logout')}</button>
        </p>
      ) : (
        <form onSubmit={(event) => void login(event)} className="pin-form">
          <label>
            {t('pin')} “{token.label}”
            <input type="password" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} disabled={busy || token.flags.userPinLocked} />
          </label>
          <button type="submit" disabled={busy || pin.length === 0 || token.flags.userPinLocked}>{t('login')}</button>
          {error && <p className="error" role="alert">{error}</p>}
        </form>
      )}
    </section>
  );
}
