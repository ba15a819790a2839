import { diffWords } from 'diff';

export type DiffPart = { text: string; change: 'added' | 'removed' | 'same' };
type Version = { title?: string | null; summary?: string | null; body?: string | null; tags?: string[] | null };

/** Word-level changes from one version of an idea to the next, per field, for the revisions page. */
export function diffVersions(before: Version, after: Version) {
  const diffOf = (a: string, b: string): DiffPart[] => diffWords(a, b).map((part) => ({ text: part.value, change: part.added ? 'added' : part.removed ? 'removed' : 'same' }));
  // `field` is the code a translated page names it by (ideaPages.revisions.field.<code>); `label` its English.
  const fields = [
    { field: 'title', label: 'Title', before: before.title ?? '', after: after.title ?? '' },
    { field: 'summary', label: 'Summary', before: before.summary ?? '', after: after.summary ?? '' },
    { field: 'body', label: 'Description', before: before.body ?? '', after: after.body ?? '' },
    { field: 'tags', label: 'Tags', before: (before.tags ?? []).join(', '), after: (after.tags ?? []).join(', ') },
  ];
  return fields.filter((field) => field.before !== field.after).map((field) => ({ field: field.field, label: field.label, parts: diffOf(field.before, field.after) }));
}
