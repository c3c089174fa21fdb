// Renderer entry: reads the saved language first (so the first paint is already in it), starts i18n and mounts the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { initI18n } from './i18n/index.js';
import { savedLanguage } from './i18n/saved-language.js';

void savedLanguage().then((language) => {
  initI18n(language);
  const root = document.getElementById('root');
  if (root) {
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
  }
});
