// The application frame: title, language switch, and the current page.
import { useTranslation } from 'react-i18next';
import { TokensPage } from './tokens/TokensPage.js';

export function App() {
  const { t, i18n } = useTranslation();
  return (
    <>
      <header>
        <h1>{t('appTitle')}</h1>
        <label>
          {t('language')}{' '}
          <select value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
            <option value="vi">Tiếng Việt</option>
            <option value="en">English</option>
          </select>
        </label>
      </header>
      <TokensPage />
    </>
  );
}
