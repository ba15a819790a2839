/**
 * The figures of the insights page as tables: each is rendered (caption, column headers, a row
 * header per row) and downloadable as CSV with the same cells, so the page and the file agree.
 */
import { translateKey, type Locale } from '../../i18n/i18n.ts';
import { decimalText, numberFormat, ordinalText, percentText } from '../../i18n/numbers.ts';
import { formatDuration } from '../../shared/durations.ts';
import { MIN_GROUP } from './privacy.ts';
import { NOT_STATED } from './keys.ts';

export type Table = { id: string; caption: string; columns: string[]; rows: Array<{ head: string; cells: string[] }> };

export const WITHHELD = '—';

/**
 * The figures' words and numbers in one language: the catalogue's `insights` texts and Intl's
 * numbers. Tables hold text ready to show (and to write to CSV), so they are built per language.
 */
function wordsIn(locale: Locale) {
  const t = (key: string, params?: Record<string, string | number>) => translateKey(locale, `insights.${key}`, params);
  const count = (value: number) => numberFormat(locale).format(value);
  return {
    locale,
    t,
    count,
    /** The share of the step before ("45%", "45 %"); an em dash when the step before had none. */
    conversion: (value: number, previous: number | null) => (previous === null ? '' : previous > 0 ? percentText(locale, value / previous) : WITHHELD),
    /** A span of time for a table cell, or the withheld mark when there is none. */
    duration: (ms: number | null) => (ms === null ? WITHHELD : formatDuration(ms, locale)),
    decimal: (value: number | null, digits: number) => decimalText(locale, value, digits, WITHHELD),
    ordinal: (n: number) => ordinalText(locale, n),
    phase: (phase: string) => translateKey(locale, `common.phase.${phase}`),
    /** How a count of people reads in an aggregate view: "fewer than 5" below the smallest group shown. */
    people: (people: number) => (people < MIN_GROUP ? t('figures.fewerThan', { min: MIN_GROUP }) : count(people)),
    /** A value of a dimension as people read it: the stored "not stated" and kinds of member in this language. */
    value: (dimension: string, value: string) => (value === NOT_STATED ? t('figures.value.notStated') : dimension === 'kind' ? t(`figures.value.${value}`) : value),
  };
}

export type Words = ReturnType<typeof wordsIn>;
const words = { en: wordsIn('en'), de: wordsIn('de') } satisfies Record<Locale, Words>;
export const wordsOf = (locale: Locale): Words => words[locale];

/** The table as CSV records: the row header first, under the first column's name. */
export const csvRecords = (table: Table) => table.rows.map((row) => Object.fromEntries(table.columns.map((column, index) => [column, index === 0 ? row.head : (row.cells[index - 1] ?? '')])));
