/**
 * The figures of the insights page as tables: each is rendered (caption, column headers, a row
 * header per row) and downloadable as CSV with the same cells, so the page and the file agree.
 */
export type Table = { id: string; caption: string; columns: string[]; rows: Array<{ head: string; cells: string[] }> };

const numberFormat = new Intl.NumberFormat('en-GB');
export const formatCount = (value: number) => numberFormat.format(value);
export const WITHHELD = '—';

/** "45%" of the step before; an em dash when the step before had none. */
export const conversion = (value: number, previous: number | null) => (previous === null ? '' : previous > 0 ? `${Math.round((value / previous) * 100)}%` : WITHHELD);

/** Nearest-rank percentile of a sorted sample; null without samples. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** A span of time, roughly: "45 s", "12 min", "3 h 20 min", "4 days" (as the view helper says it). */
export function formatDuration(ms: number | null): string {
  if (ms === null) return WITHHELD;
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

/** The table as CSV records: the row header first, under the first column's name. */
export const csvRecords = (table: Table) => table.rows.map((row) => Object.fromEntries(table.columns.map((column, index) => [column, index === 0 ? row.head : (row.cells[index - 1] ?? '')])));
