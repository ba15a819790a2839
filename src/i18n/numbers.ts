/**
 * Numbers as each language writes them, for the pages' helpers and for figures built outside a
 * template (the insights tables and charts, their CSV files): one set of rules for both.
 */
import { fixedText, roundTo } from '../shared/rounding.ts';
import { intlLocale, type Locale } from './i18n.ts';

// Building an Intl formatter costs far more than using one: one per language, made once.
const numberFormats = { en: new Intl.NumberFormat(intlLocale('en')), de: new Intl.NumberFormat(intlLocale('de')) } satisfies Record<Locale, Intl.NumberFormat>;
const percentFormats = {
  en: new Intl.NumberFormat(intlLocale('en'), { style: 'percent', maximumFractionDigits: 0 }),
  de: new Intl.NumberFormat(intlLocale('de'), { style: 'percent', maximumFractionDigits: 0 }),
} satisfies Record<Locale, Intl.NumberFormat>;

/** 12,345 or 12.345, as the language writes it. */
export const numberFormat = (locale: Locale) => numberFormats[locale];

/** A share (0.45) as a whole percentage: "45%", "45 %"; rounded by the project's one rule first. */
export const percentText = (locale: Locale, share: number) => percentFormats[locale].format(roundTo(share * 100) / 100);

/** A number with `digits` decimals ("0.85", German "0,85"), or `missing` when there is none; never "-0.0". */
export function decimalText(locale: Locale, value: number | null | undefined, digits: number, missing = '—'): string {
  const text = fixedText(value, digits, missing);
  return locale === 'de' ? text.replace('.', ',') : text;
}

/** 1st, 2nd, 3rd, 4th, 11th, 22nd… (German: 1., 2., 3.) */
export function ordinalText(locale: Locale, n: number): string {
  if (locale === 'de') return `${n}.`;
  const teen = n % 100 >= 11 && n % 100 <= 13;
  return `${n}${teen ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th')}`;
}
