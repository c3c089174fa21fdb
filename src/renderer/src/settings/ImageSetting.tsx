// One signature/seal image setting: a preview, a PNG picker (our own file button) whose transparency main checks before saving, and remove.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_IMAGE_BYTES, type SettingsView } from '../../../shared/ipc/exchange.js';
import { call, errorText } from '../bridge.js';
import { FileButton } from '../common/FileButton.js';
import { isPng, readBytes, toBase64 } from '../verify/read-file.js';

export function ImageSetting({ kind, image, onSaved }: { kind: 'signatureImage' | 'sealImage'; image: SettingsView['signatureImage']; onSaved: (view: SettingsView) => void }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const what = t(`exchange.${kind}`);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (value: string | null): Promise<void> => {
    setBusy(true);
    setFailure(null);
    try {
      onSaved(await call('settings.set', { [kind]: value }));
    } catch (error) {
      setFailure(errorText(error, i18n.language));
    } finally {
      setBusy(false);
    }
  };

  const pick = async (file: File | undefined): Promise<void> => {
    if (!file) return;
    const bytes = await readBytes(file);
    if (file.size > MAX_IMAGE_BYTES || !isPng(bytes)) return setFailure(t('exchange.imageNotPng', { name: file.name }));
    await save(toBase64(bytes));
  };

  return (
    <div className="image-setting" role="group" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{what}</h4>
      <div className="image-preview">
        {image ? <img src={`data:image/png;base64,${image.pngBase64}`} alt={t('exchange.imagePreview', { what })} /> : <span className="hint">{t('exchange.imageNone')}</span>}
      </div>
      <div className="field">
        <FileButton label={t('exchange.imagePick', { what })} accept="image/png,.png" disabled={busy} chosen={image ? image.path.split(/[\\/]/).pop() : undefined} onFiles={(files) => void pick(files[0])} />
      </div>
      {image && (
        <button type="button" disabled={busy} onClick={() => void save(null)}>
          {t('exchange.imageRemove', { what })}
        </button>
      )}
      {failure && (
        <p role="alert" className="error">
          {failure}
        </p>
      )}
    </div>
  );
}
