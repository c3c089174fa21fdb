// i18next set up with Vietnamese as the default language; each feature's strings live under its own key (t('documents.…')).
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { documentsMessages } from '../documents/messages.js';
import { exchangeMessages } from '../inbox/messages.js';
import { signingMessages } from '../signing/messages.js';
import { localServiceMessages } from '../local-service/messages.js';
import { trustMessages } from '../settings/trust-messages.js';
import { registersMessages } from '../documents/register-messages.js';
import { processingMessages } from '../inbox/processing-messages.js';
import { attentionMessages } from '../attention/messages.js';
import { demoMessages } from '../demo/messages.js';
import { frameMessages, type Language } from './messages.js';
import { followHtmlLang } from './saved-language.js';

export const messages = {
  vi: { ...frameMessages.vi, documents: documentsMessages.vi, signing: signingMessages.vi, exchange: exchangeMessages.vi, localService: localServiceMessages.vi, trust: trustMessages.vi, registers: registersMessages.vi, processing: processingMessages.vi, attention: attentionMessages.vi, demo: demoMessages.vi },
  en: { ...frameMessages.en, documents: documentsMessages.en, signing: signingMessages.en, exchange: exchangeMessages.en, localService: localServiceMessages.en, trust: trustMessages.en, registers: registersMessages.en, processing: processingMessages.en, attention: attentionMessages.en, demo: demoMessages.en },
} as const satisfies Record<Language, object>;

export function initI18n(language: Language = 'vi') {
  void i18next.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'vi',
    resources: { vi: { translation: messages.vi }, en: { translation: messages.en } },
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  followHtmlLang(i18next);
  return i18next;
}
