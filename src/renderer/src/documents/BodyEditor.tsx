// The body of a draft: a text area in the form's light markup, with buttons that mark the selection bold or italic and the lines as items.
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';

export interface BodyEditorProps {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  onBlur(): void;
  error?: string | undefined;
}

/** Wraps the selection in `mark` (or inserts an empty pair at the caret); returns the text and the new selection. */
export function wrapSelection(text: string, start: number, end: number, mark: string): { text: string; start: number; end: number } {
  const selected = text.slice(start, end);
  return { text: `${text.slice(0, start)}${mark}${selected}${mark}${text.slice(end)}`, start: start + mark.length, end: end + mark.length };
}

/** Starts every line the selection touches with a marker ("- ", or "1. ", "2. " …), replacing one already there. */
export function markLines(text: string, start: number, end: number, style: 'numbered' | 'bulleted'): { text: string; start: number; end: number } {
  const from = text.lastIndexOf('\n', start - 1) + 1;
  const toBreak = text.indexOf('\n', end);
  const to = toBreak === -1 ? text.length : toBreak;
  let n = 0;
  const lines = text
    .slice(from, to)
    .split('\n')
    .map((line) => {
      const bare = line.replace(/^\s*(?:[-+•]|\d{1,4}[.)])\s+/u, '');
      n += 1;
      return style === 'numbered' ? `${n}. ${bare}` : `- ${bare}`;
    })
    .join('\n');
  return { text: `${text.slice(0, from)}${lines}${text.slice(to)}`, start: from, end: from + lines.length };
}

export function BodyEditor({ id, label, value, onChange, onBlur, error }: BodyEditorProps) {
  const { t } = useTranslation();
  const area = useRef<HTMLTextAreaElement>(null);

  const apply = (edit: (text: string, start: number, end: number) => { text: string; start: number; end: number }) => {
    const element = area.current;
    if (!element) return;
    const next = edit(value, element.selectionStart, element.selectionEnd);
    onChange(next.text);
    // After React has written the new value: put the selection back where the user was.
    requestAnimationFrame(() => {
      element.focus();
      element.setSelectionRange(next.start, next.end);
    });
  };

  return (
    <div className="field field-body">
      <label htmlFor={id}>{label}</label>
      <div className="body-toolbar" role="toolbar" aria-label={t('documents.draft.toolbar')} aria-controls={id}>
        <button type="button" onClick={() => apply((s, a, b) => wrapSelection(s, a, b, '**'))}>
          <strong>{t('documents.draft.bold')}</strong>
        </button>
        <button type="button" onClick={() => apply((s, a, b) => wrapSelection(s, a, b, '*'))}>
          <em>{t('documents.draft.italic')}</em>
        </button>
        <button type="button" onClick={() => apply((s, a, b) => markLines(s, a, b, 'numbered'))}>
          {t('documents.draft.numbered')}
        </button>
        <button type="button" onClick={() => apply((s, a, b) => markLines(s, a, b, 'bulleted'))}>
          {t('documents.draft.bulleted')}
        </button>
      </div>
      <textarea
        ref={area}
        id={id}
        rows={12}
        value={value}
        aria-required
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error ${id}-hint` : `${id}-hint`}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
      />
      <span id={`${id}-hint`} className="hint">
        {t('documents.draft.bodyHint')}
      </span>
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}
