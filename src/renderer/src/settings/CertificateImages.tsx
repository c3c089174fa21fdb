// Settings: a signature image for each certificate on the plugged-in tokens (the sign dialog offers the same choice before the PIN).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignatureImageView } from '../../../shared/ipc/signing.js';
import { call, errorText } from '../bridge.js';
import { CertificateImagePicker } from '../signing/CertificateImagePicker.js';
import { serialTail, type TokenCertificate } from '../tokens/certificate-view.js';

export function CertificateImages({ certificates }: { certificates: readonly TokenCertificate[] }) {
  const { t } = useTranslation();
  const [views, setViews] = useState<ReadonlyMap<string, SignatureImageView | 'loading'>>(new Map());
  const key = certificates.map((c) => c.sha256).join(',');

  useEffect(() => {
    let live = true;
    setViews(new Map(certificates.map((c) => [c.sha256, 'loading' as const])));
    for (const c of certificates) {
      call('signing.image', { certificateSha256: c.sha256 }).then(
        (view) => live && setViews((old) => new Map(old).set(c.sha256, view)),
        (failure: unknown) => live && setViews((old) => new Map(old).set(c.sha256, { image: null, problem: { vi: errorText(failure, 'vi'), en: errorText(failure, 'en') } })),
      );
    }
    return () => {
      live = false;
    };
    // `key` stands for the certificates.
  }, [key]);

  if (certificates.length === 0) return null;
  return (
    <section className="certificate-images" aria-label={t('signing.image.perCertificate')}>
      <h3>{t('signing.image.perCertificate')}</h3>
      {certificates.map((c) => (
        <CertificateImagePicker
          key={c.sha256}
          certificateSha256={c.sha256}
          signerName={c.subject.commonName ?? '—'}
          heading={`${c.subject.commonName ?? '—'} — ${c.issuer.commonName ?? ''} — …${serialTail(c.serialNumber)}`}
          view={views.get(c.sha256)}
          onView={(view) => setViews((old) => new Map(old).set(c.sha256, view))}
        />
      ))}
    </section>
  );
}
