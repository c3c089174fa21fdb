// A certificate as people know it: holder, organization, CA, validity and the serial's tail, with its marks and revocation status in words.
import { useTranslation } from 'react-i18next';
import { certificateMarks, organizationText, serialTail, validityText, type RevocationState, type TokenCertificate } from './certificate-view.js';

export function CertificateDetails({
  certificate: c,
  revocation,
  fallbackName,
  hideHolder = false,
}: {
  certificate: TokenCertificate;
  revocation: RevocationState | undefined;
  fallbackName?: string;
  /** The holder is already written beside (the sign dialog's first line). */
  hideHolder?: boolean;
}) {
  const { t } = useTranslation();
  const marks = certificateMarks(c, revocation);
  const organization = organizationText(c);
  return (
    <span className="certificate-details">
      {!hideHolder && <span className="subject">{c.subject.commonName ?? fallbackName ?? '—'}</span>}
      {organization && (
        <span className="certificate-organization">
          {hideHolder ? '' : ' · '}
          {organization}
        </span>
      )}
      <span className="certificate-detail">
        {t('signing.picker.ca')}: {c.issuer.commonName ?? c.issuer.text} · {t('signing.picker.validity')}: {validityText(c)} ·{' '}
        {t('signing.picker.serialTail')}: <span className="serial-tail">…{serialTail(c.serialNumber)}</span>
      </span>
      <span className="certificate-status">
        {marks.map((mark) => (
          <span key={mark} className="chip chip-bad certificate-mark">
            ⚠ {t(`signing.picker.${mark}`)}
          </span>
        ))}
        {revocation && revocation !== 'revoked' && (
          <span className={`chip ${revocation === 'good' ? 'chip-ok' : revocation === 'checking' ? 'chip-wait' : 'chip-neutral'} revocation-status`}>
            {t(`signing.picker.${revocation}`)}
          </span>
        )}
      </span>
    </span>
  );
}
