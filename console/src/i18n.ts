import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en';
import zh from './locales/zh';

export type Language = 'en' | 'zh';

const saved = (localStorage.getItem('infera.lang') as Language | null) ?? 'en';

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, zh: { translation: zh } },
  lng: saved,
  fallbackLng: 'en',
  interpolation: { escapeValue: false }, // React escapes
});

export function setLanguage(language: Language) {
  localStorage.setItem('infera.lang', language);
  void i18n.changeLanguage(language);
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
}

export default i18n;
