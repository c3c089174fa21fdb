// On the document page of a sent document: the exchange server warned that our agency's same number and ký hiệu went out before; say it in words and what to do.
import { useTranslation } from 'react-i18next';

export function DuplicateNumberNote({ number }: { number: string }) {
  const { t } = useTranslation();
  return (
    <p role="note" className="warning duplicate-number">
      {t('attention.duplicateNumberSent', { number })}
    </p>
  );
}
