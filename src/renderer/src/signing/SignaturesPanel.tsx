// The signatures already on the file: who signed, for which agency, which CA, when, at what level, and each check in words.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcResponse } from '../../../shared/ipc-contract.js';
import { vietnamDateTime } from '../../../shared/vietnam-time.js';
import { call, errorText } from '../bridge.js';
import { ReportButton } from '../verify/ReportButton.js';

type Report = IpcResponse<'document.signatures'>;
type Signature = Report['signatures'][number];

// Vietnam time as dd/MM/yyyy HH:mm:ss in both languages (the clerk's reading; locale formats differ between runtimes).
const when = (iso: string | undefined): string | undefined => (iso === undefined ? undefined : vietnamDateTime(iso));

/**
 * `ready` holds the check back until the viewer has its file: validating a long PDF keeps main busy
 * for a while, and the first page the user waits for comes first.
 */
export function SignaturesPanel({ documentId, fileId, refreshKey, ready = true }: { documentId: number; fileId: number; refreshKey: number; ready?: boolean }) {
  const { t, i18n } = useTranslation();
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!ready) return;
    let current = true;
    setReport(undefined);
    setError(undefined);
    call('document.signatures', { documentId, fileId }).then(
      (value) => current && setReport(value),
      (failure: unknown) => current && setError(errorText(failure, i18n.language)),
    );
    return () => {
      current = false;
    };
  }, [documentId, fileId, refreshKey, ready, i18n.language]);

  const language = i18n.language === 'en' ? 'en' : 'vi';
  return (
    <section className="signatures-panel" aria-labelledby="signatures-heading">
      <h3 id="signatures-heading">{t('signing.signatures')}</h3>
      {!report && !error && <p role="status">{t('signing.checking')}</p>}
      {error && <p role="alert" className="error">{error}</p>}
      {report && (
        <>
          <p className={`verdict verdict-${report.verdict}`}>
            <strong>{t(`signing.verdict.${report.verdict}`)}</strong> — {report.summary[language]}
          </p>
          {report.signatures.length === 0 && <p>{t('signing.noSignatures')}</p>}
          <ol className="signature-list">
            {report.signatures.map((signature) => (
              <SignatureItem key={signature.index} signature={signature} language={language} />
            ))}
          </ol>
          {report.signatures.length > 0 && <ReportButton source={{ documentId, fileId }} />}
        </>
      )}
    </section>
  );
}

function SignatureItem({ signature: s, language }: { signature: Signature; language: 'vi' | 'en' }) {
  const { t } = useTranslation();
  const chip = (good: boolean, text: string) => <span className={`chip chip-${good ? 'ok' : 'bad'}`}>{text}</span>;
  return (
    <li className="signature-item" aria-label={s.signer ?? t('signing.documentTimestamp')}>
      <div className="signature-head">
        <strong className="signature-signer">{s.kind === 'document-timestamp' ? t('signing.documentTimestamp') : s.signer}</strong>{' '}
        <span className={`chip chip-${s.verdict === 'valid' ? 'ok' : s.verdict === 'invalid' ? 'bad' : 'wait'}`}>{t(`signing.verdict.${s.verdict}`)}</span>
      </div>
      <dl>
        {s.organization && (
          <>
            <dt>{t('signing.organization')}</dt>
            <dd>{s.organization}</dd>
          </>
        )}
        {s.issuer && (
          <>
            <dt>{t('signing.ca')}</dt>
            <dd>{s.issuer}</dd>
          </>
        )}
        {s.claimedSigningTime && (
          <>
            <dt>{t('signing.signedAt')}</dt>
            <dd>{when(s.claimedSigningTime)}</dd>
          </>
        )}
        {s.timestampTime && (
          <>
            <dt>{t('signing.timestampAt')}</dt>
            <dd>{when(s.timestampTime)}</dd>
          </>
        )}
        <dt>{t('signing.level')}</dt>
        <dd>{s.level}</dd>
      </dl>
      <p className="signature-checks">
        {chip(s.intact, t(s.intact ? 'signing.intact' : 'signing.notIntact'))}{' '}
        {/* Later revisions are expected (the seal after the leader): the panel states them, the verdict judges them. */}
        {s.coversWholeDocument ? chip(true, t('signing.wholeDocument')) : <span className="chip chip-neutral">{t('signing.laterUpdates', { count: s.laterRevisions })}</span>}{' '}
        {chip(s.trusted, t(s.trusted ? 'signing.trusted' : 'signing.untrusted'))}{' '}
        <span className={`chip chip-${s.revocation === 'good' ? 'ok' : s.revocation === 'revoked' ? 'bad' : 'wait'}`}>{t(`signing.revocation.${s.revocation}`)}</span>
      </p>
      {s.findings.length > 0 && (
        <ul className="signature-findings">
          {s.findings.map((finding, index) => (
            <li key={index} className={`finding finding-${finding.severity}`}>{finding.text[language]}</li>
          ))}
        </ul>
      )}
    </li>
  );
}
