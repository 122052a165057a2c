import { useEffect, useState } from 'preact/hooks';
import type { Locale } from '../i18n/format.ts';

/**
 * The language of a public page (the booking page, the quote approval page): the one chosen before,
 * else the browser's; kept in the staff app's key, so one choice serves every page of the site.
 */
const LOCALE_KEY = 'aftersales.locale';

function initialLocale(): Locale {
  try {
    const stored = localStorage.getItem(LOCALE_KEY);
    if (stored === 'en' || stored === 'zh-CN') return stored;
  } catch {
    // private mode
  }
  return /^en/i.test(navigator.language) ? 'en' : 'zh-CN';
}

/** The page's language, its switch (labelled `label`), and the document's lang and title kept in step. */
export function usePublicLocale(title: (locale: Locale) => string, label: (locale: Locale) => string) {
  const [locale, setLocale] = useState<Locale>(initialLocale);
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = title(locale);
    try {
      localStorage.setItem(LOCALE_KEY, locale);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, [locale, title]);
  const languageSwitch = (
    <label class="booking-lang">
      <span>{label(locale)}</span>
      <select value={locale} onChange={(e) => setLocale(e.currentTarget.value as Locale)}>
        <option value="zh-CN" lang="zh-CN">
          中文
        </option>
        <option value="en" lang="en">
          English
        </option>
      </select>
    </label>
  );
  return { locale, languageSwitch };
}
