/**
 * Every date, time and number the app shows goes through here, so each language has exactly one way
 * of writing them: zh-CN `2017年9月25日` and `2026年11月24日 06:58`, English `Sep 25, 2017` and
 * `Nov 24, 2026, 6:58 AM`. A calendar date and a date-time share the same date part.
 * Plain functions (no Preact), so the rules have unit tests.
 */
export type Locale = 'zh-CN' | 'en';
export type Vars = Record<string, string | number>;

export interface Formats {
  /** A calendar date (`2017-09-25`): written as is, never shifted by a time zone. */
  date: (isoDate: string | undefined) => string;
  /** An instant (`2026-11-23T22:58:00Z`): shown in the store's time zone. */
  dateTime: (iso: string | undefined) => string;
  /** Either of the two, decided by the value's shape (audit history holds both). */
  dateOrDateTime: (value: string) => string;
  number: (n: number | undefined) => string;
  /** Money in minor units (fen) as whole yuan (`¥12,346`): HQ's comparisons, not a settlement. */
  yuan: (minor: number | undefined) => string;
  /** A fraction as a percentage (0.125 → `12.5%`); a dash when there is none (a rate of nothing). */
  percent: (fraction: number | null | undefined) => string;
}

/** Shown for a value that is not there. */
export const NO_VALUE = '—';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value);
}

export function isIsoDateTime(value: string): boolean {
  return ISO_DATE_TIME.test(value);
}

function dateTimeFormat(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, options);
  } catch {
    // An unknown time zone name from a store's profile: the browser's own zone beats no date at all.
    const { timeZone: _unknown, ...rest } = options;
    return new Intl.DateTimeFormat(locale, rest);
  }
}

export function formatsFor(locale: Locale, timeZone?: string): Formats {
  const instant = dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  // A calendar date has no zone: format it as midnight UTC in UTC, so the day never moves.
  const calendar = dateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const numbers = new Intl.NumberFormat(locale);
  const percents = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const yuan = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'CNY',
    currencyDisplay: 'narrowSymbol',
    maximumFractionDigits: 0,
  });

  const date = (isoDate: string | undefined): string => {
    if (!isoDate) return NO_VALUE;
    const m = ISO_DATE.exec(isoDate);
    if (!m) return isoDate;
    return calendar.format(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  };
  const dateTime = (iso: string | undefined): string => {
    if (!iso) return NO_VALUE;
    const at = Date.parse(iso);
    return Number.isNaN(at) ? iso : instant.format(at);
  };
  return {
    date,
    dateTime,
    dateOrDateTime: (value) =>
      isIsoDate(value) ? date(value) : isIsoDateTime(value) ? dateTime(value) : value,
    number: (n) => (n === undefined ? NO_VALUE : numbers.format(n)),
    yuan: (minor) => (minor === undefined ? NO_VALUE : yuan.format(minor / 100)),
    percent: (fraction) =>
      fraction === undefined || fraction === null ? NO_VALUE : percents.format(fraction),
  };
}

/** `{name}` placeholders in a message filled from `vars`; unknown ones are left visible. */
export function interpolate(text: string, vars?: Vars): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
