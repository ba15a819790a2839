import { message, type Text } from '../i18n/i18n.ts';

/**
 * How every feature takes part in "Download my data" and "Delete my account": each one exports
 * and erases what it stores itself (one owner per model), through a function of this shape.
 */
export type ErasedPerson = { userId: string; name: string; email: string };

/** The name left where a deleted person's name was copied (histories, notices, audit entries). */
export const DELETED_USER = 'Deleted user';

const FORMER_MEMBER = message('common.formerMember');
const DELETED_ACCOUNT = message('common.deletedUser');

/**
 * The name to show for a person looked up by id: theirs, or (in the reader's language) that of a
 * deleted account, whose shell keeps DELETED_USER as its name, or of an id that names no one now.
 */
export function shownName(person: { name: string; deleted: boolean } | null | undefined): Text {
  if (!person) return FORMER_MEMBER;
  return person.deleted ? DELETED_ACCOUNT : person.name;
}

/** Replaces every occurrence of the person's name or email in a text copied from somewhere (a notice, a label). */
export function withoutPerson(text: string, person: ErasedPerson): string {
  let result = text;
  for (const needle of [person.email, person.name]) if (needle) result = result.split(needle).join(DELETED_USER);
  return result;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A case-sensitive pattern matching the person's name or email, to find copies of them. */
export const personPattern = (person: ErasedPerson) => new RegExp([person.email, person.name].filter(Boolean).map(escapeRegExp).join('|'));

/** The entries of a history the person made, with their copied name replaced. */
export function renamedEntries<T extends { byId?: unknown; byName?: string | null }>(entries: T[], person: ErasedPerson): T[] {
  return entries.map((entry) => (String(entry.byId) === person.userId ? { ...entry, byName: DELETED_USER } : entry));
}
