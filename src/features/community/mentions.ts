/** Who a comment names as "@Full Name", and how a rendered comment shows them. */
export type Mentionable = { id: string; name: string };

/** At most this many suggestions while typing: a short list to pick from, not a directory. */
export const MAX_SUGGESTIONS = 8;

/** People named in the text as "@Full Name", among those who may be mentioned. */
export function mentionedIds(body: string, people: Mentionable[]): string[] {
  const text = body.toLowerCase();
  return people.filter((person) => person.name && text.includes(`@${person.name.toLowerCase()}`)).map((person) => person.id);
}

/** The people whose name starts with what was typed after "@", by name, without the one typing. */
export function suggestMentions(people: Mentionable[], prefix: string, exceptId: string): Mentionable[] {
  const typed = prefix.trim().toLowerCase();
  return people
    .filter((person) => person.id !== exceptId && person.name && person.name.toLowerCase().startsWith(typed))
    .sort((a, b) => a.name.localeCompare(b.name))
    .slice(0, MAX_SUGGESTIONS);
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// The markdown renderer turns "O'Brien" into "O’Brien" (typographer) or escapes the apostrophe.
const APOSTROPHE = "(?:'|’|&#39;|&#x27;)";
const namePattern = (name: string) =>
  name
    .split("'")
    .map((piece) => escapeRegExp(escapeHtml(piece)))
    .join(APOSTROPHE);

/**
 * Wraps each "@Name" of a mentionable person in a styled span. Only text between tags changes, so
 * a name inside a link's address or an attribute is left alone; longer names go first, so
 * "@Ann Lee Smith" is not cut short by "@Ann Lee".
 */
export function highlightMentions(html: string, names: string[]): string {
  const sorted = [...new Set(names.filter(Boolean))].sort((a, b) => b.length - a.length);
  if (sorted.length === 0 || !html.includes('@')) return html;
  const pattern = new RegExp(`@(?:${sorted.map(namePattern).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  return html
    .split(/(<[^>]*>)/)
    .map((part) => (part.startsWith('<') ? part : part.replace(pattern, (found) => `<span class="mention">${found}</span>`)))
    .join('');
}
