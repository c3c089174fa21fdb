// SettingsPage: to be built (issue 7).
import { useTranslation } from 'react-i18next';

export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <main>
      <h2>{t('nav.settings')}</h2>
    </main>
  );
}
