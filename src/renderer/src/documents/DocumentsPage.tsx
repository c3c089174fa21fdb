// DocumentsPage: to be built (issue 7).
import { useTranslation } from 'react-i18next';

export function DocumentsPage() {
  const { t } = useTranslation();
  return (
    <main>
      <h2>{t('nav.documents')}</h2>
    </main>
  );
}
