// BulkPage: to be built (issue 7).
import { useTranslation } from 'react-i18next';

export function BulkPage() {
  const { t } = useTranslation();
  return (
    <main>
      <h2>{t('nav.bulk')}</h2>
    </main>
  );
}
