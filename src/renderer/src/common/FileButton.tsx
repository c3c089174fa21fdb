// Our own file picker: a button in the app's language and the chosen names, instead of the browser's "Choose File / No file chosen".
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface FileButtonProps {
  /** The button's words, e.g. "Chọn tệp PDF". */
  label: string;
  accept?: string;
  multiple?: boolean;
  onFiles(files: File[]): void;
  /** Shown beside the button instead of the last picked names (e.g. the saved file's name). */
  chosen?: string | undefined;
  disabled?: boolean;
}

export function FileButton({ label, accept, multiple, onFiles, chosen, disabled }: FileButtonProps) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const [picked, setPicked] = useState<string>('');
  const names = chosen ?? picked;
  return (
    <span className="file-button">
      <button type="button" disabled={disabled} aria-describedby={`${id}-chosen`} onClick={() => input.current?.click()}>
        {label}
      </button>{' '}
      <span id={`${id}-chosen`} className="file-button-chosen">
        {names || t('fileButton.none')}
      </span>
      <input
        ref={input}
        type="file"
        hidden
        tabIndex={-1}
        aria-hidden="true"
        accept={accept}
        multiple={multiple}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length === 0) return;
          setPicked(files.map((f) => f.name).join(', '));
          onFiles(files);
        }}
      />
    </span>
  );
}
