import i18next, { type TFunction } from 'i18next';
import { de, en } from './catalogue/index.ts';

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

/**
 * A message to show someone whose language is not known where it is made (a service's refusal, a
 * flash, a notification): its key and values, translated when it is shown. Plain strings are
 * shown as they are (user input, or a sentence not moved to the catalogue yet).
 */
export type Message = { key: string; params?: Record<string, string | number | Message> };
export type Text = string | Message;

export const message = (key: string, params?: Message['params']): Message => (params ? { key, params } : { key });

export const isMessage = (value: unknown): value is Message => typeof value === 'object' && value !== null && typeof (value as Message).key === 'string';

/** The text in this language. */
export function translate(locale: Locale, text: Text): string {
  if (!isMessage(text)) return text;
  // A value may be a message itself (a phase's name in "… moved to {{phase}}"): in the same language.
  const params = Object.fromEntries(Object.entries(text.params ?? {}).map(([name, value]) => [name, isMessage(value) ? translate(locale, value) : value]));
  return translator(locale)(text.key, params);
}

/** Whether `key` names a message of the catalogue (zod schemas give keys as their messages). */
export const isCatalogueKey = (key: string) => /^[a-z]\w*(\.\w+)+$/.test(key) && instance.exists(key, { lng: 'en' });

/** The Intl locale for a language: British English (day before month, as the site always showed). */
export const intlLocale = (locale: Locale) => ({ en: 'en-GB', de: 'de-DE' })[locale];

export { isLocale };
