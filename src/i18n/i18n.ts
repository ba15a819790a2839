import i18next, { type TFunction } from 'i18next';
import { de } from './de.ts';
import { en } from './en.ts';

export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];

const isLocale = (value: unknown): value is Locale => typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

/** Keys asked for but found in no catalogue: a test fails on any (see test/unit/i18n.test.ts). */
export const missingKeys = new Set<string>();

// One instance for the process, initialised synchronously from the bundled catalogues: no I/O.
const instance = i18next.createInstance();
void instance.init({
  resources: { en: { translation: en }, de: { translation: de } },
  lng: 'en',
  fallbackLng: false,
  supportedLngs: [...LOCALES],
  initAsync: false,
  // Plain text (emails): values are not HTML-escaped here; templates escape what they show.
  interpolation: { escapeValue: false },
  saveMissing: true,
  missingKeyHandler: (languages, _namespace, key) => {
    for (const language of languages) missingKeys.add(`${language}:${key}`);
  },
});

/** The translation function for one language. */
export function translator(locale: Locale): TFunction {
  return instance.getFixedT(locale);
}

/**
 * The person's language: their own setting, else the browser's Accept-Language (when a request
 * is behind the message), else the site's default.
 */
export function pickLocale(options: { setting?: string | null; acceptLanguage?: string; siteDefault: Locale }): Locale {
  if (isLocale(options.setting)) return options.setting;
  for (const entry of parseAcceptLanguage(options.acceptLanguage ?? '')) {
    const base = entry.split('-')[0]!.toLowerCase();
    if (isLocale(base)) return base;
  }
  return options.siteDefault;
}

function parseAcceptLanguage(header: string): string[] {
  return header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = Number(
        params
          .find((param) => param.trim().startsWith('q='))
          ?.trim()
          .slice(2) ?? 1,
      );
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0 };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((entry) => entry.tag);
}

/** Dates and numbers in the person's language, through Intl. */
export const formatDateFor = (locale: Locale, date: Date, timeZone = 'UTC') => new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone }).format(date);
export const formatNumberFor = (locale: Locale, value: number) => new Intl.NumberFormat(locale).format(value);

export { isLocale };
