import i18next, { type TFunction } from 'i18next';
import { de, en } from './catalogue/index.ts';
import { keptResults } from '../shared/kept-results.ts';

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

const fixed = { en: instance.getFixedT('en'), de: instance.getFixedT('de') } satisfies Record<Locale, TFunction>;

/** The translation function for one language. */
export function translator(locale: Locale): TFunction {
  return fixed[locale];
}

type Params = Record<string, string | number>;
/** A catalogue text split at its placeholders: `parts[0] names[0] parts[1] …`. */
type Compiled = { parts: string[]; names: string[] };
const catalogues = { en, de } as Record<Locale, unknown>;
const plurals = { en: new Intl.PluralRules('en'), de: new Intl.PluralRules('de') } satisfies Record<Locale, Intl.PluralRules>;
const compiled = new Map<string, Compiled | null>();

const textAt = (locale: Locale, key: string): unknown =>
  key.split('.').reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined), catalogues[locale]);

/** Keys that have no plural forms in any language, though a count is given (`Discussion ({{count}})`). */
const singular = new Map<string, boolean>();
const hasNoPluralForms = (key: string): boolean => {
  let known = singular.get(key);
  if (known === undefined) singular.set(key, (known = LOCALES.every((locale) => textAt(locale, `${key}_one`) === undefined && textAt(locale, `${key}_other`) === undefined)));
  return known;
};

/** The text for `count`: its plural form, or, where no language has any, the text itself (as i18next then gives it). */
const countedText = (locale: Locale, key: string, count: number): Compiled | null =>
  compiledText(locale, `${key}_${plurals[locale].select(count)}`) ?? (hasNoPluralForms(key) ? compiledText(locale, key) : null);

/** The catalogue's text at a dotted key, compiled once; null where only i18next knows what to do. */
function compiledText(locale: Locale, key: string): Compiled | null {
  const id = `${locale}:${key}`;
  let found = compiled.get(id);
  if (found === undefined) {
    const text = textAt(locale, key);
    const pieces = typeof text === 'string' ? text.split(/\{\{(\w+)\}\}/) : null;
    const parts = pieces?.filter((_, index) => index % 2 === 0);
    // Anything beyond plain {{name}} placeholders (or no such text: a missing key) stays with i18next.
    found = pieces && !parts!.some((part) => part.includes('{{')) ? { parts: parts!, names: pieces.filter((_, index) => index % 2 === 1) } : null;
    compiled.set(id, found);
  }
  return found;
}

/**
 * A key in one language, as i18next gives it, without its per-call cost: a page of fifty idea
 * cards asks for a few hundred messages, and i18next's resolution and interpolation each time
 * took a member's challenge page a tenth of its CPU. The catalogue's texts are compiled once;
 * what they do not cover (a missing key or value, another plural form) goes to i18next.
 */
export function translateKey(locale: Locale, key: string, params?: Params): string {
  const count = params?.count;
  const text = typeof count === 'number' ? countedText(locale, key, count) : compiledText(locale, key);
  if (!text || text.names.some((name) => params?.[name] === undefined)) return fixed[locale](key, params ?? {});
  let out = text.parts[0]!;
  for (let index = 0; index < text.names.length; index++) out += String(params![text.names[index]!]) + text.parts[index + 1]!;
  return out;
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
 * shown as they are (user input, or a sentence not moved to the catalogue yet). A date, and a
 * number with decimals, are written when shown too, as the reader's language writes them (a date
 * in their time zone). Whole numbers stay as they are: counts, line numbers, years.
 */
export type Message = { key: string; params?: Record<string, string | number | Date | Message> };
export type Text = string | Message;

export const message = (key: string, params?: Message['params']): Message => (params ? { key, params } : { key });

export const isMessage = (value: unknown): value is Message => typeof value === 'object' && value !== null && typeof (value as Message).key === 'string';

/** The text in this language; its dates in `timeZone` (the reader's). */
export function translate(locale: Locale, text: Text, timeZone = 'UTC'): string {
  if (!isMessage(text)) return text;
  // A value may be a message itself (a phase's name in "… moved to {{phase}}"): in the same language.
  const params = Object.fromEntries(
    Object.entries(text.params ?? {}).map(([name, value]) => [
      name,
      isMessage(value) ? translate(locale, value, timeZone) : value instanceof Date ? formattedDate(locale, timeZone, value) : shownValue(locale, value),
    ]),
  );
  return translateKey(locale, text.key, params as Params);
}

/** Whether `key` names a message of the catalogue (zod schemas give keys as their messages). */
export const isCatalogueKey = (key: string) => /^[a-z]\w*(\.\w+)+$/.test(key) && instance.exists(key, { lng: 'en' });

/** The Intl locale for a language: British English (day before month, as the site always showed). */
export const intlLocale = (locale: Locale) => ({ en: 'en-GB', de: 'de-DE' })[locale];

const decimals = { en: new Intl.NumberFormat(intlLocale('en'), { maximumFractionDigits: 3 }), de: new Intl.NumberFormat(intlLocale('de'), { maximumFractionDigits: 3 }) } satisfies Record<
  Locale,
  Intl.NumberFormat
>;
/** A value of a message as shown: a number with decimals as the language writes it (0.85, 0,85). */
export const shownValue = (locale: Locale, value: string | number) => (typeof value === 'number' && !Number.isInteger(value) ? decimals[locale].format(value) : value);

// Building an Intl formatter costs far more than using one (a list of 50 dated rows spent most of
// its render time constructing them): one per language and time zone, made once.
// And formatting a date costs about 10 µs, while a page shows the same few again and again for
// every viewer (a challenge's timeline, its questions): each format keeps what it wrote.
const dateFormats = new Map<string, { written: (at: number, write: (at: number) => string) => string; write: (at: number) => string }>();
/** The most dates one format keeps written; past it, it starts again. */
const WRITTEN_DATES_MAX = 5_000;

/** "25 Nov 2026, 14:05" or "25.11.2026, 14:05": a moment as pages and messages show it. */
export function formattedDate(locale: Locale, timeZone: string, date: Date): string {
  const id = `${locale} ${timeZone}`;
  let kept = dateFormats.get(id);
  if (!kept) {
    const format = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeStyle: 'short', timeZone });
    kept = { written: keptResults(WRITTEN_DATES_MAX), write: (at) => format.format(at) };
    dateFormats.set(id, kept);
  }
  return kept.written(date.getTime(), kept.write);
}

export { isLocale };
