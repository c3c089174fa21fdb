// The signature panel: a PDF's validation report in plain words (valid or not, who signed, when, which CA, whole document covered, trusted, revoked).
import { useTranslation } from 'react-i18next';
import type { SignatureView, VerifyReport } from '../../../shared/ipc/exchange.js';
import { vietnamDateTime } from '../../../shared/vietnam-time.js';

const tone = { valid: 'ok', invalid: 'bad', indeterminate: 'wait', unsigned: 'neutral' } as const;

function SignatureItem({ signature }: { signature: SignatureView }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const unknown = t('exchange.unknownValue');
  const s = signature;
  const title = s.kind === 'document-timestamp' ? t('exchange.timestampTitle', { index: s.index }) : t('exchange.signatureTitle', { index: s.index });
  return (
    <li className="signature-item" data-verdict={s.verdict}>
      <h4>
        {title} — <span className={`chip chip-${tone[s.verdict]}`}>{t(`exchange.verdict_${s.verdict}`)}</span>
      </h4>
      <ul>
        {s.kind === 'signature' && <li>{t('exchange.signedBy', { name: s.signerName ?? unknown })}</li>}
        {s.organization && <li>{t('exchange.organization', { name: s.organization })}</li>}
        <li>{t('exchange.issuer', { name: s.issuer ?? unknown })}</li>
        {s.timestamp ? (
          <li>{s.timestamp.valid ? t('exchange.timestampAt', { time: vietnamDateTime(s.timestamp.time) }) : t('exchange.timestampBad')}</li>
        ) : (
          s.claimedTime && <li>{t('exchange.signedAt', { time: vietnamDateTime(s.claimedTime) })}</li>
        )}
        {s.reason && <li>{t('exchange.reason', { reason: s.reason })}</li>}
        <li>{t('exchange.level', { level: s.level })}</li>
        <li className={s.intact ? undefined : 'error'}>{s.intact ? t('exchange.intactYes') : t('exchange.intactNo')}</li>
        <li className={s.coversWholeFile ? undefined : 'warning'}>{s.coversWholeFile ? t('exchange.coversYes') : t('exchange.coversNo', { count: s.laterRevisions })}</li>
        {s.disallowedChanges.length > 0 && <li className="error">{t('exchange.changesBad', { list: s.disallowedChanges.join('; ') })}</li>}
        <li className={s.trustedChain ? undefined : 'error'}>{s.trustedChain ? t('exchange.chainYes', { path: s.chainPath.join(' → ') }) : t('exchange.chainNo')}</li>
        <li className={s.revocation.status === 'good' ? undefined : s.revocation.status === 'revoked' ? 'error' : 'warning'}>
          {t(`exchange.revocation_${s.revocation.status}`, { source: s.revocation.source.toUpperCase(), at: s.revocation.revokedAt ?? unknown })}
        </li>
        {s.findings
          .filter((f) => f.severity !== 'info')
          .map((f, i) => (
            <li key={i} className={f.severity === 'error' ? 'error' : 'warning'}>
              {en ? f.messageEn : f.messageVi}
            </li>
          ))}
      </ul>
    </li>
  );
}

export function SignatureReport({ report, heading = 'h3' }: { report: VerifyReport; heading?: 'h3' | 'h4' }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const Heading = heading;
  return (
    <section className="signature-report" aria-label={t('exchange.signaturePanel')} data-verdict={report.verdict}>
      <Heading>
        {t('exchange.signaturePanel')}: <span className={`chip chip-${tone[report.verdict]}`}>{t(`exchange.verdict_${report.verdict}`)}</span>
      </Heading>
      <p className="signature-summary">{en ? report.summaryEn : report.summaryVi}</p>
      {report.findings.map((f, i) => (
        <p key={i} className={f.severity === 'error' ? 'error' : 'warning'}>
          {en ? f.messageEn : f.messageVi}
        </p>
      ))}
      {report.signatures.length > 0 && (
        <ol className="signature-list">
          {report.signatures.map((s) => (
            <SignatureItem key={s.index} signature={s} />
          ))}
        </ol>
      )}
    </section>
  );
}
