// ComposePage: to be built (issue 7).
import { useTranslation } from 'react-i18next';

export function ComposePage(_props: { documentId?: string }) {
  const { t } = useTranslation();
  return (
    <main>
      <h2>{t('nav.compose')}</h2>
    </main>
  );
}
