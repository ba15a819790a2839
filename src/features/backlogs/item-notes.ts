import { message, type Text } from '../../i18n/i18n.ts';

// The promotion's note is stored as written in English (the API and the audit read it so); pages name it in the reader's language.
const PROMOTED_FROM = /^Promoted from “(.*)”$/s;

/** A backlog item's move note as a page shows it (`tm`): the promotion's in the reader's language, a person's as written. */
export function itemNoteText(change: { from?: string | null; note: string }): Text {
  const promoted = !change.from ? PROMOTED_FROM.exec(change.note) : null;
  return promoted ? message('backlogs.item.promotedFrom', { title: promoted[1]! }) : change.note;
}

/** The item's latest note (its latest move that said something), as a page shows it; '' when none did. */
export function latestItemNote(item: { statusHistory: ReadonlyArray<{ from?: string | null; note: string }> }): Text {
  const change = [...item.statusHistory].reverse().find((entry) => entry.note);
  return change ? itemNoteText(change) : '';
}
