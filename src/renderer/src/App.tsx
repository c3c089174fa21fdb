// The application frame: title, language switch, side navigation and the current page.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AttentionNotices } from './attention/AttentionNotices.js';
import { BulkPage } from './bulk/BulkPage.js';
import { ComposePage } from './documents/ComposePage.js';
import { DocumentPage } from './signing/DocumentPage.js';
import { DocumentsPage } from './documents/DocumentsPage.js';
import { InboxPage } from './inbox/InboxPage.js';
import { LocalServiceRequests } from './local-service/LocalServiceRequests.js';
import { chooseLanguage } from './i18n/saved-language.js';
import { NAV_PAGES, NavigationContext, type Route } from './navigation.js';
import { SettingsPage } from './settings/SettingsPage.js';
import { TokensPage } from './tokens/TokensPage.js';
import { VerifyPage } from './verify/VerifyPage.js';
import { DemoBanner } from './demo/DemoBanner.js';
import { DemoOffer } from './demo/DemoOffer.js';

function CurrentPage({ route }: { route: Route }) {
  switch (route.page) {
    case 'documents':
      return <DocumentsPage />;
    case 'compose':
      return <ComposePage documentId={route.documentId} />;
    case 'document':
      return <DocumentPage documentId={route.documentId} />;
    case 'inbox':
      return <InboxPage />;
    case 'bulk':
      return <BulkPage />;
    case 'verify':
      return <VerifyPage />;
    case 'tokens':
      return <TokensPage />;
    case 'settings':
      return <SettingsPage />;
  }
}

export function App({ initialRoute = { page: 'documents' } }: { initialRoute?: Route }) {
  const { t, i18n } = useTranslation();
  const [route, navigate] = useState<Route>(initialRoute);
  const navigation = useMemo(() => ({ route, navigate }), [route]);
  return (
    <NavigationContext.Provider value={navigation}>
      <header>
        <h1>{t('appTitle')}</h1>
        <AttentionNotices />
        <label>
          {t('language')}{' '}
          <select value={i18n.language} onChange={(e) => void chooseLanguage(i18n, e.target.value === 'en' ? 'en' : 'vi')}>
            <option value="vi">Tiếng Việt</option>
            <option value="en">English</option>
          </select>
        </label>
      </header>
      <DemoBanner />
      <div className="frame">
        <nav aria-label={t('navigation')}>
          <ul>
            {NAV_PAGES.map((page) => (
              <li key={page}>
                <button type="button" aria-current={route.page === page ? 'page' : undefined} onClick={() => navigate({ page })}>
                  {t(`nav.${page}`)}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="page-column">
          {/* Where a new user lands (the registers) and where tokens are looked for: "Dùng thử" when no token is found. */}
          {(route.page === 'documents' || route.page === 'tokens') && <DemoOffer />}
          <CurrentPage route={route} />
        </div>
      </div>
      <LocalServiceRequests />
    </NavigationContext.Provider>
  );
}
