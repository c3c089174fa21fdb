// DocumentPage: to be built (issue 7).
import { useTranslation } from 'react-i18next';

export function DocumentPage(_props: { documentId: string }) {
  const { t } = useTranslation();
  return (
    <main>
      <h2>{t('nav.documents')}</h2>
    </main>
  );
}
