// InboxPage: to be built (issue 7).
import { useTranslation } from 'react-i18next';

export function InboxPage() {
  const { t } = useTranslation();
  return (
    <main>
      <h2>{t('nav.inbox')}</h2>
    </main>
  );
}
