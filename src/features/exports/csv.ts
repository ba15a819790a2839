import { stringify, type Stringifier } from 'csv-stringify';

/**
 * A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, see
 * OWASP "CSV Injection"): `=`, `+`, `-`, `@`, and tab or carriage return, which some
 * spreadsheets skip before reading the rest as a formula.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Prefixes a text cell that a spreadsheet would read as a formula with a single quote, so it stays text. */
export const neutraliseCell = (value: string): string => (FORMULA_START.test(value) ? `'${value}` : value);

/** Lists (tags, names, ids) share one cell, separated like this. */
export const LIST_SEPARATOR = '; ';

/**
 * A transform from row objects to CSV text: a header row of `columns` (as `heading` words them) first (also for no rows),
 * every text cell neutralised, lists joined into one cell, `true`/`false` for booleans, empty
 * cells for null. With a byte order mark, so spreadsheets read the text as UTF-8.
 */
export function csvStringifier(columns: readonly string[], heading: (column: string) => string = (column) => column): Stringifier {
  return stringify({
    header: true,
    bom: true,
    columns: columns.map((key) => ({ key, header: heading(key) })),
    cast: {
      string: neutraliseCell,
      boolean: (value) => String(value),
      date: (value) => value.toISOString(),
      // Neutralised after joining: the first element decides how a spreadsheet reads the cell.
      object: (value) => neutraliseCell(Array.isArray(value) ? value.map(String).join(LIST_SEPARATOR) : JSON.stringify(value)),
    },
  });
}
