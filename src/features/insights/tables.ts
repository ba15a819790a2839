/**
 * The figures of the insights page as tables: each is rendered (caption, column headers, a row
 * header per row) and downloadable as CSV with the same cells, so the page and the file agree.
 */
import { formatDuration as formatSpan } from '../../shared/durations.ts';
import { roundTo } from '../../shared/rounding.ts';

export type Table = { id: string; caption: string; columns: string[]; rows: Array<{ head: string; cells: string[] }> };

const numberFormat = new Intl.NumberFormat('en-GB');
export const formatCount = (value: number) => numberFormat.format(value);
export const WITHHELD = '—';

/** "45%" of the step before; an em dash when the step before had none. */
export const conversion = (value: number, previous: number | null) => (previous === null ? '' : previous > 0 ? `${roundTo((value / previous) * 100)}%` : WITHHELD);

/** A span of time for a table cell, or the withheld mark when there is none. */
export const formatDuration = (ms: number | null): string => (ms === null ? WITHHELD : formatSpan(ms));

/** The table as CSV records: the row header first, under the first column's name. */
export const csvRecords = (table: Table) => table.rows.map((row) => Object.fromEntries(table.columns.map((column, index) => [column, index === 0 ? row.head : (row.cells[index - 1] ?? '')])));
