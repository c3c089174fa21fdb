// Chips for a recipient's status code (01..16 in words) and a document's state, in the current language; shared by every feature.
import { useTranslation } from 'react-i18next';
import type { DocumentState, RecipientStatus } from '../../../shared/document.js';
import {
  documentStateTone,
  documentStateWords,
  noStatusWords,
  recipientStatusTone,
  recipientStatusWords,
  wordsLanguage,
} from './status-words.js';

export function RecipientStatusChip({ status, organName }: { status: RecipientStatus | null; organName?: string }) {
  const { i18n } = useTranslation();
  const language = wordsLanguage(i18n.language);
  const words = status === null ? noStatusWords[language] : recipientStatusWords[language][status];
  const tone = status === null ? 'neutral' : recipientStatusTone[status];
  return (
    <span className={`chip chip-${tone}`} data-status={status ?? 'none'} title={status === null ? undefined : `${status}`}>
      {organName === undefined ? words : `${organName}: ${words}`}
    </span>
  );
}

export function DocumentStateChip({ state }: { state: DocumentState }) {
  const { i18n } = useTranslation();
  const language = wordsLanguage(i18n.language);
  return (
    <span className={`chip chip-${documentStateTone[state]}`} data-state={state}>
      {documentStateWords[language][state]}
    </span>
  );
}
