import { admin } from '../../i18n/catalogue/admin.ts';
import { message, type Message } from '../../i18n/i18n.ts';

/** The kinds of record the catalogue names (`admin.audit.targetType`); another shows as its code. */
const NAMED_TARGETS = new Set(Object.keys(admin.en.audit.targetType));

/** The actions the catalogue names (`admin.audit.actions.<area>.<code>`); another shows as its code. */
const NAMED_ACTIONS = new Set(Object.entries(admin.en.audit.actions).flatMap(([area, codes]) => Object.keys(codes).map((code) => `${area}.${code}`)));

/** What an entry's value shows at most: a shortlist's or a form's whole contents would fill the page. */
const MAX_SHOWN = 400;

/** A value as a reader takes it in: `key: value; key: value`, a list as `a, b`, nested in brackets. */
function written(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.map(written).join(', ');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.entries(value)
      .map(([key, each]) => `${key}: ${typeof each === 'object' && each !== null && !(each instanceof Date) ? `(${written(each)})` : written(each)}`)
      .join('; ');
  }
  return String(value);
}

/** An entry's before or after as the log shows it; null when there is none. */
export function shownValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = written(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

export const targetName = (targetType: string): Message | string => (NAMED_TARGETS.has(targetType) ? message(`admin.audit.targetType.${targetType}`) : targetType);

/** The action in words, or null for a code the catalogue does not name (shown as the code). */
export const actionName = (action: string): Message | null => (NAMED_ACTIONS.has(action) ? message(`admin.audit.actions.${action}`) : null);
