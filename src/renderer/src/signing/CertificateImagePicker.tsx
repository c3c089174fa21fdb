// The signature image of the chosen certificate, shown before the PIN: its preview, a problem (missing file, not transparent), a PNG picker, or the text-only stamp.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignatureImageView } from '../../../shared/ipc/signing.js';
import { call, errorText } from '../bridge.js';
import { FileButton } from '../common/FileButton.js';
import { isPng, readBytes, toBase64 } from '../verify/read-file.js';

const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

export interface CertificateImagePickerProps {
  certificateSha256: string;
  signerName: string;
  view: SignatureImageView | 'loading' | undefined;
  /** The text-only stamp choice (the sign dialog); absent in Settings, where only images are chosen. */
  textOnly?: boolean;
  onTextOnly?(textOnly: boolean): void;
  onView(view: SignatureImageView): void;
  /** Heading level and words: the sign dialog says "Ảnh chữ ký", Settings names the certificate. */
  heading?: string;
}

export function CertificateImagePicker({ certificateSha256, signerName, view, textOnly = false, onTextOnly, onView, heading }: CertificateImagePickerProps) {
  const { t, i18n } = useTranslation();
  const [failure, setFailure] = useState<string>();
  const [saving, setSaving] = useState(false);
  const loaded = view !== undefined && view !== 'loading' ? view : undefined;

  const pick = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    setFailure(undefined);
    const bytes = await readBytes(file);
    if (file.size > MAX_IMAGE_BYTES || !isPng(bytes)) return setFailure(t('signing.image.notPng', { name: file.name }));
    setSaving(true);
    try {
      onView(await call('signing.setImage', { certificateSha256, pngBase64: toBase64(bytes) }));
      onTextOnly?.(false);
    } catch (error) {
      setFailure(errorText(error, i18n.language));
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="certificate-image" role="group" aria-label={heading ?? t('signing.image.heading')}>
      <h4>{heading ?? t('signing.image.heading')}</h4>
      {view === 'loading' && <p role="status">{t('signing.image.loading')}</p>}
      {loaded?.image && !textOnly && (
        <figure className="image-preview">
          <img src={`data:image/png;base64,${loaded.image.pngBase64}`} alt={t('signing.image.preview')} />
          <figcaption>{t(loaded.image.perCertificate ? 'signing.image.own' : 'signing.image.shared')}</figcaption>
        </figure>
      )}
      {loaded && !loaded.image && !loaded.problem && <p>{t('signing.image.none')}</p>}
      {loaded?.problem && (
        <p role="alert" className="error image-problem">
          {i18n.language === 'en' ? loaded.problem.en : loaded.problem.vi}
        </p>
      )}
      <FileButton label={t(loaded?.image ? 'signing.image.change' : 'signing.image.choose')} accept="image/png,.png" disabled={saving} onFiles={(files) => void pick(files[0])} />
      {onTextOnly && (
        <label className="text-only">
          <input type="checkbox" checked={textOnly} onChange={(e) => onTextOnly(e.target.checked)} /> {t('signing.image.textOnly')}
        </label>
      )}
      {textOnly && <p className="text-only-preview">{t('signing.image.textOnlyPreview', { name: signerName })}</p>}
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
    </div>
  );
}
