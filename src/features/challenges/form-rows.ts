import { FIELD_TYPES } from './challenge.model.ts';

/**
 * The challenge form's scorecard criteria and extra submission fields as editable rows. The form
 * posts each column as a repeated field (`criteria_name`, `criteria_weight`, …); the rows become
 * the one-per-line text ("Impact | 2 | 1-5 | guidance") that the schema's line parsers check, so
 * the rows and a scripted text post are validated alike. Without JavaScript, rows are added, moved
 * and removed by submit buttons (`rowEdit`) that re-render the form unsaved.
 */
type Column = { key: string; label: string; options?: readonly string[]; placeholder?: string; fallback?: string };

export const ROW_LISTS = {
  criteria: [
    { key: 'name', label: 'Criterion' },
    { key: 'weight', label: 'Weight', placeholder: '1', fallback: '1' },
    { key: 'scale', label: 'Scale', placeholder: '1-5', fallback: '1-5' },
    { key: 'guidance', label: 'Guidance for judges' },
  ],
  fields: [
    { key: 'label', label: 'Label' },
    { key: 'type', label: 'Type', options: FIELD_TYPES },
    { key: 'required', label: 'Required?', options: ['optional', 'required'] },
    { key: 'choices', label: 'Choices' },
  ],
} as const satisfies Record<string, readonly Column[]>;

export type RowList = keyof typeof ROW_LISTS;
export const ROW_LIST_NAMES = Object.keys(ROW_LISTS) as RowList[];
type Row = Record<string, string>;

/** Blank rows offered under the filled ones, so several can be added in one go without scripts. */
const BLANK_ROWS = 2;
const MAX_ROWS = 20;

const listOf = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)]);
const columnsOf = (list: RowList): readonly Column[] => ROW_LISTS[list];

/** A row nobody filled in: its text columns are empty (a select always has a value). */
const isBlank = (list: RowList, row: Row) => columnsOf(list).every((column) => column.options !== undefined || !row[column.key]?.trim());

/** The rows the form posted, without those ticked for removal; null when the list came as text. */
export function postedRows(body: Record<string, unknown>, list: RowList): Row[] | null {
  const columns = columnsOf(list).map((column) => listOf(body[`${list}_${column.key}`]));
  if (columns.every((values) => values.length === 0)) return null;
  const removed = new Set(listOf(body[`${list}_remove`]));
  const count = Math.min(MAX_ROWS * 2, Math.max(...columns.map((values) => values.length)));
  const rows: Row[] = [];
  for (let index = 0; index < count; index++) {
    if (!removed.has(String(index))) rows.push(Object.fromEntries(columnsOf(list).map((column, c) => [column.key, columns[c]![index] ?? ''])));
  }
  return rows;
}

/** The filled rows as the lines the parsers read; an empty weight or scale takes its usual value. */
export function rowsToText(list: RowList, rows: Row[]): string {
  return rows
    .filter((row) => !isBlank(list, row))
    .map((row) =>
      columnsOf(list)
        .map((column) => (row[column.key]?.trim() || column.fallback || '').replaceAll('|', '/'))
        .join(' | '),
    )
    .join('\n');
}

/** Stored lines (an existing challenge's) as rows. */
export function textToRows(list: RowList, text: unknown): Row[] {
  return String(text ?? '')
    .split(/\r?\n/)
    .filter((line) => line.trim())
    .map((line) => {
      const parts = line.split('|').map((part) => part.trim());
      return Object.fromEntries(columnsOf(list).map((column, index) => [column.key, parts[index] ?? '']));
    });
}

/** The form's body with each posted list turned into its text, ready for the schema. */
export function withRowsAsText(body: Record<string, unknown>): Record<string, unknown> {
  const result = { ...body };
  for (const list of ROW_LIST_NAMES) {
    const rows = postedRows(body, list);
    if (rows) result[list] = rowsToText(list, rows);
  }
  return result;
}

/** "criteria:add", "fields:up:2", "criteria:down:0": one edit of one list, or null when it is none of these. */
export function parseRowEdit(value: unknown): { list: RowList; action: 'add' | 'up' | 'down'; index: number } | null {
  const match = /^(criteria|fields):(add|up|down)(?::(\d{1,2}))?$/.exec(String(value ?? ''));
  if (!match) return null;
  return { list: match[1] as RowList, action: match[2] as 'add' | 'up' | 'down', index: Number(match[3] ?? 0) };
}

/** The body with that edit applied to its list's rows (and the removals done), to re-render. */
export function applyRowEdit(body: Record<string, unknown>, edit: NonNullable<ReturnType<typeof parseRowEdit>>): Record<string, unknown> {
  const rows = postedRows(body, edit.list) ?? textToRows(edit.list, body[edit.list]);
  if (edit.action === 'add') rows.push(Object.fromEntries(columnsOf(edit.list).map((column) => [column.key, ''])));
  const other = edit.action === 'up' ? edit.index - 1 : edit.index + 1;
  if (edit.action !== 'add' && rows[edit.index] && rows[other]) [rows[edit.index], rows[other]] = [rows[other]!, rows[edit.index]!];
  const result: Record<string, unknown> = { ...body, [`${edit.list}_remove`]: [] };
  for (const column of columnsOf(edit.list)) result[`${edit.list}_${column.key}`] = rows.map((row) => row[column.key] ?? '');
  // The edited list shows its rows as they are, blank ones included ("add" has just added one).
  result[`${edit.list}_keepBlanks`] = 'yes';
  return result;
}

/** What the row editor partial shows for a list: its columns, and each row's cells with their names and labels. */
export function rowEditor(list: RowList, values: Record<string, unknown>) {
  const posted = postedRows(values, list);
  const rows = posted ?? textToRows(list, values[list]);
  const asEdited = values[`${list}_keepBlanks`] === 'yes';
  const filled = asEdited ? rows : rows.filter((row) => !isBlank(list, row));
  const blanks = asEdited ? 0 : Math.max(0, Math.min(BLANK_ROWS, MAX_ROWS - filled.length));
  const shown = [...filled, ...Array.from({ length: blanks }, () => ({}) as Row)];
  return {
    name: list,
    // Labels are named by key and put into words in the template, in the reader's language.
    columns: columnsOf(list).map((column) => ({ ...column, labelKey: `challengeForm.rows.column.${list}.${column.key}` })),
    rows: shown.map((row, index) => ({
      index,
      number: index + 1,
      first: index === 0,
      last: index === shown.length - 1,
      cells: columnsOf(list).map((column) => ({
        name: `${list}_${column.key}`,
        id: `${list}-${index}-${column.key}`,
        label: `${column.label}, row ${index + 1}`,
        column: column.label,
        labelKey: `challengeForm.rows.column.${list}.${column.key}`,
        value: row[column.key] ?? '',
        placeholder: column.placeholder ?? '',
        options: column.options?.map((option) => ({ value: option, selected: option === (row[column.key] || column.options![0]) })),
      })),
    })),
  };
}
