import { CONTACT_WINDOW_HOURS, type ContactWindow } from '@aftersales/domain';
import type { ComponentChildren } from 'preact';
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import type { Messages } from '../app/messages.ts';
import { type Formats, formatsFor, interpolate, type Locale, type Vars } from './format.ts';

export type { Locale, Messages };
export const LOCALES: readonly Locale[] = ['zh-CN', 'en'];
export const LOCALE_NAMES: Record<Locale, string> = { 'zh-CN': '中文', en: 'English' };

const LOCALE_KEY = 'aftersales.locale';

/** Keys of the plain-string messages (the nested groups — roles, fields… — are read from `m`). */
export type MessageKey = { [K in keyof Messages]: Messages[K] extends string ? K : never }[keyof Messages];

/** Dates, times and numbers come from `Formats` (format.ts): one way of writing each per language. */
export interface I18n extends Formats {
  locale: Locale;
  /** The whole dictionary, for the typed groups (`m.roles[role]`). */
  m: Messages;
  t: (key: MessageKey, vars?: Vars) => string;
  /** Chosen by the user: remembered in this browser. */
  setLocale: (locale: Locale) => void;
  /** From the user's profile: applies unless the user picked a language in this browser. */
  suggestLocale: (locale: Locale) => void;
  /** Time zone for timestamps (the store's). */
  setTimeZone: (tz: string | undefined) => void;
}

function isLocale(v: unknown): v is Locale {
  return v === 'zh-CN' || v === 'en';
}

function storedLocale(): Locale | undefined {
  try {
    const v = localStorage.getItem(LOCALE_KEY);
    return isLocale(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function browserLocale(): Locale {
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const l of langs) {
    if (/^zh/i.test(l)) return 'zh-CN';
    if (/^en/i.test(l)) return 'en';
  }
  return 'zh-CN';
}

const I18nContext = createContext<I18n | null>(null);

/** `dictionaries`: every language's strings, composed by the app from the common and the features' ones. */
export function I18nProvider({
  dictionaries,
  children,
}: {
  dictionaries: Record<Locale, Messages>;
  children: ComponentChildren;
}) {
  const [locale, setLocaleState] = useState<Locale>(() => storedLocale() ?? browserLocale());
  const [timeZone, setTimeZone] = useState<string | undefined>(undefined);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = dictionaries[locale]['app.title'];
  }, [locale, dictionaries]);

  const setLocale = useCallback((l: Locale) => {
    setLocaleState(l);
    try {
      localStorage.setItem(LOCALE_KEY, l);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);
  const suggestLocale = useCallback((l: Locale) => {
    if (!storedLocale()) setLocaleState(l);
  }, []);

  const value = useMemo<I18n>(() => {
    const m = dictionaries[locale];
    return {
      ...formatsFor(locale, timeZone),
      locale,
      m,
      t: (key, vars) => interpolate(m[key], vars),
      setLocale,
      suggestLocale,
      setTimeZone,
    };
  }, [dictionaries, locale, timeZone, setLocale, suggestLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(I18nContext);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

/** The language switch, usable on the sign-in page and in the header. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return <LocaleSelect label={t('header.language')} value={locale} onChange={setLocale} />;
}

/** A choice of the app's languages under its label: the screen's (above), or a printed document's. */
export function LocaleSelect({
  label,
  value,
  onChange,
}: {
  label: string;
  value: Locale;
  onChange: (locale: Locale) => void;
}) {
  return (
    <label class="lang-switch">
      <span class="label-text">{label}</span>
      <select value={value} onChange={(e) => onChange(e.currentTarget.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A contact window's name with its hours (from the domain's follow-up rule), e.g. `上午 09:00–11:30`. */
export function contactWindowLabel(name: string, w: ContactWindow): string {
  const { from, to } = CONTACT_WINDOW_HOURS[w];
  return `${name} ${from}–${to}`;
}
