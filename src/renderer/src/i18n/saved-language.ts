// The language kept in settings: read before the first render, saved when the user switches, and mirrored on <html lang>.
import type { i18n as I18n } from 'i18next';
import type { Language } from './messages.js';

const isLanguage = (value: unknown): value is Language => value === 'vi' || value === 'en';

/** The saved language, or Vietnamese when settings cannot be read (the app still starts). */
export async function savedLanguage(): Promise<Language> {
  try {
    const result = await window.vanthu.invoke('settings.get', {});
    return result.ok && isLanguage(result.value.language) ? result.value.language : 'vi';
  } catch {
    return 'vi';
  }
}

/** Switches the screen's language now and keeps the choice for the next start; a failed save leaves the switch done. */
export async function chooseLanguage(i18n: I18n, language: Language): Promise<void> {
  await i18n.changeLanguage(language);
  try {
    await window.vanthu.invoke('settings.set', { language });
  } catch {
    // The screen already speaks the chosen language; the next start falls back to the saved one.
  }
}

/** Keeps <html lang> on the current language (screen readers and hyphenation read it). */
export function followHtmlLang(i18n: I18n): void {
  const apply = (language: string) => {
    if (typeof document !== 'undefined') document.documentElement.lang = isLanguage(language) ? language : 'vi';
  };
  apply(i18n.language);
  i18n.on('languageChanged', apply);
}
