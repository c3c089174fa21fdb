// Settings section "Trusted roots": the built-in roots with an on/off switch each (provisional ones badged), the user's roots with remove, and adding one from a file.
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BundledRootView, ExtraRootView, TrustList, TrustRootView } from '../../../shared/ipc/trust.js';
import { call, errorText } from '../bridge.js';
import { FileButton } from '../common/FileButton.js';
import { readBytes, toBase64 } from '../verify/read-file.js';

/** A certificate file is a few kilobytes; anything past this is not one (the channel takes at most ~1.5 MB). */
const MAX_CERTIFICATE_BYTES = 1_000_000;
/** "AB:CD:…", as certificate viewers show it. */
const spaced = (hex: string): string => hex.toUpperCase().match(/../g)?.join(':') ?? hex;

function RootFacts({ root }: { root: TrustRootView }) {
  const { t } = useTranslation();
  return (
    <>
      <span className="hint">{t('trust.validity', { from: root.validFrom, to: root.validTo })}</span>
      <span className="hint fingerprint">
        {t('trust.fingerprint')}: <code>{spaced(root.fingerprint)}</code>
      </span>
    </>
  );
}

export function TrustRootsSection() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [list, setList] = useState<TrustList | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    call('trust.list', {}).then(setList, (e: unknown) => setFailure(errorText(e, i18n.language)));
    // Loaded once; every change answers with the new list.
  }, []);

  const change = async (action: () => Promise<TrustList>, done: string): Promise<void> => {
    setBusy(true);
    setNotice(null);
    setFailure(null);
    try {
      setList(await action());
      setNotice(done);
    } catch (error) {
      setFailure(errorText(error, i18n.language));
    } finally {
      setBusy(false);
    }
  };

  const toggle = (root: BundledRootView, enabled: boolean) =>
    change(() => call('trust.setBundledEnabled', { fingerprint: root.fingerprint, enabled }), t(enabled ? 'trust.turnedOn' : 'trust.turnedOff', { name: root.subjectName }));
  const remove = (root: ExtraRootView) => change(() => call('trust.removeRoot', { fingerprint: root.fingerprint }), t('trust.removed', { name: root.subjectName }));
  const add = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    if (file.size > MAX_CERTIFICATE_BYTES) return setFailure(t('trust.tooLarge', { name: file.name }));
    const bytes = await readBytes(file);
    await change(() => call('trust.addRoot', { certificateBase64: toBase64(bytes) }), t('trust.added'));
  };

  return (
    <section className="trust-roots" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t('trust.heading')}</h3>
      <p className="hint">{t('trust.intro')}</p>
      {!list && !failure && <p className="hint">{t('trust.loading')}</p>}
      {list && (
        <>
          <h4 id={`${id}-bundled`}>{t('trust.bundledHeading')}</h4>
          <ul aria-labelledby={`${id}-bundled`} className="trust-list">
            {list.bundled.map((root) => (
              <li key={root.fingerprint}>
                <label className="switch">
                  <input
                    type="checkbox"
                    role="switch"
                    checked={root.enabled}
                    aria-checked={root.enabled}
                    aria-label={t('trust.trustSwitch', { name: root.subjectName })}
                    disabled={busy}
                    onChange={(e) => void toggle(root, e.target.checked)}
                  />{' '}
                  <strong>{root.subjectName}</strong>
                </label>{' '}
                {root.provisional && (
                  <span className="badge" title={t('trust.provisionalHint')}>
                    {t('trust.provisional')}
                  </span>
                )}{' '}
                <span className="hint">{root.enabled ? t('trust.on') : t('trust.off')}</span>
                <RootFacts root={root} />
              </li>
            ))}
          </ul>
          <h4 id={`${id}-extra`}>{t('trust.extraHeading')}</h4>
          {list.extra.length === 0 ? (
            <p className="hint">{t('trust.extraNone')}</p>
          ) : (
            <ul aria-labelledby={`${id}-extra`} className="trust-list">
              {list.extra.map((root) => (
                <li key={`${root.file}|${root.fingerprint}`}>
                  <strong>{root.subjectName}</strong>
                  <RootFacts root={root} />
                  <span className="hint">
                    {t('trust.file')}: <code>{root.file}</code>
                  </span>
                  <button type="button" disabled={busy} onClick={() => void remove(root)}>
                    {t('trust.remove', { name: root.subjectName })}
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="field">
            <FileButton label={t('trust.add')} accept=".pem,.cer,.crt,.der,application/x-x509-ca-cert,application/pkix-cert" disabled={busy} onFiles={(files) => void add(files[0])} />
          </div>
          <span id={`${id}-add-hint`} className="hint">
            {t('trust.addHint')}
          </span>
        </>
      )}
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
    </section>
  );
}
