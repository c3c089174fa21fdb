// Where a printed or exported file was saved (the data folder's exports/), and a button to save a copy where the user chooses (a download: Electron asks where).
import { useTranslation } from 'react-i18next';
import type { SavedFileDto } from '../../../shared/ipc/documents.js';

const TYPES: Record<string, string> = { pdf: 'application/pdf', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };

function download(saved: SavedFileDto): void {
  const binary = atob(saved.contentBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const type = TYPES[saved.fileName.split('.').pop() ?? ''] ?? 'application/octet-stream';
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = saved.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken the bytes by the next task.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function SavedFile({ saved }: { saved: SavedFileDto }) {
  const { t } = useTranslation();
  return (
    <p role="status" className="saved-file">
      <span>{t('registers.saved', { name: saved.fileName, path: saved.savedPath })}</span>{' '}
      <button type="button" onClick={() => download(saved)}>
        {t('registers.saveElsewhere')}
      </button>
    </p>
  );
}
