import { intlLocale, isLocale, translate, translateKey, type Locale, type Text } from '../i18n/i18n.ts';

export type HelperOptions = { data?: { root?: { viewerTimeZone?: string; locale?: string } }; hash?: Record<string, unknown> };

/** The request's language (set on res.locals for every page), English when a page is rendered without one. */
export function localeOf(options: HelperOptions | undefined): Locale {
  const locale = options?.data?.root?.locale;
  return isLocale(locale) ? locale : 'en';
}

// Building an Intl formatter costs far more than using one (a list of 50 dated rows spent most of
// its render time constructing them): one per language and time zone, made once.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
export function dateFormat(locale: Locale, timeZone: string): Intl.DateTimeFormat {
  const id = `${locale} ${timeZone}`;
  let format = dateFormats.get(id);
  if (!format) {
    format = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeStyle: 'short', timeZone });
    dateFormats.set(id, format);
  }
  return format;
}
const numberFormats = { en: new Intl.NumberFormat(intlLocale('en')), de: new Intl.NumberFormat(intlLocale('de')) } satisfies Record<Locale, Intl.NumberFormat>;
export const numberFormat = (locale: Locale) => numberFormats[locale];

export const i18nHelpers = {
  /**
   * `{{t "area.key" name=value count=n}}`: the message in the request's language. The result is a
   * plain string, so Handlebars escapes it, values included; `count` picks the plural form.
   */
  t(key: unknown, options: HelperOptions) {
    const hash = options?.hash;
    let params: Record<string, string | number> | undefined;
    for (const name in hash) {
      const value = hash[name];
      (params ??= {})[name] = typeof value === 'number' ? value : String(value ?? '');
    }
    return translateKey(localeOf(options), String(key), params);
  },
  /** A message made elsewhere (a flash, a refusal, a notification) in the request's language. */
  tm(text: unknown, options: HelperOptions) {
    return typeof text === 'string' || (typeof text === 'object' && text !== null) ? translate(localeOf(options), text as Text) : '';
  },
  /** 12,345 or 12.345, as the request's language writes it. */
  formatNumber(value: unknown, options: HelperOptions) {
    const n = Number(value);
    return Number.isFinite(n) ? numberFormat(localeOf(options)).format(n) : '';
  },
};
