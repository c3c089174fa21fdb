// The priority (độ khẩn) and secrecy (độ mật) choices of a document, shared by the drafting form and the upload form.
import { useTranslation } from 'react-i18next';
import { priorityCodes, secrecyCodes, type Priority, type Secrecy } from '../../../shared/document.js';

export interface UrgencyFieldsProps {
  /** Prefix of the select ids, unique on the page ("draft", "compose"). */
  idPrefix: string;
  priority: Priority;
  secrecy: Secrecy;
  onPriority(priority: Priority): void;
  onSecrecy(secrecy: Secrecy): void;
}

export function UrgencyFields({ idPrefix, priority, secrecy, onPriority, onSecrecy }: UrgencyFieldsProps) {
  const { t } = useTranslation();
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-priority`}>{t('documents.priorityLabel')}</label>
        <select id={`${idPrefix}-priority`} value={priority} onChange={(e) => onPriority(Number(e.target.value) as Priority)}>
          {priorityCodes.map((p) => (
            <option key={p} value={p}>
              {t(`documents.priority.${p}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-secrecy`}>{t('documents.secrecyLabel')}</label>
        <select id={`${idPrefix}-secrecy`} value={secrecy} onChange={(e) => onSecrecy(Number(e.target.value) as Secrecy)}>
          {secrecyCodes.map((s) => (
            <option key={s} value={s}>
              {t(`documents.secrecy.${s}`)}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}
