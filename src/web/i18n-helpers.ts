import { isCatalogueKey, isLocale, shownValue, translate, translateKey, type Locale, type Text } from '../i18n/i18n.ts';
import { numberFormat } from '../i18n/numbers.ts';

export type HelperOptions = { data?: { root?: { viewerTimeZone?: string; locale?: string } }; hash?: Record<string, unknown> };

/** The viewer's time zone (set on res.locals for every page), UTC when a page is rendered without one. */
export const viewerTimeZone = (options: HelperOptions | undefined): string => options?.data?.root?.viewerTimeZone ?? 'UTC';

/** The request's language (set on res.locals for every page), English when a page is rendered without one. */
export function localeOf(options: HelperOptions | undefined): Locale {
  const locale = options?.data?.root?.locale;
  return isLocale(locale) ? locale : 'en';
}

// The same for every page in one language: made once.
const liveTextsOf: Partial<Record<Locale, string>> = {};
function liveTextsIn(locale: Locale): string {
  const text = (key: string, params?: Record<string, string | number>) => translateKey(locale, `live.${key}`, params);
  return JSON.stringify({
    newIdeas: [text('newIdeas', { count: 1 }), text('newIdeas', { count: 2 })],
    newComments: [text('newComments', { count: 1 }), text('newComments', { count: 2 })],
    reload: text('reload'),
    phaseMoved: text('phaseMoved', { label: '{label}' }),
    reloadToSee: text('reloadToSee'),
    decidedHere: text('decidedHere', { name: '{name}' }),
    someone: text('someone'),
    queueChanged: text('queueChanged'),
    reloadQueue: text('reloadQueue'),
    unread: text('unread'),
  });
}

export const i18nHelpers = {
  /**
   * `{{t "area.key" name=value count=n}}`: the message in the request's language. The result is a
   * plain string, so Handlebars escapes it, values included; `count` picks the plural form. A
   * number with decimals is written as the language writes it (74.1, 74,1), as in `tm`'s messages.
   */
  t(key: unknown, options: HelperOptions) {
    const locale = localeOf(options);
    const hash = options?.hash;
    let params: Record<string, string | number> | undefined;
    for (const name in hash) {
      const value = hash[name];
      (params ??= {})[name] = typeof value === 'number' ? shownValue(locale, value) : String(value ?? '');
    }
    return translateKey(locale, String(key), params);
  },
  /** `{{tOr "area.key" fallback}}`: the catalogue's words for a stored code, or the code as it is where there are none (a tier typed elsewhere). */
  tOr(key: unknown, fallback: unknown, options: HelperOptions) {
    return isCatalogueKey(String(key)) ? translateKey(localeOf(options), String(key)) : String(fallback ?? '');
  },
  /** A message made elsewhere (a flash, a refusal, a notification) in the request's language. */
  tm(text: unknown, options: HelperOptions) {
    return typeof text === 'string' || (typeof text === 'object' && text !== null) ? translate(localeOf(options), text as Text, viewerTimeZone(options)) : '';
  },
  /**
   * The texts public/js/live.js writes, in the request's language, as JSON for a data- attribute
   * (Handlebars escapes it there). `#` stands for a count; `{label}`/`{name}` for what arrives.
   */
  liveTexts(options: HelperOptions) {
    const locale = localeOf(options);
    return (liveTextsOf[locale] ??= liveTextsIn(locale));
  },
  /** 12,345 or 12.345, as the request's language writes it. */

  formatNumber(value: unknown, options: HelperOptions) {
    const n = Number(value);
    return Number.isFinite(n) ? numberFormat(localeOf(options)).format(n) : '';
  },
};
