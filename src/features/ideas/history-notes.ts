import { isMessage, message, translate, type Message, type Text } from '../../i18n/i18n.ts';

/**
 * A status history note as stored. A person's words stay as written. A sentence of Cocreate's is
 * kept in English (what exports, the audit and the personal-data archive read) and as its key and
 * values, so the idea's page says it in the reader's language.
 */
export const storedNote = (note: Text) => (isMessage(note) ? { note: translate('en', note), noteKey: note.key, noteParams: note.params ?? null } : { note });

/** The note as a page puts it into the reader's words (with the `tm` view helper). */
export const noteOf = (change: { note?: string | null; noteKey?: string | null; noteParams?: unknown }): Text =>
  change.noteKey ? message(change.noteKey, (change.noteParams ?? undefined) as Message['params']) : (change.note ?? '');

/** The movers that are no person (idea-lifecycle.ts, shortlist.service.ts), stored under these English names. */
const GROUPS: Record<string, string> = { 'the copilots': 'ideaHistory.by.copilots', 'the judges': 'ideaHistory.by.judges' };

/** Who made the change, as a page names them: a person by their name, a group in the reader's language. */
export const moverOf = (change: { byId?: unknown; byName?: string | null }): Text => {
  const group = change.byId ? undefined : GROUPS[change.byName ?? ''];
  return group ? message(group) : (change.byName ?? '');
};
