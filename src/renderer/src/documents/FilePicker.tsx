// Main PDF and appendices, by drag and drop or our file buttons; each file is checked (PDF header, size) as soon as it is chosen.
import { useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_FILE_BYTES, MAX_FILES } from '../../../shared/ipc/documents.js';
import { call, errorText } from '../bridge.js';
import { FileButton } from '../common/FileButton.js';
import { isProblem, MAX_FILE_MB, readPdf, toBase64, type PickedFile, type PickProblem } from './read-pdf.js';

const isDocx = (file: File): boolean => /\.docx$/iu.test(file.name);
const ACCEPT = 'application/pdf,.pdf,.docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export interface PickedFiles {
  main: PickedFile | null;
  appendices: PickedFile[];
}

export interface FilePickerProps {
  files: PickedFiles;
  /** Takes an update of the latest files: reading several files is asynchronous, and picks may overlap. */
  onChange(update: (current: PickedFiles) => PickedFiles): void;
  /** The document already has a main file (editing a draft): new files are appendices. */
  hasSavedMain: boolean;
  mainError?: string | undefined;
}

const formatSize = (bytes: number): string => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

export function FilePicker({ files, onChange, hasSavedMain, mainError }: FilePickerProps) {
  const { t, i18n } = useTranslation();
  const [problems, setProblems] = useState<PickProblem[]>([]);
  const [dragging, setDragging] = useState(false);
  const [converting, setConverting] = useState<string | null>(null);
  const [conversionFailure, setConversionFailure] = useState<unknown>(null);

  /** A PDF as it is; a .docx converted to PDF in main (LibreOffice), its failure told in words. */
  const readOne = async (file: File): Promise<PickedFile | PickProblem | null> => {
    if (!isDocx(file)) return readPdf(file);
    if (file.size === 0) return { key: 'emptyFile', name: file.name };
    if (file.size > MAX_FILE_BYTES) return { key: 'tooLarge', name: file.name, max: MAX_FILE_MB };
    setConverting(file.name);
    try {
      const converted = await call('drafting.convertDocx', { name: file.name, contentBase64: toBase64(new Uint8Array(await file.arrayBuffer())) });
      return { name: converted.name, size: Math.floor((converted.contentBase64.length * 3) / 4), contentBase64: converted.contentBase64 };
    } catch (e) {
      setConversionFailure(e);
      return null;
    } finally {
      setConverting(null);
    }
  };

  const add = async (list: readonly File[], role: 'main' | 'appendix' | 'auto') => {
    setConversionFailure(null);
    const read = (await Promise.all(list.map(readOne))).filter((r): r is PickedFile | PickProblem => r !== null);
    const found = read.filter(isProblem);
    const good = read.filter((r): r is PickedFile => !isProblem(r));
    // Counted on what is shown now; the update below also trims, whatever raced in meanwhile.
    const tooMany = (files.main ? 1 : 0) + files.appendices.length + good.length > MAX_FILES;
    onChange((current) => {
      let next: PickedFiles = { main: current.main, appendices: [...current.appendices] };
      for (const file of good) {
        // Dropped files: the first one fills an empty main slot, the rest are appendices.
        if (role === 'main' || (role === 'auto' && next.main === null && !hasSavedMain)) next = { ...next, main: file };
        else next.appendices.push(file);
      }
      if ((next.main ? 1 : 0) + next.appendices.length > MAX_FILES) next = { ...next, appendices: next.appendices.slice(0, MAX_FILES - (next.main ? 1 : 0)) };
      return next;
    });
    setProblems(tooMany ? [...found, { key: 'tooLarge', name: '', max: MAX_FILES }] : found);
  };

  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    setDragging(false);
    void add([...event.dataTransfer.files], 'auto');
  };

  const problemText = (p: PickProblem) =>
    p.name === '' ? t('documents.errors.tooManyFiles', { max: p.max }) : t(`documents.errors.${p.key}`, { name: p.name, max: p.max });

  return (
    <fieldset className="compose-files">
      <legend>{t('documents.filesLegend')}</legend>
      <section
        aria-label={t('documents.dropZone')}
        className={dragging ? 'drop-zone dragging' : 'drop-zone'}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p>{t('documents.dropHint')}</p>
        <p className="hint">{t('documents.draft.docxHint')}</p>
        {!hasSavedMain && (
          <div className="file-slot">
            <span id="main-file-label" className="file-slot-label">
              {t('documents.mainFile')}
            </span>{' '}
            <span role="group" aria-labelledby="main-file-label" aria-invalid={mainError ? true : undefined} aria-describedby={mainError ? 'main-file-error' : undefined}>
              <FileButton label={t('documents.draft.chooseMain')} accept={ACCEPT} chosen={files.main?.name ?? ''} onFiles={(picked) => void add(picked, 'main')} />
            </span>
            {files.main && (
              <p className="picked-file">
                <span>{`${files.main.name} (${formatSize(files.main.size)})`}</span>{' '}
                <button type="button" onClick={() => onChange((current) => ({ ...current, main: null }))}>
                  {t('documents.removeFile', { name: files.main.name })}
                </button>
              </p>
            )}
            {mainError && (
              <p id="main-file-error" className="field-error">
                {mainError}
              </p>
            )}
          </div>
        )}
        <div className="file-slot">
          <span id="appendix-files-label" className="file-slot-label">
            {t('documents.appendices')}
          </span>{' '}
          <span role="group" aria-labelledby="appendix-files-label">
            <FileButton label={t('documents.draft.chooseAppendices')} accept={ACCEPT} multiple chosen={files.appendices.map((f) => f.name).join(', ')} onFiles={(picked) => void add(picked, 'appendix')} />
          </span>
          <ul className="picked-files">
            {files.appendices.map((file, index) => (
              <li key={`${file.name}-${index}`}>
                <span>{`${file.name} (${formatSize(file.size)})`}</span>{' '}
                <button type="button" onClick={() => onChange((current) => ({ ...current, appendices: current.appendices.filter((_, i) => i !== index) }))}>
                  {t('documents.removeFile', { name: file.name })}
                </button>
              </li>
            ))}
          </ul>
        </div>
        {converting !== null && <p role="status">{t('documents.draft.converting', { name: converting })}</p>}
        {conversionFailure !== null && (
          <p role="alert" className="error">
            {errorText(conversionFailure, i18n.language)}
          </p>
        )}
        {problems.length > 0 && (
          <ul role="alert" className="error">
            {problems.map((p, i) => (
              <li key={i}>{problemText(p)}</li>
            ))}
          </ul>
        )}
      </section>
    </fieldset>
  );
}
