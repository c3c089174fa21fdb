// VerifyPage: to be built (issue 7).
import { useTranslation } from 'react-i18next';

export function VerifyPage() {
  const { t } = useTranslation();
  return (
    <main>
      <h2>{t('nav.verify')}</h2>
    </main>
  );
}
