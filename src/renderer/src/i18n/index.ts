// i18next set up with Vietnamese as the default language.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { messages } from './messages.js';

export function initI18n(language: 'vi' | 'en' = 'vi') {
  void i18next.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'vi',
    resources: { vi: { translation: messages.vi }, en: { translation: messages.en } },
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return i18next;
}
